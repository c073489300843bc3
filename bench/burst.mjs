// A connect burst (issue 21 item 8): one good browser, already connected,
// creates an annotation and waits for its annotation:created, one every
// PACE_MS; meanwhile `count` WebSockets open at once (each a new session:
// the connect sequence writes to the store and sends session:created,
// manifest:update and annotations:sync). The figure is the good browser's
// worst round trip during the burst, beside the same round trips with no
// burst. The burst runs on a worker thread, so this thread's own event loop
// is not what delays the good browser.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { now, ms, summary, sleep, tempDir, startServe, browser, createFrame, stop, withDeadline, WebSocket } from './lib.mjs';

const PACE_MS = 10;
// Under limits::kAnnotationsPerSession (2 000) with the warm-up and baseline.
const MAX_DURING = 1500;

if (!isMainThread) {
  // The burst: open every socket at once, resolve when each has its
  // session:created (or failed); then hold them until told to close.
  const { wsUrl, count } = workerData;
  const sockets = [];
  let opened = 0;
  let failed = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: count }, () => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl);
    sockets.push(ws);
    ws.on('message', (data) => {
      if (String(data).startsWith('{"type":"session:created"')) { opened++; resolve(); }
    });
    ws.on('error', () => { failed++; resolve(); });
    ws.on('close', () => resolve());
  })));
  parentPort.postMessage({ opened, failed, seconds: ms(t0, now()) / 1000 });
  parentPort.once('message', () => {
    for (const ws of sockets) ws.terminate();
    parentPort.close();
  });
}

export async function ours(bin, count, baselineN = 200) {
  const root = tempDir('nga-bench-burst-');
  const serve = await startServe(bin, root);
  let worker;
  try {
    const good = await browser(serve.wsUrl);
    let i = 0;
    const roundTrip = async () => {
      const created = new Promise((resolve) => {
        const off = good.on('annotation:created', () => { off(); resolve(now()); });
      });
      const t0 = now();
      good.ws.send(createFrame(i++));
      return ms(t0, await withDeadline(created, 'annotation:created', 30000));
    };
    for (let k = 0; k < 20; k++) await roundTrip();  // warm-up
    const baseline = [];
    for (let k = 0; k < baselineN; k++) {
      baseline.push(await roundTrip());
      await sleep(PACE_MS);
    }

    worker = new Worker(new URL(import.meta.url), { workerData: { wsUrl: serve.wsUrl, count } });
    let burst = null;
    const finished = withDeadline(new Promise((resolve, reject) => {
      worker.once('message', (m) => { burst = m; resolve(); });
      worker.once('error', reject);
    }), `${count} sockets to open`, 300000);
    const during = [];
    while (!burst && during.length < MAX_DURING) {
      during.push(await roundTrip());
      await sleep(PACE_MS);
    }
    await finished;
    if (burst.opened < count) throw new Error(`only ${burst.opened} of ${count} sockets opened (${burst.failed} failed)`);
    const max = (values) => Math.max(...values);
    return {
      sockets: count,
      burstSeconds: burst.seconds,
      baseline: { ...summary(baseline), max: max(baseline) },
      during: { ...summary(during), max: max(during) },
      truncated: during.length >= MAX_DURING,
    };
  } finally {
    if (worker) {
      worker.postMessage('close');
      await withDeadline(new Promise((resolve) => worker.once('exit', resolve)), 'the burst worker to exit', 30000).catch(() => worker.terminate());
    }
    await stop(serve.child);
  }
}
