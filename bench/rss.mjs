// Figure 5: idle RSS of the server a browser talks to, from
// /proc/PID/status VmRSS, after start-up plus one connected client.
import { sleep, tempDir, startServe, browser, stop, rssKiB, startPeer, peerSession, peerEvents } from './lib.mjs';

const SETTLE_MS = 1000;

export async function ours(bin) {
  const serve = await startServe(bin, tempDir('nga-bench-rss-'));
  const page = await browser(serve.wsUrl);
  try {
    await sleep(SETTLE_MS);
    return { rssKiB: rssKiB(serve.child.pid) };
  } finally {
    page.ws.close();
    await stop(serve.child);
  }
}

// The peer's `server` process (HTTP + its stdio MCP), with one session and
// one open event stream — what its toolbar holds.
export async function peer() {
  const server = await startPeer();
  let events;
  try {
    const sessionId = await peerSession(server);
    events = await peerEvents(server, sessionId);
    await sleep(SETTLE_MS);
    return { rssKiB: rssKiB(server.child.pid) };
  } finally {
    events?.close();
    await stop(server.child);
  }
}
