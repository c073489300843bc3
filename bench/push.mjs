// Figure 2: the agent calls `resolve` → the browser receives the update.
// Each iteration the browser creates one annotation, then we time from the
// agent's tool call to the browser seeing status "resolved".
import {
  now, ms, summary, tempDir, startServe, browser, createFrame, sdkClient, toolJson,
  startPeer, peerAgent, peerSession, peerCreate, peerEvents, stop, withDeadline,
} from './lib.mjs';

export async function ours(bin, iterations) {
  const root = tempDir('nga-bench-push-');
  const serve = await startServe(bin, root);
  const agent = await sdkClient(bin, ['mcp', '--root', root]);
  const page = await browser(serve.wsUrl);
  const times = [];
  const calls = []; // resolve call → its result back in the agent
  try {
    for (let i = 0; i < iterations; i++) {
      const created = new Promise((resolve) => {
        const off = page.on('annotation:created', (m) => { off(); resolve(m.annotation.id); });
      });
      page.ws.send(createFrame(i));
      const id = await withDeadline(created, 'annotation:created');
      let seen;
      const resolvedSeen = new Promise((resolve) => {
        const off = page.on('annotation:updated', (m) => {
          if (m.annotation.id === id && m.annotation.status === 'resolved') { seen = now(); off(); resolve(); }
        });
      });
      const t0 = now();
      const result = await agent.callTool({ name: 'resolve', arguments: { id, summary: 'made it primary' } });
      const t1 = now();
      toolJson(result);
      await withDeadline(resolvedSeen, 'annotation:updated (resolved)');
      times.push(ms(t0, seen));
      calls.push(ms(t0, t1));
    }
  } finally {
    page.ws.close();
    await agent.close();
    await stop(serve.child);
  }
  return { push: summary(times), call: summary(calls) };
}

// Peer: the browser side is its SSE stream GET /sessions/:id/events.
export async function peer(iterations) {
  const server = await startPeer();
  const agent = await peerAgent(server);
  const times = [];
  const calls = [];
  let events;
  try {
    const sessionId = await peerSession(server);
    events = await peerEvents(server, sessionId);
    for (let i = 0; i < iterations; i++) {
      const { id } = await peerCreate(server, sessionId, i);
      let seen;
      const resolvedSeen = new Promise((resolve) => {
        const off = events.on((ev) => {
          if (ev.type === 'annotation.updated' && ev.payload?.id === id && ev.payload.status === 'resolved') {
            seen = now(); off(); resolve();
          }
        });
      });
      const t0 = now();
      const result = await agent.callTool({
        name: 'agentation_resolve', arguments: { annotationId: id, summary: 'made it primary' },
      });
      const t1 = now();
      if (result.isError) throw new Error(`peer resolve: ${result.content[0].text}`);
      await withDeadline(resolvedSeen, 'annotation.updated (resolved) on SSE');
      times.push(ms(t0, seen));
      calls.push(ms(t0, t1));
    }
  } finally {
    events?.close();
    await agent.close();
    await stop(server.child);
  }
  return { push: summary(times), call: summary(calls) };
}
