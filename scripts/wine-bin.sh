#!/usr/bin/env bash
# Runs the Windows build under Wine as if it were the binary itself, for the
# Node suites' NG_ANNOTATE_BIN (make test-windows). The .exe is
# NG_ANNOTATE_WINE_EXE, else build/windows-x64/ng-annotate.exe (a default,
# because MCP clients start servers with a trimmed environment). Debian
# installs Wine's loader as /usr/lib/wine/wine64 (WINE overrides it); Wine's
# own chatter on stderr is silenced (WINEDEBUG=-all).
export WINEDEBUG=-all
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "${WINE:-/usr/lib/wine/wine64}" \
  "${NG_ANNOTATE_WINE_EXE:-$here/../build/windows-x64/ng-annotate.exe}" "$@"
