// /__annotate on Nuxt's own dev server. `nuxt dev` serves pages from its own
// listener (not Vite's httpServer), and hands every upgrade outside /_nuxt/
// to Nitro, which answers a WebSocket to /__annotate with a page (the
// browser sees "Unexpected response code: 200"). So the module, from Nuxt's
// `listen` hook, puts one dispatcher in front of the listener's `request` and
// `upgrade` listeners: /__annotate goes to the daemon, everything else to
// what was there, untouched.
//
// Nuxt reloads itself (a nuxt.config edit) on the same listener: the
// dispatcher is installed once per server and always asks the server's
// current bridge (a symbol property, replaced by each Nuxt instance's
// module), so an old instance's daemon handle is never used again.
import { isAnnotatePath } from '@ng-annotate/cli/lib/daemon.js';

const BRIDGE = Symbol.for('ng-annotate.nuxt.bridge');
const DISPATCHER = Symbol.for('ng-annotate.nuxt.dispatcher');

// Wraps the listeners `server` has for `event` (once: a dispatcher already in
// front stays). `take(...args)` returns true when it handled the event.
function putInFront(server, event, take) {
  const current = server.listeners(event);
  if (current.some((fn) => fn[DISPATCHER])) return;
  server.removeAllListeners(event);
  const dispatcher = function dispatch(...args) {
    if (take(...args)) return;
    for (const fn of current) fn.apply(this, args);
  };
  dispatcher[DISPATCHER] = true;
  server.on(event, dispatcher);
}

/**
 * Makes `bridge` ({request(req, res), upgrade(req, socket, head), seen(req, res)})
 * the one that serves /__annotate on `server` from now on; null detaches.
 */
export function attachBridge(server, bridge) {
  server[BRIDGE] = bridge;
  if (!bridge) return;
  putInFront(server, 'request', (req, res) => {
    const current = server[BRIDGE];
    if (!current) return false;
    if (isAnnotatePath(req.url)) { current.request(req, res); return true; }
    current.seen?.(req, res);
    return false;
  });
  putInFront(server, 'upgrade', (req, socket, head) => {
    const current = server[BRIDGE];
    if (!current || !isAnnotatePath(req.url)) return false;
    current.upgrade(req, socket, head);
    return true;
  });
}

/** The bridge now attached to `server`, or null. */
export function currentBridge(server) {
  return server?.[BRIDGE] ?? null;
}
