// The overlay's reading of React's dev-time stacks (client/src/context/frames.js)
// and of index source maps (sourcemap.js's lookup): which frame is the user's
// code, on the stacks real dev servers produce (Next.js with Turbopack and
// with webpack, Rsbuild, Vite), and where a position in a Turbopack chunk
// comes from. Pure modules, run under Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appFrames, parseFrames, isBundleUrl, isFrameworkPlace, serverFileUrl } from '../../client/src/context/frames.js';
import { lookup } from '../../client/src/context/sourcemap.js';

// Copied from React 19.3's `_debugStack` in each dev server (paths shortened).
const TURBOPACK_CLIENT = `Error: react-stack-top-frame
    at exports.jsxDEV (http://localhost:3000/_next/static/chunks/_1eblcvo7hgcfv._.js:325:33)
    at PriceTag (http://localhost:3000/_next/static/chunks/_1eblcvo7hgcfv._.js:50:214)
    at Object.react_stack_bottom_frame (http://localhost:3000/_next/static/chunks/1daa_next_dist_compiled_react-dom_cjs_react-dom-client_development_0mp0cp_t-ezj9.js:15013:24)
    at renderWithHooks (http://localhost:3000/_next/static/chunks/1daa_next_dist_compiled_react-dom_cjs_react-dom-client_development_0mp0cp_t-ezj9.js:4457:28)`;
const TURBOPACK_SERVER = `Error: react-stack-top-frame
    at fakeJSXCallSite (http://localhost:3000/_next/static/chunks/node_modules_next_dist_compiled_react-server-dom-turbopack_164kp-67asdr9._.js:2093:21)
    at ServerNote (about://React/Prerender/file:///app/.next/dev/server/chunks/ssr/%5Broot-of-the-server%5D__0yqwi4j13dhnn._.js?6:91:263)
    at Object.react_stack_bottom_frame (http://localhost:3000/_next/static/chunks/node_modules_next_dist_compiled_react-server-dom-turbopack_164kp-67asdr9._.js:2859:93)`;
const WEBPACK_CLIENT = `Error: react-stack-top-frame
    at exports.jsxDEV (webpack-internal:///(app-pages-browser)/./node_modules/next/dist/compiled/react/cjs/react-jsx-dev-runtime.development.js:333:29)
    at PriceTag (webpack-internal:///(app-pages-browser)/./app/components/PriceTag.tsx:8:87)
    at Object.react_stack_bottom_frame (webpack-internal:///(app-pages-browser)/./node_modules/next/dist/compiled/react-dom/cjs/react-dom-client.development.js:28588:20)`;
const WEBPACK_SERVER = `Error: react-stack-top-frame
    at fakeJSXCallSite (webpack-internal:///(app-pages-browser)/./node_modules/next/dist/compiled/react-server-dom-webpack/cjs/react-server-dom-webpack-client.browser.development.js:3647:19)
    at ServerNote (about://React/Prerender/webpack-internal:///(rsc)/./app/components/ServerNote.tsx?6:10:87)`;
const RSBUILD = `Error: react-stack-top-frame
    at exports.jsxDEV (http://localhost:3000/static/js/lib-react.js:333:1)
    at PriceTag (http://localhost:3000/static/js/index.js:120:22)`;
const NEXT_WRAPPER = `Error: react-stack-top-frame
    at exports.jsxDEV (http://localhost:3000/_next/static/chunks/_1eblcvo7hgcfv._.js:325:33)
    at InnerLayoutRouter (http://localhost:3000/_next/static/chunks/02lb_next_dist_client_1ezjb3541r0mg._.js:880:12)`;
const VITE = `Error: react-stack-top-frame
    at exports.jsxDEV (http://localhost:5173/node_modules/.vite/deps/react_jsx-dev-runtime.js?v=1:250:12)
    at PriceTag (http://localhost:5173/src/components/PriceTag.tsx?t=1:6:7)`;

const first = (stack) => { const f = appFrames(stack)[0]; return f && `${f.fn} ${f.url}:${f.line}:${f.column}`; };

