// ng-annotate-mcp's overlay on the same page. Its Angular package's
// provideNgAnnotate() appends <nga-overlay> to the body while the app starts,
// and connects its own socket: with ours as well, the page would have two
// overlays and two sessions, both on Alt+Shift+A. When it is there, ours
// steps aside (see main.js), says so in the console once, and tells the dev
// server so that its log says it too.
export const FOREIGN_OVERLAY = 'nga-overlay';
// What the dev-server integrations log when a page reports it (POST, no body).
export const NOTICE_PATH = '/__annotate/notice/foreign-overlay';

export function foreignOverlayPresent(doc = document) {
  return !!doc.querySelector(FOREIGN_OVERLAY);
}

// Runs `fn` once the document has been parsed and its deferred and module
// scripts (the app's bootstrap) have run; at once if that is the case now.
export function afterAppStart(fn) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn, { once: true });
  else fn();
}

// Calls `onFound` once if the other overlay is added to the body later (an
// app that bootstraps after an await). Watches the body's own children only:
// that is where it is put, and it keeps the observer cheap.
export function watchForForeignOverlay(onFound) {
  if (!document.body || typeof MutationObserver !== 'function') return;
  const observer = new MutationObserver(() => {
    if (!foreignOverlayPresent()) return;
    observer.disconnect();
    onFound();
  });
  observer.observe(document.body, { childList: true });
}

export function stepAsideMessage() {
  return "[ng-annotate] ng-annotate-mcp's overlay (<nga-overlay>, from provideNgAnnotate() of its " +
    '@ng-annotate/angular) runs on this page, so this overlay stays off here: one overlay, one session. ' +
    "To use ng-annotate's, install ng-annotate's @ng-annotate/angular in its place (its provideNgAnnotate() does nothing).";
}

// Tells the server the overlay came from, for its log: a dev-server
// integration writes it to the dev server's log, `serve` (the proxy, or the
// plain script tag) to its stderr. A simple no-cors POST: no preflight, and
// nothing in the console whatever the answer.
export function reportToServer(origin) {
  try {
    fetch(origin + NOTICE_PATH, { method: 'POST', mode: 'no-cors', keepalive: true, body: location.href })
      .catch(() => {});
  } catch { /* no fetch: the console line is enough */ }
}
