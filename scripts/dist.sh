#!/usr/bin/env bash
# npm tarballs of packages/cli (with the native binary), packages/vite-plugin,
# packages/next
# and packages/angular, for installing ng-annotate into a project without
# publishing anything. Called by `make dist`; the tarball test calls it too.
# Usage: scripts/dist.sh <abs path to the ng-annotate binary> <abs out dir>
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 out=$2
[ -x "$bin" ] || { echo "dist: $bin is not an executable binary (run make build)" >&2; exit 1; }
stage=$(mktemp -d "${TMPDIR:-/tmp}/nga-dist-XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"
# The binary goes into a staged copy: packages/cli itself never holds it.
cp -r packages/cli "$stage/cli"
rm -rf "$stage/cli/node_modules" "$stage/cli/native"
mkdir -p "$stage/cli/native"
strip -o "$stage/cli/native/ng-annotate" "$bin" 2>/dev/null || cp "$bin" "$stage/cli/native/ng-annotate"
chmod 755 "$stage/cli/native/ng-annotate"
for pkg in "$stage/cli" packages/vite-plugin packages/next packages/angular; do
  (cd "$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls "$out"/ng-annotate-cli-*.tgz "$out"/ng-annotate-vite-plugin-*.tgz "$out"/ng-annotate-next-*.tgz "$out"/ng-annotate-angular-*.tgz
