#!/usr/bin/env bash
# npm tarballs, the way esbuild ships its binary: @ng-annotate/cli (the npx
# shim and the daemon module, no binary) with an optionalDependency on every
# @ng-annotate/cli-<os>-<cpu>; one such package, each with its own os/cpu
# fields and one binary, for every binary given; and @ng-annotate/vite-plugin
# @ng-annotate/next, @ng-annotate/webpack and @ng-annotate/angular. The platform packages are all made from the one
# template in packages/cli-platform. Nothing is published. Called by
# `make dist`; the tarball tests call it too.
# Usage: scripts/dist.sh <binary for this machine> <abs out dir> [<os>-<cpu>=<binary>]...
#   (<os>-<cpu> as Node spells them: linux-x64 linux-arm64 darwin-arm64 darwin-x64 win32-x64)
set -euo pipefail
cd "$(dirname "$0")/.."
host_bin=$1 out=$2
shift 2
# The same list as PLATFORMS in packages/cli/lib/daemon.js (a test checks it).
platforms=(linux-x64 linux-arm64 darwin-arm64 darwin-x64 win32-x64)
host=$(node -p 'process.platform + "-" + process.arch')
declare -A binaries=([$host]=$host_bin)
for pair in "$@"; do binaries[${pair%%=*}]=${pair#*=}; done
for platform in "${!binaries[@]}"; do
  [[ " ${platforms[*]} " == *" $platform "* ]] || { echo "dist: unknown platform $platform (one of: ${platforms[*]})" >&2; exit 1; }
  [ -f "${binaries[$platform]}" ] || { echo "dist: ${binaries[$platform]} ($platform) is not a file (build it first)" >&2; exit 1; }
done
[ -x "$host_bin" ] || { echo "dist: $host_bin is not an executable binary (run make build)" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/nga-dist-XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"
version=$(node -p 'require("./packages/cli/package.json").version')

# @ng-annotate/cli: a staged copy with the optionalDependencies added.
cp -r packages/cli "$stage/cli"
rm -rf "$stage/cli/node_modules" "$stage/cli/native"
node -e '
  const fs = require("fs"); const [file, version, ...platforms] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [`@ng-annotate/cli-${p}`, version]));
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
' "$stage/cli/package.json" "$version" "${platforms[@]}"
packages=("$stage/cli")

# Strips with the binutils of the binary's own architecture when installed.
strip_tool() {
  case $1 in
    linux-x64) echo strip ;;
    linux-arm64) echo aarch64-linux-gnu-strip ;;
    win32-x64) echo x86_64-w64-mingw32-strip ;;
    *) echo "" ;;  # Mach-O: zig's linker output, left as linked
  esac
}
for platform in "${platforms[@]}"; do
  [ -n "${binaries[$platform]:-}" ] || continue
  os=${platform%-*} cpu=${platform#*-} name=ng-annotate
  [ "$os" = win32 ] && name=ng-annotate.exe
  dir="$stage/cli-$platform"
  mkdir -p "$dir/bin"
  for file in package.json README.md; do
    sed -e "s/@PLATFORM@/$platform/g" -e "s/@OS@/$os/g" -e "s/@CPU@/$cpu/g" \
        -e "s/@VERSION@/$version/g" -e "s/@BINARY@/$name/g" "packages/cli-platform/$file" > "$dir/$file"
  done
  tool=$(strip_tool "$platform")
  if [ -z "$tool" ] || ! command -v "$tool" >/dev/null || ! "$tool" -o "$dir/bin/$name" "${binaries[$platform]}" 2>/dev/null; then
    cp "${binaries[$platform]}" "$dir/bin/$name"
  fi
  chmod 755 "$dir/bin/$name"
  packages+=("$dir")
done

for pkg in "${packages[@]}" packages/vite-plugin packages/next packages/webpack packages/angular; do
  (cd "$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls "$out"/ng-annotate-cli-*.tgz "$out"/ng-annotate-vite-plugin-*.tgz "$out"/ng-annotate-next-*.tgz "$out"/ng-annotate-webpack-*.tgz "$out"/ng-annotate-angular-*.tgz
