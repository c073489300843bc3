// bench/spawn_probe, the timer behind `make bench`'s spawn figure: it must
// time a real answer to initialize, and fail (not hang, not report a time)
// when the child never answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, tempRoot } from './lib/cli.js';

const PROBE = join(dirname(BIN), 'spawn_probe');
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe-test', version: '1' } },
});

function probe(args) {
  const r = spawnSync(PROBE, args, { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

test('spawn_probe is built next to the binary', () => {
  assert.ok(existsSync(PROBE), `${PROBE} missing`);
});

test('times each spawn of ng-annotate mcp up to its initialize answer', (t) => {
  const r = probe(['3', INITIALIZE, BIN, 'mcp', '--root', tempRoot(t)]);
  assert.equal(r.status, 0, r.stderr);
  const { ms } = JSON.parse(r.stdout);
  assert.equal(ms.length, 3);
  for (const x of ms) assert.ok(x > 0 && x < 10000, `time ${x}`);
});

test('a child that exits without answering is a failure with a message', () => {
  const r = probe(['1', INITIALIZE, '/bin/true']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /did not answer/);
  assert.equal(r.stdout, '');
});

test('a child that answers something else is not counted as the answer', () => {
  // echo prints a line, but not a JSON-RPC answer with "id":1, and exits.
  const r = probe(['1', INITIALIZE, '/bin/echo', '{"jsonrpc":"2.0","id":2}']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /did not answer/);
});

test('a child that exits without reading its request is a failure, not a crash of the probe', () => {
  // More than a pipe holds, so the write is still going when echo exits
  // without reading: the write fails with EPIPE every time (under load this
  // happened with a one-line request too, and SIGPIPE killed the probe).
  const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(100000) } });
  const r = probe(['1', big, '/bin/echo', '{"jsonrpc":"2.0","id":2}']);
  assert.equal(r.signal, null, `the probe was killed by ${r.signal}`);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /did not answer/);
});

test('bad arguments exit 2 with usage', () => {
  const r = probe(['0', INITIALIZE, '/bin/cat']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /positive/);
});
