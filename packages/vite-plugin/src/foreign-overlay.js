// ng-annotate-mcp beside ng-annotate on one dev server. Its overlay (from
// provideNgAnnotate() of its @ng-annotate/angular) and its Vite plugin
// (`ngAnnotateMcp()`, plugins named `ng-annotate-mcp…`) each do what ours
// does; two overlays on one page mean two sessions, both on Alt+Shift+A.
// These are the plain functions the sub-plugins use to notice it.

// The path our overlay POSTs to when it finds the other overlay on the page
// and steps aside (client/src/coexist.js); the dev server logs it.
export const NOTICE_PATH = '/__annotate/notice/foreign-overlay';

export function isNoticeRequest(req) {
  return req.method === 'POST' && String(req.originalUrl ?? req.url ?? '').split('?')[0] === NOTICE_PATH;
}

/** The dev-log line for a page whose overlay stepped aside. */
export function noticeLine(pageUrl) {
  const page = pageUrl ? `${pageUrl} runs` : 'a page runs';
  return `[ng-annotate] ${page} ng-annotate-mcp's overlay (provideNgAnnotate() of its @ng-annotate/angular): ` +
    "ng-annotate's overlay stays off on that page. Install ng-annotate's @ng-annotate/angular in its place to use ours.";
}

/** The name of ng-annotate-mcp's own Vite plugin among `plugins`, or null. */
export function foreignPluginIn(plugins) {
  const found = (plugins ?? []).find((p) => p && typeof p.name === 'string' && /^ng-annotate-mcp(:|$)/.test(p.name));
  return found ? found.name : null;
}

/** Reads a small request body (a page URL), bounded; resolves '' on any error. */
export function readSmallBody(req, limit = 2048) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > limit) {
        body = body.slice(0, limit);
        req.destroy();
        resolve(body);
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(''));
  });
}
