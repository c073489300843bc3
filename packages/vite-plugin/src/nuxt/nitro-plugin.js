// The Nitro plugin @ng-annotate/vite-plugin/nuxt adds in `nuxt dev` only:
// every page Nuxt's renderer makes (server-rendered, SPA shell, streamed
// shell) gets the overlay's script tag at the end of its <head>, and the
// response says so in a header, so that the module can tell (and say once in
// the dev log) when an HTML page reached the browser without it. No imports:
// Nitro bundles it on its own.
const TAG = '<script src="/__annotate/client.js"></script>';
const MARK = 'x-ng-annotate-overlay';

function markResponse(event) {
  try {
    const res = event?.node?.res; // h3 v1 (Nitro 2)
    if (res && !res.headersSent) { res.setHeader(MARK, '1'); return; }
    event?.res?.headers?.set?.(MARK, '1'); // h3 v2 (Nitro 3)
  } catch { /* headers already sent: the page still has the tag */ }
}

export default function ngAnnotateOverlay(nitroApp) {
  nitroApp.hooks.hook('render:html', (html, { event } = {}) => {
    if (!Array.isArray(html.head)) return; // not Nuxt's renderer as we know it: the module notices
    if (!html.head.some((chunk) => String(chunk).includes(TAG))) html.head.push(TAG);
    markResponse(event);
  });
}
