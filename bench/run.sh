#!/usr/bin/env bash
# make bench: ours side by side with agentation-mcp (SPEC §11). Prints one table.
#   bash bench/run.sh /abs/path/to/ng-annotate
# Installs what it needs first: the workspace's devDependencies (ws, the MCP
# SDK) and the pinned peer in bench/peer (its better-sqlite3 compiles with g++
# the first time, a few minutes). If the peer cannot be installed, the table
# still prints our figures and says why the peer's are missing.
set -uo pipefail

BIN="${1:-}"
if [[ -z "$BIN" || ! -x "$BIN" ]]; then
  echo "usage: bash bench/run.sh /abs/path/to/ng-annotate (got '${BIN}')" >&2
  exit 2
fi
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

if [[ ! -d "$REPO/node_modules/ws" || ! -d "$REPO/node_modules/@modelcontextprotocol/sdk" ]]; then
  echo "bench: npm ci (workspace devDependencies)" >&2
  (cd "$REPO" && npm ci --no-audit --no-fund >&2) || { echo "bench: npm ci failed" >&2; exit 1; }
fi

PEER_LOG="$(mktemp)"
trap 'rm -f "$PEER_LOG"' EXIT
peer_ok() {
  [[ -f "$HERE/peer/node_modules/agentation-mcp/dist/cli.js" ]] &&
    (cd "$HERE/peer" && node -e "new (require('better-sqlite3'))(':memory:').close()") >>"$PEER_LOG" 2>&1
}
unset BENCH_PEER_UNAVAILABLE
if ! peer_ok; then
  echo "bench: installing agentation-mcp into bench/peer (compiles better-sqlite3; takes minutes the first time)" >&2
  if ! timeout 600 npm ci --prefix "$HERE/peer" --no-audit --no-fund >>"$PEER_LOG" 2>&1 || ! peer_ok; then
    reason="$(grep -Eim1 'error|ERR!' "$PEER_LOG" | cut -c1-160)"
    export BENCH_PEER_UNAVAILABLE="could not install or load agentation-mcp here${reason:+: $reason}"
    echo "bench: $BENCH_PEER_UNAVAILABLE (full log below)" >&2
    tail -20 "$PEER_LOG" >&2
  fi
fi

node "$HERE/main.mjs" "$BIN"
status=$?

# The overlay at scale, in headless Chromium (no peer figure: agentation's
# toolbar is not a page overlay that can be loaded on its own). Their lines
# go to stdout under the table; a failure says so and does not hide it.
echo
echo "Overlay in headless Chromium (targets: ≤ 4 ms per badge layout with 300 badges, inspect mousemove ≤ 1 ms median, first-load bytes unchanged, capture ≤ 150 ms median, get_annotation with an image ≤ 5 ms, no image bytes in lists):"
for script in overlay_badges.mjs overlay_mousemove.mjs overlay_first_load.mjs capture.mjs; do
  timeout 300 node "$HERE/$script" "$BIN" 2>/dev/null | grep -E '^(overlay|capture) ' || echo "$script: FAILED (rerun it alone to see why)"
done

# Issue 19: the PostgreSQL store beside the SQLite default (a throwaway
# cluster, started and stopped by bench/pg.mjs).
echo
echo "PostgreSQL beside SQLite (bench/pg.mjs):"
timeout 600 node "$HERE/pg.mjs" "$BIN" || echo "pg.mjs: FAILED (rerun it alone to see why)"
# Issue 20: the same pickup through team mode's token gate (reviewer cookie,
# agent Bearer), beside the dev mode's, on one throwaway cluster.
echo
echo "Team review on PostgreSQL (bench/team.mjs; target: pickup p99 ≤ 20 ms):"
timeout 300 node "$HERE/team.mjs" "$BIN" || echo "team.mjs: FAILED (rerun it alone to see why)"
# The user's dev loop with and without the Vite plugin (SPEC §11), on
# generated 1 000-component apps over the fixture apps' installs. Minutes.
echo
timeout 3600 node "$HERE/devloop.mjs" "$BIN" || echo "devloop.mjs: FAILED (rerun it alone to see why)"
exit $status
