// Issue 20's target: a reviewer's create reaches a remote agent's
// watch_annotations through team mode's token gate with p99 ≤ 20 ms (two
// instances on PostgreSQL, TLS off).
//   node bench/team.mjs /abs/path/to/ng-annotate
// One throwaway cluster (scripts/pg-test-cluster.sh, as bench/pg.mjs), two
// pairs of serves on 127.0.0.1, each pair on its own project, in one run:
//  - without team mode: bench/pg.mjs's pickup (browser on A, agent on B);
//  - `serve --team`: the same pickup as a remote reviewer and agent connect.
//    The reviewer signs in as the sign-in page does (POST /__annotate/signin
//    with its token, from a preview origin matched by an --allow-origin
//    pattern) and its socket upgrades with the nga_token cookie and that
//    Origin; the agent sends its agent token as Authorization: Bearer on
//    every /mcp request. So the create and every agent call pass the gate
//    (each reads the token's row from PostgreSQL).
// The two sides alternate in rounds, so a burst of load on the shared
// machine falls on both.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { summary, tempDir, startServe, stop, cleanup, withDeadline } from './lib.mjs';
import { pickup } from './http_pickup.mjs';

const bin = process.argv[2];
const SCRIPT = fileURLToPath(new URL('../scripts/pg-test-cluster.sh', import.meta.url));
const PICKUPS = Number(process.env.BENCH_TEAM_PICKUPS ?? 200);
const ROUNDS = 4;  // alternations of the two sides
const PREVIEW_ORIGIN = 'https://pr-20.preview.example.com';

function tokenCreate(url, project, role, name) {
  return execFileSync(bin, ['token', 'create', '--store', url, '--project', project, '--role', role, '--name', name],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30000 }).trim();
}

// What the sign-in page does with the link's fragment: POST the token, keep
// the HttpOnly cookie the answer sets.
async function signIn(port, token) {
  const res = await withDeadline(fetch(`http://127.0.0.1:${port}/__annotate/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
    body: JSON.stringify({ token }),
  }), 'the sign-in POST');
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || !cookie?.startsWith('nga_token=')) {
    throw new Error(`sign-in: HTTP ${res.status} ${await res.text()}`);
  }
  return cookie;
}

// The figure means something only if the gate is on: no token must be 401.
async function requireGate(port) {
  const res = await withDeadline(fetch(`http://127.0.0.1:${port}/__annotate/health`), 'GET /__annotate/health');
  if (res.status !== 401) throw new Error(`serve --team answered ${res.status} without a token, not 401: no gate to measure`);
}

async function pair(url, project, extra) {
  const args = ['--store', url, '--project', project, ...extra];
  return [await startServe(bin, tempDir('nga-bench-team-'), args), await startServe(bin, tempDir('nga-bench-team-'), args)];
}

const dir = mkdtempSync('/tmp/nga-team-');
const url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8', timeout: 60000 }).trim();
const serves = [];
try {
  execFileSync(bin, ['migrate', '--store', url], { stdio: 'ignore', timeout: 60000 });
  const plainProject = `bench-${randomUUID().slice(0, 8)}`;
  const teamProject = `team-${randomUUID().slice(0, 8)}`;
  const reviewer = tokenCreate(url, teamProject, 'reviewer', 'bench reviewer');
  const agentToken = tokenCreate(url, teamProject, 'agent', 'bench agent');
  const plain = await pair(url, plainProject, []);
  const team = await pair(url, teamProject, ['--team', '--allow-origin', 'https://*.preview.example.com']);
  serves.push(...plain, ...team);
  for (const s of team) await requireGate(s.port);
  const auth = {
    agentHeaders: { Authorization: `Bearer ${agentToken}` },
    browserHeaders: { Cookie: await signIn(team[0].port, reviewer), Origin: PREVIEW_ORIGIN },
  };
  const times = { plain: [], team: [] };
  const perRound = Math.max(1, Math.ceil(PICKUPS / ROUNDS));
  for (let r = 0; r < ROUNDS; r++) {
    times.plain.push(...(await pickupTimes(plain, perRound, {})));
    times.team.push(...(await pickupTimes(team, perRound, auth)));
  }
  const p = summary(times.plain);
  const t = summary(times.team);
  const f2 = (x) => `${x.toFixed(2)} ms`;
  console.log('| PostgreSQL, two instances, TLS off | pickup p50 | pickup p99 |');
  console.log('|---|---|---|');
  console.log(`| loopback dev mode (no token; browser on A, agent on B) | ${f2(p.p50)} | ${f2(p.p99)} |`);
  console.log(`| serve --team (reviewer cookie + preview Origin on A, agent Bearer on B's /mcp) | ${f2(t.p50)} | ${f2(t.p99)} |`);
  console.log(`Team mode vs the target (issue 20): pickup p99 ${f2(t.p99)} ≤ 20 ms ${t.p99 <= 20 ? 'met' : 'NOT met'} ` +
    `(team minus dev mode: ${f2(t.p50 - p.p50)} at p50, ${f2(t.p99 - p.p99)} at p99; ${t.n} pickups each side, in ${ROUNDS} alternating rounds)`);
} finally {
  for (const s of serves) await stop(s.child);
  cleanup();
  execFileSync(SCRIPT, ['stop', dir], { timeout: 60000 });
}

// One side's round: a fresh agent and socket, `count` pickups, the raw times.
async function pickupTimes([front, back], count, auth) {
  return (await pickup(front, back, count, auth)).times;
}
