// @ng-annotate/angular:application's rewrite of a preview build's files
// (packages/angular/src/application/preview-output.js): Angular's template
// source locations become short source ids, and no template path is left.
// tests/e2e/preview-build.test.js runs it on a real `ng build` of the demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { rewriteBuiltScript, hasRuntime, fileId } = require('../../packages/angular/src/application/preview-output.js');

// What Angular's runtime and a compiled template look like once minified.
const RUNTIME = 'function Pa(e,t){let n=W(),r="data-ng-source-location";for(let[o,i,s,a]of t){let l=q(o+25,n);l.hasAttribute(r)||n[11].setAttribute(l,r,`${e}@o:${i},l:${s},c:${a}`)}}';
const TEMPLATE = 'function c(e,t){e&1&&(g(0,"aside",0)(1,"h2",1),x(2,"Sumer sale"),m()(),Pa("src/app/promo-card/promo-card.html",[[0,0,0,0],[1,29,1,2]]))}';

test('template paths become file ids, the attribute data-nga-id, and the manifest gets every id', () => {
  const ids = new Map();
  const runtime = rewriteBuiltScript(RUNTIME, ids);
  assert.ok(hasRuntime(runtime), runtime);
  assert.ok(!runtime.includes('data-ng-source-location'));
  assert.ok(runtime.includes('`${e}.${s}.${a}`'), runtime);
  const template = rewriteBuiltScript(TEMPLATE, ids);
  const file = fileId('src/app/promo-card/promo-card.html');
  assert.match(file, /^[0-9a-f]{8}$/);
  assert.ok(template.includes(`Pa("${file}",[[0,0,0,0],[1,29,1,2]])`), template);
  assert.ok(!template.includes('promo-card.html'));
  assert.deepEqual(Object.fromEntries(ids), {
    [`${file}.0.0`]: 'src/app/promo-card/promo-card.html:1:1',
    [`${file}.1.2`]: 'src/app/promo-card/promo-card.html:2:3',
  });
  // A file without either is left alone.
  assert.equal(rewriteBuiltScript('console.log("src/app/x.html")', ids), null);
});
