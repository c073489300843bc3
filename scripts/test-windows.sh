#!/usr/bin/env bash
# make test-windows: the windows-x64 build's tests under Wine.
#   bash scripts/test-windows.sh NODE_TEST_FILE...
# 1. the unit suite (build/windows-x64/unit_tests.exe, one process, through
#    ctest's emulator: cmake/mingw-w64-x86_64.cmake);
# 2. the given Node suites against ng-annotate.exe, through scripts/wine-bin.sh
#    as NG_ANNOTATE_BIN.
# Wine's state lives in build/windows-x64/wine-prefix, not in the user's
# ~/.wine. One wineserver runs for the whole run, started here with its
# output elsewhere: a wineserver that the first Wine process of a test starts
# inherits that test's pipes and outlives it for a while, so Node would wait
# for those pipes to close. It is stopped at the end whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
WIN_DIR=build/windows-x64
export WINEPREFIX="$PWD/$WIN_DIR/wine-prefix" WINEDEBUG=-all
WINESERVER="${WINESERVER:-/usr/lib/wine/wineserver}"

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "test-windows: creating the Wine prefix (about 20 s, once)"
  timeout 300 /usr/lib/wine/wine64 wineboot --init </dev/null >/dev/null 2>&1
fi
# `wineserver -p` fails (exit 2) while a server of this prefix still runs: the
# one wineboot just started lingers for a few seconds, as does one left by an
# interrupted run. So any such server is stopped and waited for first.
timeout 30 "$WINESERVER" -k </dev/null >/dev/null 2>&1 || true
timeout 30 "$WINESERVER" -w </dev/null >/dev/null 2>&1 || true
"$WINESERVER" -p </dev/null >/dev/null 2>&1 ||
  { echo "test-windows: could not start a wineserver for $WINEPREFIX" >&2; exit 1; }
trap 'timeout 30 "$WINESERVER" -k >/dev/null 2>&1 || true' EXIT
# Wine's own services (services.exe, winedevice.exe, plugplay.exe, rpcss.exe,
# …) start with the first Wine process and then live as long as the
# wineserver, holding that process's standard handles. Started by a test,
# they held its pipes: ctest waited for the end of unit_tests.exe's output
# after it had exited, until its timeout (make test-windows "hung"; a probe
# under `| cat` waited the same way). So they start here, with nothing of
# ours to hold.
timeout 120 /usr/lib/wine/wine64 cmd /c exit </dev/null >/dev/null 2>&1 ||
  echo "test-windows: warning: starting Wine's services failed" >&2

# Both parts run whatever the other's outcome; the run fails if either did.
failed=0
echo "test-windows: the unit suite under Wine"
# Bounded twice: ctest kills the suite after its TIMEOUT (CMakeLists.txt), and
# `timeout` ends ctest itself should it wait on anything else; the
# wineserver's stop at exit ends any Wine process left behind.
timeout -k 10 1000 ctest --preset windows-x64 --output-on-failure --timeout 900 || failed=1

echo "test-windows: the Node suites against ng-annotate.exe under Wine"
NG_ANNOTATE_BIN="$PWD/scripts/wine-bin.sh" NG_ANNOTATE_WINE_EXE="$PWD/$WIN_DIR/ng-annotate.exe" \
  timeout 3600 "$(bash scripts/node.sh)" --test --test-concurrency=1 --test-timeout=600000 "$@" || failed=1
exit "$failed"
