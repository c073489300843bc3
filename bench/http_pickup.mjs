// Pickup over Streamable HTTP, shared by bench/pg.mjs and bench/team.mjs:
// a browser-side socket creates through `front`, the agent's blocked
// watch_annotations returns it through `back`'s /mcp (the official SDK
// client). `auth` is what a team server asks for (bench/team.mjs); empty
// for the loopback dev mode. Resolves with {n, p50, p99, times}.
//   auth.agentHeaders   headers on every /mcp request (Authorization: Bearer)
//   auth.browserHeaders headers on the WebSocket upgrade (Cookie, Origin)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { now, ms, sleep, summary, browser, createFrame, toolJson, withDeadline } from './lib.mjs';

export async function httpAgent(port, headers = {}) {
  const client = new Client({ name: 'ng-annotate-bench', version: '1.0.0' });
  await withDeadline(client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
    requestInit: { headers },
  })), 'the MCP initialize handshake');
  return client;
}

export async function pickup(front, back, count, auth = {}) {
  const agent = await httpAgent(back.port, auth.agentHeaders);
  const page = await browser(front.wsUrl, auth.browserHeaders);
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
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
  return { ...summary(times), times };
}
