#!/usr/bin/env bash
# Installs everything building and testing ng-annotate needs, on Debian 12.
# A fast no-op when all of it is already there. Called by `make setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  g++ cmake ninja-build pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libcli11-dev libfmt-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm chromium
  clang libclang-rt-14-dev
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere than Debian (the image ships Node 20).
  case "$pkg" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm dependencies, reinstalled only when a lockfile changed.
npm_ci() {  # dir
  local dir=$1
  local stamp="$dir/node_modules/.nga-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci .
# Node 22 and the MCP conformance suite live apart: the suite needs Node >= 22
# and we keep Node 20 for everything else.
if [ -f tools/node22/package.json ]; then npm_ci tools/node22; fi
# Fixture apps that install packages/* the way a user would (as copies, see
# their .npmrc install-links): reinstalled also when those packages change.
npm_ci_with_packages() {  # dir
  local dir=$1 sum
  sum=$(find packages -type f -not -path '*/node_modules/*' -not -path '*/native/*' -not -name '*.tgz' \
    | LC_ALL=C sort | xargs sha1sum | sha1sum)
  local stamp="$dir/node_modules/.nga-packages-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$sum" ]; then
    rm -f "$dir/node_modules/.nga-lock-stamp"
  fi
  npm_ci "$dir"
  echo "$sum" > "$stamp"
}
npm_ci_with_packages tests/fixtures/vite8
npm_ci_with_packages tests/fixtures/vite5
