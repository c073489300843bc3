// Issue 19's figures: PostgreSQL beside the SQLite default, in one run.
//   node bench/pg.mjs /abs/path/to/ng-annotate
// Starts a throwaway cluster (scripts/pg-test-cluster.sh; fsync off, as in
// the tests: a laptop-grade figure, not a durable server's) and prints one
// table, measured against the targets:
//  - pickup: the browser creates through serve A, the agent's blocked
//    watch_annotations returns it through serve B's /mcp (the official SDK
//    client over Streamable HTTP). SQLite: one serve for both, as it is used.
//  - creates/s: 4 browser sockets pipelining creates into one instance
//    (group commit), until all are confirmed.
//  - fan-out: FANOUT_SOCKETS browser sockets (half on A, half on B; SQLite:
//    all on one serve), each its own session with one annotation; the agent
//    on B resolves FANOUT_RESOLVES of them, alternating A's and B's, timed
//    from the resolve call to the owning socket seeing "resolved".
//  - get_all_pending: PENDING pending of STORED stored, seeded in one SQL
//    statement (generate_series / a recursive CTE, not STORED creates),
//    all of them in pages of 500 (the tool's most: two calls), timed as
//    JSON-RPC lines over `ng-annotate mcp`'s stdio (the server's time plus
//    two pipe hops per call: an upper bound of the time in the server).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import {
  now, ms, summary, tempDir, startServe, browser, createFrame, toolJson, stop, withDeadline, cleanup, rawMcp,
} from './lib.mjs';
import { timeResolve } from './fanout.mjs';
import { httpAgent, pickup } from './http_pickup.mjs';

const bin = process.argv[2];
const SCRIPT = fileURLToPath(new URL('../scripts/pg-test-cluster.sh', import.meta.url));
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const PICKUPS = env('BENCH_PG_PICKUPS', 200);
const CREATES = env('BENCH_PG_CREATES', 5000);
const FANOUT_SOCKETS = env('BENCH_PG_FANOUT_SOCKETS', 1000);
const FANOUT_RESOLVES = env('BENCH_PG_FANOUT_RESOLVES', 200);
const STORED = env('BENCH_PG_STORED', 1000000);
const PENDING = env('BENCH_PG_PENDING', 1000);
const PENDING_CALLS = env('BENCH_PG_PENDING_CALLS', 20);

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

async function fanout(a, b) {
  const pages = [];
  const agent = await httpAgent(b.port);
  try {
    // Connected a few at a time: 1 000 handshakes at once only measure the
    // accept queue.
    for (let i = 0; i < FANOUT_SOCKETS; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(i + 50, FANOUT_SOCKETS); j++) {
        batch.push(browser((j % 2 === 0 ? a : b).wsUrl));
      }
      pages.push(...await Promise.all(batch));
    }
    const ids = await Promise.all(pages.map((page, i) => {
      const created = new Promise((resolve) => {
        const off = page.on('annotation:created', (m) => { off(); resolve(m.annotation.id); });
      });
      page.ws.send(createFrame(i));
      return withDeadline(created, 'annotation:created', 60000);
    }));
    const times = [];
    for (let k = 0; k < Math.min(FANOUT_RESOLVES, pages.length); k++) {
      // Spread over the sockets, alternating instance A's and B's.
      const i = Math.floor((k * pages.length) / FANOUT_RESOLVES);
      times.push(await timeResolve(agent, pages[i], ids[i]));
    }
    return summary(times);
  } finally {
    for (const page of pages) page.ws.terminate();
    await agent.close();
  }
}

async function pendingCalls(extra, root) {
  const { rpc, close } = await rawMcp(bin, root, extra);
  try {
    const times = [];
    let count = 0;
    for (let i = 0; i < PENDING_CALLS; i++) {
      // Every pending one: pages of 500 (the tool's most), following nextCursor.
      const t0 = now();
      let got = 0;
      let cursor;
      do {
        const args = { limit: 500, ...(cursor ? { cursor } : {}) };
        const line = await rpc('tools/call', { name: 'get_all_pending', arguments: args }, 60000);
        const page = toolJson(JSON.parse(line).result);
        got += page.annotations?.length ?? 0;
        cursor = page.more ? page.nextCursor : undefined;
      } while (cursor);
      times.push(ms(t0, now()));
      count = got;
    }
    return { ...summary(times), count };
  } finally {
    await close();
  }
}

// STORED annotations in STORED/1000 sessions, PENDING of them pending (spread
// over the whole time range), the rest resolved.
const request = `'{"annotationText":"seeded","componentName":"AppComponent","componentFilePath":"src/app/app.component.ts","selector":"app-root"}'`;
const every = Math.max(1, Math.floor(STORED / PENDING));

