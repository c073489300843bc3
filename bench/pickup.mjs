// Figure 1: the browser creates an annotation → the agent's blocked
// `watch_annotations` returns it. Each iteration: the agent starts a watch
// (nothing is waiting, so it blocks), the browser creates, we time until the
// watch's result is in the agent's hands, then the agent acknowledges so the
// next watch blocks again.
import { spawn } from 'node:child_process';
import {
  now, ms, sleep, summary, tempDir, startServe, browser, createFrame, sdkClient, toolJson,
  startPeer, peerAgent, peerSession, peerCreate, http, stop, withDeadline, rawMcp, track,
} from './lib.mjs';

// Ours: `serve` for the browser socket, a separate `ng-annotate mcp` for the
// agent — the pickup crosses processes through the store's change feed.
// `client`: 'sdk' (the official MCP SDK client, the figure's definition) or
// 'raw' (JSON-RPC lines over the same stdio, no SDK: what is left when the
// SDK's parsing and schema validation are taken out).
export async function ours(bin, iterations, client = 'sdk') {
  const root = tempDir('nga-bench-pickup-');
  const serve = await startServe(bin, root);
  const agent = client === 'raw' ? await rawAgent(bin, root) : await sdkAgent(bin, root);
  const page = await browser(serve.wsUrl);
  const times = [];
  const echo = []; // create → annotation:created back on the socket
  try {
    for (let i = 0; i < iterations; i++) {
      const watch = agent.watch();
      // Let the watch reach `ng-annotate mcp` and block. 20 ms rules out a watch
      // that has not blocked yet (it would return at once and flatter us) and is
      // still far shorter than a real agent's idle wait.
      await sleep(20);
      let created;
      const gotCreated = new Promise((resolve) => {
        const off = page.on('annotation:created', (m) => { off(); created = now(); resolve(m.annotation.id); });
      });
      const t0 = now();
      page.ws.send(createFrame(i));
      const result = await withDeadline(watch, 'watch_annotations');
      const t1 = now();
      const id = await withDeadline(gotCreated, 'annotation:created');
      if (result.status !== 'annotations' || !result.annotations.some((a) => a.id === id)) {
        throw new Error(`watch returned ${JSON.stringify(result).slice(0, 300)}`);
      }
      times.push(ms(t0, t1));
      echo.push(ms(t0, created));
      for (const a of result.annotations) await agent.acknowledge(a.id);
    }
  } finally {
    page.ws.close();
    await agent.close();
    await stop(serve.child);
  }
  return { pickup: summary(times), echo: summary(echo) };
}

const WATCH = { name: 'watch_annotations', arguments: { timeoutMs: 20000 } };

async function sdkAgent(bin, root) {
  const c = await sdkClient(bin, ['mcp', '--root', root]);
  return {
    watch: async () => toolJson(await c.callTool(WATCH)),
    acknowledge: async (id) => toolJson(await c.callTool({ name: 'acknowledge', arguments: { id } })),
    close: () => c.close(),
  };
}

async function rawAgent(bin, root) {
  const { rpc, close } = await rawMcp(bin, root);
  const result = (line) => toolJson(JSON.parse(line).result);
  return {
    watch: async () => result(await rpc('tools/call', WATCH, 30000)),
    acknowledge: async (id) => result(await rpc('tools/call', { name: 'acknowledge', arguments: { id } })),
    close,
  };
}

// Peer: REST create (what its toolbar does) and its MCP watch, which waits
// out a batch window after the first annotation (minimum 1 s).
export async function peer(iterations) {
  const server = await startPeer();
  const agent = await peerAgent(server);
  const times = [];
  try {
    const sessionId = await peerSession(server);
    for (let i = 0; i < iterations; i++) {
      const watch = agent.callTool({
        name: 'agentation_watch_annotations',
        arguments: { sessionId, batchWindowSeconds: 1, timeoutSeconds: 30 },
      });
      // Wait until the watch holds its event stream open (the peer counts it).
      const deadline = Date.now() + 10000;
      for (;;) {
        const st = await http('GET', `${server.base}/status`);
        if (st.body.agentListeners >= 1) break;
        if (Date.now() > deadline) throw new Error('the peer watch never connected');
        await sleep(2);
      }
      const t0 = now();
      const created = await peerCreate(server, sessionId, i);
      const result = JSON.parse((await withDeadline(watch, 'agentation_watch_annotations', 40000)).content[0].text);
      const t1 = now();
      if (!result.annotations?.some((a) => a.id === created.id)) {
        throw new Error(`peer watch returned ${JSON.stringify(result).slice(0, 300)}`);
      }
      times.push(ms(t0, t1));
      for (const a of result.annotations) {
        await agent.callTool({ name: 'agentation_acknowledge', arguments: { annotationId: a.id } });
      }
      // The watch's stream closes asynchronously; don't count it next round.
      for (let k = 0; k < 500; k++) {
        const st = await http('GET', `${server.base}/status`);
        if (st.body.agentListeners === 0) break;
        await sleep(2);
      }
    }
  } finally {
    await agent.close();
    await stop(server.child);
  }
  return { pickup: summary(times) };
}

// The floor of this figure on this machine: the same three wake-ups after the
// same 20 ms idle (this process → a relay → another relay → this process),
// through two `cat` processes joined by pipes, doing no work at all.
export async function floor(iterations) {
  const relay = track(spawn('sh', ['-c', 'cat | cat'], { stdio: ['pipe', 'pipe', 'ignore'] }));
  let arrived = null;
  relay.stdout.on('data', () => arrived?.());
  const times = [];
  try {
    for (let i = 0; i < iterations; i++) {
      await sleep(20);
      const t0 = now();
      await withDeadline(new Promise((resolve) => { arrived = resolve; relay.stdin.write('x\n'); }), 'the relay');
      times.push(ms(t0, now()));
    }
  } finally {
    relay.stdin.end();
    await stop(relay);
  }
  return { pickup: summary(times) };
}
