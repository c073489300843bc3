// get_all_pending with `pending` of `stored` annotations (SPEC §11: 1 000 of
// 100 000 in ≤ 10 ms in the server, ≤ 30 ms as an SDK round trip). Two ways:
//   * raw: JSON-RPC lines over the stdio of `ng-annotate mcp`, timed from
//     the request's write to the response line: the server's time plus a
//     pipe hop each way and Node reading the line (an upper bound of the
//     server's own time);
//   * sdk: the official MCP SDK client's callTool round trip (includes its
//     JSON parse and schema validation of the ~1 000-item result).
import { now, ms, summary, sdkClient, toolJson, rawMcp } from './lib.mjs';

async function raw(bin, root, calls) {
  const { rpc, close } = await rawMcp(bin, root);
  try {
    const times = [];
    let bytes = 0;
    let count = 0;
    for (let i = 0; i < calls; i++) {
      const t0 = now();
      const line = await rpc('tools/call', { name: 'get_all_pending', arguments: {} });
      times.push(ms(t0, now()));
      bytes = line.length;
      if (i === 0) {
        count = toolJson(JSON.parse(line).result).annotations?.length ?? 0;
      }
    }
    return { ...summary(times), bytes, count };
  } finally {
    await close();
  }
}

async function sdk(bin, root, calls) {
  const client = await sdkClient(bin, ['mcp', '--root', root]);
  try {
    const times = [];
    let count = 0;
    for (let i = 0; i < calls; i++) {
      const t0 = now();
      const result = await client.callTool({ name: 'get_all_pending', arguments: {} });
      times.push(ms(t0, now()));
      count = toolJson(result).annotations?.length ?? 0;
    }
    return { ...summary(times), count };
  } finally {
    await client.close();
  }
}

export async function ours(bin, root, calls) {
  return { raw: await raw(bin, root, calls), sdk: await sdk(bin, root, calls) };
}
