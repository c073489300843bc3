// Drives `ng-annotate mcp` with the official MCP TypeScript SDK client, and
// puts annotations into a store from another process with `ng-annotate import`.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, run } from './cli.js';

export { BIN };

// An MCP client connected to a fresh `ng-annotate mcp --root <root> ...args`
// (e.g. --store URL --project P), closed (and the process ended) after the test.
export async function connect(t, root, name = 'it-agent', args = []) {
  const transport = new StdioClientTransport({
    command: BIN,
    args: ['mcp', '--root', root, ...args],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => { stderr += chunk; });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  t.after(async () => {
    await client.close();
    if (stderr.trim()) console.log(`[${name} stderr] ${stderr.trim()}`);
  });
  return client;
}

// Calls a tool; returns {result, value}: the raw CallToolResult and, for a
// success, its structuredContent (checked to equal the JSON text).
export async function call(client, name, args = {}, options = {}) {
  const result = await client.callTool({ name, arguments: args }, undefined, options);
  let value;
  if (!result.isError) {
    value = result.structuredContent;
    const fromText = JSON.parse(result.content[0].text);
    if (JSON.stringify(fromText) !== JSON.stringify(value)) {
      throw new Error(`text and structuredContent differ: ${result.content[0].text}`);
    }
  }
  return { result, value };
}

// The text of a tool error ("Error: ...").
export function errorText(result) {
  if (!result.isError) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.content[0].text;
}

export function newSession(overrides = {}) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), createdAt: now, lastSeenAt: now, active: true,
    url: 'http://localhost:4200/', yoloMode: false, ...overrides,
  };
}

export function newAnnotation(sessionId, overrides = {}) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), sessionId, createdAt: now, updatedAt: now, status: 'pending', replies: [],
    componentName: 'ButtonComponent', componentFilePath: 'src/app/button.component.ts',
    selector: 'app-button', inputs: {}, domSnapshot: '<app-button></app-button>',
    componentTreePath: ['AppComponent'], annotationText: 'make this button primary',
    ...overrides,
  };
}

function importFile(sessions, annotations) {
  const dir = mkdtempSync(join(tmpdir(), 'nga-import-'));
  const file = join(dir, 'store.json');
  writeFileSync(file, JSON.stringify({
    sessions: Object.fromEntries(sessions.map((s) => [s.id, s])),
    annotations: Object.fromEntries(annotations.map((a) => [a.id, a])),
  }));
  return { dir, file };
}

// Upserts sessions and annotations from another process, synchronously.
export function importRecords(root, { sessions = [], annotations = [] }) {
  const { dir, file } = importFile(sessions, annotations);
  try {
    const r = run(['import', file, '--root', root]);
    if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

// The same without blocking this process: resolves with the time the
// importing process exited (performance.now()).
export function importRecordsAsync(root, { sessions = [], annotations = [] }) {
  const { dir, file } = importFile(sessions, annotations);
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['import', file, '--root', root], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('exit', (code) => {
      const at = performance.now();
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      if (code === 0) resolve(at); else reject(new Error(`import failed: ${stderr}`));
    });
  });
}

// Resolves as `promise` does, or rejects after `ms` naming what was awaited.
export function withDeadline(promise, what, ms = 10000) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
