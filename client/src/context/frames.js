// Stack frames of React's dev-time stacks (`_debugStack`, a server component's
// `debugStack`), and which of them are the app's own code. React's frames and
// the framework's (react-dom, Next's `next/dist`, anything in node_modules,
// vendor chunks such as Rsbuild's `lib-react.js`) say nothing about what the
// user wrote, so the overlay skips them. Pure functions: no DOM.

// Functions React itself runs to make an element or a component: the frame
// after them is the caller, i.e. the JSX the user wrote.
const REACT_FUNCTIONS = /^(?:Object\.|exports\.|module\.exports\.)?(?:jsxDEV|jsxs|jsx|jsxProd|createElement|fakeJSXCallSite|react_stack_bottom_frame|react-stack-top-frame)$/;

// Where framework and library code is served from: in a URL, a bundler's
// chunk name, or a source map's `sources`.
const FRAMEWORK_PLACE = new RegExp([
  '/node_modules/', '(?:^|[/_])node_modules_', '/\\.vite/deps/', '/@react-refresh', '/@vite/',
  'react-dom', 'react-jsx', 'jsx-dev-runtime', 'react-server-dom', 'react-stack-top-frame',
  '/next/dist/', '[/_]next_dist_', '/_next/static/chunks/(?:webpack|main-app|app-pages-internals|polyfills)',
  '/lib-react\\.js', '/lib-router\\.js', '[/.~-]vendors?[.~-]', '/chunk-vendors', '\\[turbopack\\]',
].join('|'));

export const isFrameworkPlace = (urlOrSource) => FRAMEWORK_PLACE.test(String(urlOrSource || ''));

// A server component's frame as React replays it in the browser:
// "about://React/Prerender/file:///abs/.next/server/chunk.js?3" → the file URL.
export function serverFileUrl(url) {
  const m = /^about:\/\/React\/[^/]*\/(.+?)(?:\?\d+)?$/.exec(String(url || ''));
  return m ? m[1] : null;
}

// "    at Fn (http://host/x.js:1:2)" / "at http://host/x.js:1:2" → {fn, url, line, column}.
// URLs may hold parentheses: "webpack-internal:///(app-pages-browser)/./app/x.tsx".
export function parseFrames(stack) {
  const out = [];
  for (const raw of String(stack || '').split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    let fn = '', where = line.slice(3);
    const open = where.indexOf(' (');
    if (open > 0 && where.endsWith(')')) { fn = where.slice(0, open); where = where.slice(open + 2, -1); }
    const m = /^((?:https?|file|webpack[\w-]*|about|rsc):\/\/?\S+?|\/\S+?):(\d+):(\d+)$/.exec(where);
    if (!m) continue;
    out.push({ fn, url: m[1], line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

// The frames that may be the user's code, in stack order: React's own
// functions and framework places left out.
export function appFrames(stack) {
  return parseFrames(stack).filter((f) => !REACT_FUNCTIONS.test(f.fn) && !isFrameworkPlace(f.url)
    && !/^<anonymous>$|^native$/.test(f.url));
}

// A served bundle (its name says nothing about the source file): only its
// source map knows the file. Vite serves modules under their own path, and
// webpack's eval'd modules are named "webpack-internal:///./app/x.tsx".
export function isBundleUrl(url) {
  const u = serverFileUrl(url) || String(url || '');
  return /\/_next\/static\/|\/\.next\/|\/static\/js\/|\/chunks?\/|[._-]chunk\.|\._\.js(?:$|\?)|\/dist\/|\.bundle\.|\/main\.js(?:$|\?)/.test(u);
}
