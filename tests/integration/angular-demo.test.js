// `make demo`'s script (scripts/demo.sh) on the real demo app: it reaches
// "open http://…" with the page served through our builder, prints how to connect
// Claude Code, and leaves nothing running, whether it exits after the first load
// (NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD=1) or is stopped with Ctrl+C while following
// annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './lib/cli.js';
import { REPO, DEMO, exited, FIRST_BUILD_MS } from './lib/ng.js';

function runDemo(t, env) {
  const child = spawn('bash', [join(REPO, 'scripts/demo.sh'), BIN], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NG_ANNOTATE_DEMO_PORT: '0', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  t.after(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  const waitFor = (re, ms) =>
    new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const m = re.exec(output);
        if (m) {
          clearInterval(timer);
          clearTimeout(deadline);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          clearTimeout(deadline);
          reject(new Error(`demo.sh exited (${child.exitCode}) before ${re}:\n${output}`));
        }
      }, 100);
      const deadline = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`no ${re} within ${ms} ms:\n${output}`));
      }, ms);
    });
  return { child, output: () => output, waitFor };
}

// `localhost` may be bound on ::1 or 127.0.0.1 only: fetch tries both.
async function fetchLocal(url) {
  let last;
  for (const host of ['127.0.0.1', '[::1]']) {
    try {
      return await fetch(url.replace('localhost', host), { signal: AbortSignal.timeout(10000) });
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

async function refused(url) {
  try {
    await fetchLocal(url);
    return false;
  } catch {
    return true;
  }
}

const daemonFile = join(DEMO, '.ng-annotate/daemon.json');

test('NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD=1: reaches "open http://…", says how to connect Claude Code, exits 0 and stops everything', async (t) => {
  const demo = runDemo(t, { NG_ANNOTATE_DEMO_EXIT_AFTER_LOAD: '1' });
  const result = await exited(demo.child, FIRST_BUILD_MS + 60000);
  assert.notEqual(result, 'timeout', demo.output());
  assert.equal(result.code, 0, demo.output());
  const out = demo.output();
  const [, url] = /open (http:\/\/localhost:\d+\/)/.exec(out) ?? [];
  assert.ok(url, out);
  assert.match(out, /Alt\+Shift\+A/);
  assert.ok(out.includes(`claude mcp add ng-annotate -- ${BIN} mcp --root ${DEMO}`), out);
  assert.match(out, /"mcpServers"/);
  assert.equal(existsSync(daemonFile), false, 'the daemon was left running');
  assert.ok(await refused(url), `${url} still answers`);
});

test('Ctrl+C while it follows annotations stops ng serve and the daemon', async (t) => {
  const demo = runDemo(t, {});
  const [, url] = await demo.waitFor(/open (http:\/\/localhost:\d+\/)/, FIRST_BUILD_MS);
  await demo.waitFor(/Annotations, replies and status changes|no watch command/, 30000);
  const page = await fetchLocal(url);
  assert.match(await page.text(), /\/__annotate\/client\.js/);
  assert.ok(existsSync(daemonFile));
  process.kill(-demo.child.pid, 'SIGINT'); // what a terminal's Ctrl+C does: the foreground group
  const result = await exited(demo.child, 30000);
  assert.notEqual(result, 'timeout', demo.output());
  assert.equal(existsSync(daemonFile), false, 'the daemon was left running');
  assert.ok(await refused(url), `${url} still answers`);
});