test('the first app frame skips React\'s functions and the framework\'s code, on every dev server', () => {
  assert.equal(first(TURBOPACK_CLIENT), 'PriceTag http://localhost:3000/_next/static/chunks/_1eblcvo7hgcfv._.js:50:214');
  assert.equal(first(TURBOPACK_SERVER), 'ServerNote about://React/Prerender/file:///app/.next/dev/server/chunks/ssr/%5Broot-of-the-server%5D__0yqwi4j13dhnn._.js?6:91:263');
  assert.equal(first(WEBPACK_CLIENT), 'PriceTag webpack-internal:///(app-pages-browser)/./app/components/PriceTag.tsx:8:87');
  assert.equal(first(WEBPACK_SERVER), 'ServerNote about://React/Prerender/webpack-internal:///(rsc)/./app/components/ServerNote.tsx?6:10:87');
  assert.equal(first(RSBUILD), 'PriceTag http://localhost:3000/static/js/index.js:120:22');
  assert.equal(first(VITE), 'PriceTag http://localhost:5173/src/components/PriceTag.tsx?t=1:6:7');
  assert.equal(first(NEXT_WRAPPER), undefined, 'a Next wrapper\'s own JSX is all framework code');
});

test('frames parse with parentheses in the URL and without a function name', () => {
  assert.deepEqual(parseFrames('Error\n    at http://h/a.js:1:2\n    at F (webpack-internal:///(rsc)/./x.tsx:3:4)\n    at Array.map (<anonymous>)'), [
    { fn: '', url: 'http://h/a.js', line: 1, column: 2 },
    { fn: 'F', url: 'webpack-internal:///(rsc)/./x.tsx', line: 3, column: 4 },
  ]);
});

test('a server component\'s frame names a server file; bundles are told from modules served as written', () => {
  assert.equal(serverFileUrl('about://React/Server/file:///a/b.js?12'), 'file:///a/b.js');
  assert.equal(serverFileUrl('http://h/a.js'), null);
  assert.ok(isBundleUrl('http://h/_next/static/chunks/_1eb._.js'));
  assert.ok(isBundleUrl('about://React/Prerender/file:///app/.next/dev/server/chunks/ssr/x._.js?6'));
  assert.ok(isBundleUrl('http://h/static/js/index.js'));
  assert.ok(!isBundleUrl('http://h/src/components/PriceTag.tsx?t=1'));
  assert.ok(!isBundleUrl('webpack-internal:///(app-pages-browser)/./app/components/PriceTag.tsx'));
  assert.ok(!isBundleUrl('about://React/Prerender/webpack-internal:///(rsc)/./app/components/ServerNote.tsx?6'));
  assert.ok(isFrameworkPlace('file:///app/node_modules/next/dist/compiled/react/cjs/react-jsx-dev-runtime.development.js'));
  assert.ok(!isFrameworkPlace('file:///app/app/components/PriceTag.tsx'));
});

// An index map as Turbopack writes it: one section per module in the chunk.
// Mappings: "AAAA" maps generated column 0 to source 0, line 0, column 0;
// ";AACA" moves one generated line and one source line down.
test('an index map (sections) resolves a position to its section\'s source, offsets applied', () => {
  const map = {
    version: 3, sources: [],
    sections: [
      { offset: { line: 0, column: 0 }, map: { version: 3, sources: ['file:///app/node_modules/react/jsx.js'], mappings: 'AAAA' } },
      { offset: { line: 10, column: 0 }, map: { version: 3, sources: ['file:///app/app/components/PriceTag.tsx'], mappings: 'AAAA;AACA;AACA,IAAI' } },
      { offset: { line: 20, column: 4 }, map: { version: 3, sources: ['turbopack:///[project]/app/page.tsx'], mappings: 'AAAA' } },
    ],
  };
  assert.deepEqual(lookup(map, 0, 3), { source: 'file:///app/node_modules/react/jsx.js', line: 0, column: 0 });
  assert.deepEqual(lookup(map, 12, 6), { source: 'file:///app/app/components/PriceTag.tsx', line: 2, column: 4 });
  assert.deepEqual(lookup(map, 20, 9), { source: 'turbopack:///[project]/app/page.tsx', line: 0, column: 0 });
  assert.equal(lookup(map, 20, 2), null, 'before the third section\'s column: the second section has no such line');
});

test('a plain map keeps working, sourceRoot applied', () => {
  assert.deepEqual(lookup({ version: 3, sourceRoot: 'webpack://app/', sources: ['./src/a.tsx'], mappings: ';AACA' }, 1, 0),
    { source: 'webpack://app/./src/a.tsx', line: 1, column: 0 });
});
