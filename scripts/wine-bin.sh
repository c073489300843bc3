#!/usr/bin/env bash
# Runs the Windows build under Wine as if it were the binary itself, for the
# Node suites' NG_ANNOTATE_BIN (make test-windows). NG_ANNOTATE_WINE_EXE names
# the .exe (Debian installs Wine's loader as /usr/lib/wine/wine64; WINE overrides
# it); Wine's own chatter on stderr is silenced (WINEDEBUG=-all).
export WINEDEBUG=-all
exec "${WINE:-/usr/lib/wine/wine64}" "${NG_ANNOTATE_WINE_EXE:?set NG_ANNOTATE_WINE_EXE to ng-annotate.exe}" "$@"
