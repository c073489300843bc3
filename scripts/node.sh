#!/usr/bin/env bash
# Prints the path of a Node.js >= 20 to run the test suites with: the
# system's when it is new enough (the usual case), else the Node 22 that
# `make setup` installs in tools/node22 (Debian 12's own nodejs is 18).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v node >/dev/null; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -ge 20 ]; then command -v node; exit 0; fi
fi
bundled=tools/node22/node_modules/.bin/node
if [ -x "$bundled" ]; then echo "$(pwd)/$bundled"; exit 0; fi
echo "no Node.js >= 20 found: run make setup" >&2
exit 1
