#!/usr/bin/env bash
# Runs the Windows build under Wine as if it were the binary itself, for the
# Node suites' NG_ANNOTATE_BIN (make test-windows, scripts/test-windows.sh).
# The .exe is NG_ANNOTATE_WINE_EXE, else build/windows-x64/ng-annotate.exe,
# and Wine's prefix WINEPREFIX, else build/windows-x64/wine-prefix: defaults,
# because MCP clients start servers with a trimmed environment (the MCP SDK
# passes on only HOME, PATH, USER and a few more). Debian installs Wine's
# loader as /usr/lib/wine/wine64 (WINE overrides it); Wine's own chatter on
# stderr is silenced (WINEDEBUG=-all). exec keeps the pid: a signal the test
# sends reaches Wine, which turns SIGINT into the console's Ctrl+C.
export WINEDEBUG=-all
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export WINEPREFIX="${WINEPREFIX:-$here/../build/windows-x64/wine-prefix}"
exec "${WINE:-/usr/lib/wine/wine64}" \
  "${NG_ANNOTATE_WINE_EXE:-$here/../build/windows-x64/ng-annotate.exe}" "$@"
