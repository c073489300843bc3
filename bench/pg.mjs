// Issue 19's figures: PostgreSQL beside the SQLite default, in one run.
//   node bench/pg.mjs /abs/path/to/ng-annotate
// Starts a throwaway cluster (scripts/pg-test-cluster.sh; fsync off, as in
// the tests: a laptop-grade figure, not a durable server's) and prints one
// table:
//  - pickup: the browser creates through serve A, the agent's blocked
//    watch_annotations returns it through serve B's /mcp (the official SDK
//    client over Streamable HTTP). SQLite: one serve for both, as it is used.
//  - creates/s: 4 browser sockets pipelining creates into one instance
//    (group commit), until all are confirmed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  now, ms, sleep, summary, tempDir, startServe, browser, createFrame, toolJson, stop, withDeadline, cleanup,
} from './lib.mjs';

const bin = process.argv[2];
const SCRIPT = fileURLToPath(new URL('../scripts/pg-test-cluster.sh', import.meta.url));
const PICKUPS = Number(process.env.BENCH_PG_PICKUPS ?? 200);
const CREATES = Number(process.env.BENCH_PG_CREATES ?? 5000);

async function httpAgent(port) {
  const client = new Client({ name: 'ng-annotate-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  return client;
}

async function pickup(front, back) {
  const agent = await httpAgent(back.port);
  const page = await browser(front.wsUrl);
  const times = [];
  try {
    for (let i = 0; i < PICKUPS; i++) {
      const watch = agent.callTool({ name: 'watch_annotations', arguments: { timeoutMs: 20000 } });
      await sleep(20);  // the watch blocks (as in bench/pickup.mjs)
      const t0 = now();
      page.ws.send(createFrame(i));
      const result = toolJson(await withDeadline(watch, 'watch_annotations'));
      times.push(ms(t0, now()));
      for (const a of result.annotations) {
        await agent.callTool({ name: 'acknowledge', arguments: { id: a.id } });
      }
    }
  } finally {
    page.ws.close();
    await agent.close();
  }
  return summary(times);
}

async function createsPerSecond(server) {
  const sockets = await Promise.all(Array.from({ length: 4 }, () => browser(server.wsUrl)));
  const perSocket = Math.min(Math.floor(CREATES / 4), 1900);  // under the 2 000 per session
  let confirmed = 0;
  const done = new Promise((resolve) => {
    for (const s of sockets) {
      s.on('annotation:created', () => { if (++confirmed === perSocket * 4) resolve(); });
    }
  });
  const t0 = now();
  for (let i = 0; i < perSocket; i++) for (const s of sockets) s.ws.send(createFrame(i));
  await withDeadline(done, 'every create confirmed', 120000);
  const seconds = ms(t0, now()) / 1000;
  for (const s of sockets) s.ws.close();
  return Math.round((perSocket * 4) / seconds);
}

async function run(label, startTwo) {
  const [a, b] = await startTwo();
  try {
    const p = await pickup(a, b);
    const c = await createsPerSecond(a);
    return { label, p, c };
  } finally {
    await stop(a.child);
    if (b !== a) await stop(b.child);
  }
}

const dir = mkdtempSync('/tmp/nga-pg-');
const url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8', timeout: 60000 }).trim();
try {
  const rows = [];
  rows.push(await run('SQLite (one serve)', async () => {
    const s = await startServe(bin, tempDir('nga-bench-pg-'));
    return [s, s];
  }));
  rows.push(await run('PostgreSQL (browser on A, agent on B)', async () => {
    const args = ['--store', url, '--project', `bench-${randomUUID().slice(0, 8)}`];
    return [await startServe(bin, tempDir('nga-bench-pg-'), args),
      await startServe(bin, tempDir('nga-bench-pg-'), args)];
  }));
  console.log('| store | pickup p50 | pickup p99 | creates/s (4 sockets, group commit) |');
  console.log('|---|---|---|---|');
  for (const { label, p, c } of rows) {
    console.log(`| ${label} | ${p.p50.toFixed(2)} ms | ${p.p99.toFixed(2)} ms | ${c} |`);
  }
  console.log(`(targets, issue 19: pickup p50 ≤ 5 ms, p99 ≤ 20 ms; ≥ 10 000 creates/s; ${PICKUPS} pickups, ${CREATES} creates)`);
} finally {
  cleanup();
  execFileSync(SCRIPT, ['stop', dir], { timeout: 60000 });
}
