// Fan-out: `count` sockets connected, each on its own session with one
// annotation. The agent (the SDK client on a separate `ng-annotate mcp`)
// resolves them one after another; timed from the resolve call to the right
// socket seeing status "resolved", with every other socket still connected.
import { now, ms, summary, tempDir, startServe, browser, createFrame, sdkClient, toolJson, stop, withDeadline } from './lib.mjs';

// The agent resolves annotation `id`: ms from the call to `page` seeing it resolved.
export async function timeResolve(agent, page, id) {
  let seen;
  const resolved = new Promise((resolve) => {
    const off = page.on('annotation:updated', (m) => {
      if (m.annotation.id === id && m.annotation.status === 'resolved') { seen = now(); off(); resolve(); }
    });
  });
  const t0 = now();
  toolJson(await agent.callTool({ name: 'resolve', arguments: { id } }));
  await withDeadline(resolved, 'annotation:updated (resolved)');
  return ms(t0, seen);
}

export async function ours(bin, count) {
  const root = tempDir('nga-bench-fanout-');
  const serve = await startServe(bin, root);
  const pages = [];
  let agent;
  try {
    for (let i = 0; i < count; i++) pages.push(await browser(serve.wsUrl));
    const ids = await Promise.all(pages.map((page, i) => {
      const created = new Promise((resolve) => {
        const off = page.on('annotation:created', (m) => { off(); resolve(m.annotation.id); });
      });
      page.ws.send(createFrame(i));
      return withDeadline(created, 'annotation:created', 60000);
    }));
    agent = await sdkClient(bin, ['mcp', '--root', root]);
    const times = [];
    for (let i = 0; i < count; i++) times.push(await timeResolve(agent, pages[i], ids[i]));
    return { sockets: count, push: summary(times) };
  } finally {
    for (const page of pages) page.ws.terminate();
    if (agent) await agent.close();
    await stop(serve.child);
  }
}
