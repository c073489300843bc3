// The official MCP conformance suite (@modelcontextprotocol/conformance, in
// tools/node22 because it needs Node >= 22) against serve's /mcp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, withDeadline } from './lib/serve.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(repo, 'tools/node22/node_modules/.bin');
const conformance = join(bin, 'conformance');

const SCENARIOS = [
  'server-initialize', 'ping', 'tools-list', 'prompts-list', 'resources-list',
  'logging-set-level', 'dns-rebinding-protection', 'server-sse-multiple-streams',
];

// Every checks.json under dir, parsed: [{id, status, errorMessage, ...}].
function checksIn(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...checksIn(path));
    else if (name === 'checks.json') found.push(...JSON.parse(readFileSync(path, 'utf8')));
  }
  return found;
}

function runScenario(url, scenario, outDir) {
  return new Promise((done, fail) => {
    const child = spawn(conformance, ['server', '--url', url, '--scenario', scenario, '-o', outDir], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    child.on('error', fail);
    child.on('exit', (code) => done({ code, output }));
  });
}

test('the MCP conformance scenarios pass against /mcp', async (t) => {
  // `make setup` installs the suite; without it this is a failure, not a skip.
  assert.ok(existsSync(conformance), `${conformance} is missing: run \`make setup\``);
  const server = await startServe(t);
  const url = `http://127.0.0.1:${server.port}/mcp`;
  for (const scenario of SCENARIOS) {
    await t.test(scenario, async () => {
      const outDir = mkdtempSync(join(tmpdir(), 'nga-conformance-'));
      try {
        const { code, output } = await withDeadline(runScenario(url, scenario, outDir),
          `conformance ${scenario}`, 60000);
        const checks = checksIn(outDir);
        const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
        console.log(`[conformance] ${scenario}: exit ${code}, ${checks.length} checks: `
          + checks.map((c) => `${c.id}=${c.status}`).join(' '));
        assert.ok(checks.length > 0, `no checks written:\n${output}`);
        assert.deepEqual(bad, [], output);
        assert.equal(code, 0, output);
      } finally {
        rmSync(outDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
    });
  }
});