function seedPostgres(url, project) {
  const sql = `
    INSERT INTO nga_projects(name) VALUES ('${project}') ON CONFLICT DO NOTHING;
    INSERT INTO nga_sessions(project, id, created_at, last_seen_at, active, url)
      SELECT '${project}', 's' || g, 1, 1, 0, 'http://seed/' FROM generate_series(0, ${Math.ceil(STORED / 1000) - 1}) g;
    INSERT INTO nga_annotations(project, id, session_id, created_at, updated_at, status, request)
      SELECT '${project}', 'a' || g, 's' || (g / 1000), 1000 + g, 1000 + g,
             CASE WHEN g % ${every} = 0 THEN 'pending' ELSE 'resolved' END, ${request}
      FROM generate_series(0, ${STORED - 1}) g;
    ANALYZE nga_annotations;`;
  execFileSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeout: 300000 });
}

function seedSqlite(db) {
  const sql = `
    WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < ${Math.ceil(STORED / 1000) - 1})
    INSERT INTO sessions(id, created_at, last_seen_at, active, url, project)
      SELECT 's' || n, 1, 1, 0, 'http://seed/', (SELECT value FROM meta WHERE key = 'defaultProject') FROM g;
    WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < ${STORED - 1})
    INSERT INTO annotations(id, session_id, created_at, updated_at, status, request, project)
      SELECT 'a' || n, 's' || (n / 1000), 1000 + n, 1000 + n,
             CASE WHEN n % ${every} = 0 THEN 'pending' ELSE 'resolved' END, ${request},
             (SELECT value FROM meta WHERE key = 'defaultProject') FROM g;
    ANALYZE;`;
  execFileSync('sqlite3', [db, sql], { timeout: 300000 });
}

async function run(label, startTwo, pendingStore) {
  const [a, b] = await startTwo();
  const row = { label };
  try {
    row.p = await pickup(a, b, PICKUPS);
    row.c = await createsPerSecond(a);
    row.f = await fanout(a, b);
  } finally {
    await stop(a.child);
    if (b !== a) await stop(b.child);
  }
  try {
    row.g = await pendingStore();
  } catch (e) {
    row.g = { error: e.message.split('\n')[0] };
  }
  return row;
}

const dir = mkdtempSync('/tmp/nga-pg-');
const url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8', timeout: 60000 }).trim();
try {
  const rows = [];
  const sqliteRoot = tempDir('nga-bench-pg-');
  rows.push(await run('SQLite (one serve)', async () => {
    const s = await startServe(bin, sqliteRoot);
    return [s, s];
  }, async () => {
    const root = tempDir('nga-bench-pg-');
    await stop((await startServe(bin, root)).child);  // creates the store
    seedSqlite(join(root, '.ng-annotate', 'store.db'));
    return pendingCalls([], root);
  }));
  rows.push(await run('PostgreSQL (browser on A, agent on B)', async () => {
    const args = ['--store', url, '--project', `bench-${randomUUID().slice(0, 8)}`];
    return [await startServe(bin, tempDir('nga-bench-pg-'), args),
      await startServe(bin, tempDir('nga-bench-pg-'), args)];
  }, async () => {
    const project = `pending-${randomUUID().slice(0, 8)}`;
    execFileSync(bin, ['migrate', '--store', url], { stdio: 'ignore', timeout: 60000 });
    seedPostgres(url, project);
    return pendingCalls(['--store', url, '--project', project], tempDir('nga-bench-pg-'));
  }));
  const f2 = (x) => `${x.toFixed(2)} ms`;
  console.log(`| store | pickup p50 | pickup p99 | creates/s (4 sockets, group commit) | fan-out p50 / p99 (${FANOUT_SOCKETS} sockets) | get_all_pending p50 / p99 (${PENDING} of ${STORED}) |`);
  console.log('|---|---|---|---|---|---|');
  for (const { label, p, c, f, g } of rows) {
    const pending = g.error ? `not run: ${g.error}` : `${f2(g.p50)} / ${f2(g.p99)} (${g.count} returned)`;
    console.log(`| ${label} | ${f2(p.p50)} | ${f2(p.p99)} | ${c} | ${f2(f.p50)} / ${f2(f.p99)} | ${pending} |`);
  }
  const pgRow = rows[1];
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(`PostgreSQL vs the targets (issue 19): pickup p50 ${f2(pgRow.p.p50)} ≤ 5 ms ${verdict(pgRow.p.p50 <= 5)}; ` +
    `pickup p99 ${f2(pgRow.p.p99)} ≤ 20 ms ${verdict(pgRow.p.p99 <= 20)}; ` +
    `${pgRow.c} creates/s ≥ 10 000 ${verdict(pgRow.c >= 10000)}; ` +
    `fan-out p99 ${f2(pgRow.f.p99)} ≤ 20 ms ${verdict(pgRow.f.p99 <= 20)}; ` +
    (pgRow.g.error ? 'get_all_pending not run' : `get_all_pending p50 ${f2(pgRow.g.p50)} ≤ 20 ms ${verdict(pgRow.g.p50 <= 20)}`));
  console.log(`(${PICKUPS} pickups, ${CREATES} creates, ${FANOUT_RESOLVES} resolves over ${FANOUT_SOCKETS} sockets, ${PENDING_CALLS} get_all_pending calls; get_all_pending is a stdio round trip, an upper bound of the time in the server)`);
} finally {
  cleanup();
  execFileSync(SCRIPT, ['stop', dir], { timeout: 60000 });
}
