#!/usr/bin/env bash
# `make demo`: runs the daemon on this repository and shows what it serves.
# Ctrl+C stops it.
set -euo pipefail
BIN=${1:?usage: demo.sh path/to/ng-annotate}
cd "$(dirname "$0")/.."
echo "ng-annotate $("$BIN" --version | awk '{print $2}'): the store as it is now"
"$BIN" status --root . || true  # no store yet on a fresh clone: it says so
echo
echo "Starting the daemon (Ctrl+C to stop). Open the health URL it prints, or point the"
echo "Vite plugin / --proxy at it; an agent connects with: $BIN mcp --root $(pwd)"
exec "$BIN" serve --root . --port "${NG_ANNOTATE_DEMO_PORT:-4750}"
