// The source-stamp transform of packages/vite-plugin/src/stamp.js (contract
// C4) as plain functions, without Vite running: text in, text out. The
// parsers are the fixture apps' own (examples/*/node_modules, installed by
// `make setup`), as the plugin resolves them from a user's project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import {
  lineStarts, lineColumn, escapeAttr, insertStamps, stampJsx, stampJsxWithMap, stampVue, stampSvelte, jsxLang, jsxPoints,
} from '../../packages/vite-plugin/src/stamp.js';
import { scanJsxHostElements } from '../../packages/vite-plugin/src/jsx-scan.js';
import { rootRelative, isSourceModule } from '../../packages/vite-plugin/src/stamp-plugin.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fromApp = (app, spec) => {
  const require = createRequire(join(REPO, 'examples', app, 'package.json'));
  return import(pathToFileURL(require.resolve(spec)).href).then((m) => (m.parse || m.parseAst ? m : m.default));
};
const { parseAst } = await fromApp('react-demo', 'vite');
const compilerSfc = await fromApp('vue-demo', 'vue/compiler-sfc');
const svelteCompiler = await fromApp('svelte-demo', 'svelte/compiler');

// Every stamp in `text`, in order.
const stamps = (text) => [...text.matchAll(/data-nga-src="([^"]*)"/g)].map((m) => m[1]);

test('line and column are 1-based, counted from the element\'s <', () => {
  const starts = lineStarts('ab\ncd\n\nx');
  assert.deepEqual(starts, [0, 3, 6, 7]);
  assert.deepEqual(lineColumn(starts, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(starts, 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn(starts, 6), { line: 3, column: 1 });
  assert.deepEqual(lineColumn(starts, 7), { line: 4, column: 1 });
});

test('insertStamps puts the attribute after the tag name, whatever order the points come in', () => {
  const text = '<a><b/></a>';
  const out = insertStamps(text, 'x.vue', [{ tagStart: 3, insertAt: 5 }, { tagStart: 0, insertAt: 2 }]);
  assert.equal(out, '<a data-nga-src="x.vue:1:1"><b data-nga-src="x.vue:1:4"/></a>');
  assert.equal(insertStamps(text, 'x.vue', []), text);
});

test('paths with characters that templates treat specially are escaped', () => {
  assert.equal(escapeAttr('src/{id}/a&b "c".svelte:1:1'), 'src/&#123;id&#125;/a&#38;b &#34;c&#34;.svelte:1:1');
});

test('rootRelative gives forward slashes under the root', () => {
  assert.equal(rootRelative('/p/app', '/p/app/src/components/Card.tsx'), 'src/components/Card.tsx');
});

test('isSourceModule: the project\'s own JSX/TSX, Vue and Svelte files, no query, no dependency, nothing outside the root', () => {
  for (const file of ['src/A.jsx', 'src/A.tsx', 'src/A.vue', 'src/A.svelte']) {
    assert.equal(isSourceModule('/p/app', `/p/app/${file}`), true, file);
  }
  assert.equal(isSourceModule('/p/app', '/p/app/src/a.ts'), false, 'not a file with elements');
  assert.equal(isSourceModule('/p/app', '/p/app/src/A.vue?vue&type=style'), false, 'a query');
  assert.equal(isSourceModule('/p/app', '/p/app/node_modules/lib/A.jsx'), false, 'a dependency');
  assert.equal(isSourceModule('/p/app', '/p/other/A.jsx'), false, 'outside the root');
  assert.equal(isSourceModule('/p/app', 'src/A.jsx'), false, 'not an absolute path');
});

test('TSX: host elements are stamped, components, member tags and fragments are not; generics parse', () => {
  const src = [
    'const id = <T,>(x: T) => x',
    'export function Card({ n }: { n: number }) {',
    '  return (',
    '    <>',
    '      <section className="€ card">',
    '        <Price amount={n} /><ui.Badge />',
    '        <b>{n > 1 ? "many" : "one"}</b><my-widget />',
    '      </section>',
    '    </>',
    '  )',
    '}',
  ].join('\n');
  const out = stampJsx(src, 'src/Card.tsx', parseAst, '/abs/src/Card.tsx');
  assert.deepEqual(stamps(out), ['src/Card.tsx:5:7', 'src/Card.tsx:7:9', 'src/Card.tsx:7:40']);
  assert.match(out, /<section data-nga-src="src\/Card\.tsx:5:7" className="€ card">/);
  assert.match(out, /<Price amount=\{n\} \/><ui\.Badge \/>/);
  // Stamping twice changes nothing the second time (an element that has one keeps it).
  assert.equal(stampJsx(out, 'src/Card.tsx', parseAst, '/abs/src/Card.tsx'), null);
  // The result is still valid TSX.
  assert.doesNotThrow(() => parseAst(out, { lang: 'tsx' }));
});

test('JSX: a file that does not parse, or has no elements, is left alone', () => {
  assert.equal(stampJsx('export const x = <div>', 'a.jsx', parseAst), null);
  assert.equal(stampJsx('export const x = 1 < 2', 'a.jsx', parseAst), null);
  assert.equal(jsxLang('a.tsx'), 'tsx');
  assert.equal(jsxLang('a.jsx'), 'jsx');
});

test('Vue SFC: template elements get absolute file positions; components, <slot>, <template> and script do not', () => {
  const src = [
    '<script setup lang="ts">',
    'const html = "<div>not markup</div>"',
    '</script>',
    '',
    '<template>',
    '  <ul class="list">',
    '    <li v-for="i in 3" :key="i"><Item :n="i" /></li>',
    '    <template v-if="true"><em>€ x</em></template>',
    '    <slot />',
    '  </ul>',
    '</template>',
    '<style>div { color: red }</style>',
  ].join('\n');
  const out = stampVue(src, 'src/components/List.vue', compilerSfc);
  assert.deepEqual(stamps(out), ['src/components/List.vue:6:3', 'src/components/List.vue:7:5', 'src/components/List.vue:8:27']);
  assert.match(out, /const html = "<div>not markup<\/div>"/);
  assert.match(out, /<Item :n="i" \/>/);
  const again = compilerSfc.parse(out);
  assert.equal(again.errors.length, 0);
  assert.equal(stampVue(out, 'src/components/List.vue', compilerSfc), null);
});

test('Vue SFC: a pug template, a template-less file and a broken file are left alone', () => {
  assert.equal(stampVue('<template lang="pug">div</template>', 'a.vue', compilerSfc), null);
  assert.equal(stampVue('<script>export default {}</script>', 'a.vue', compilerSfc), null);
  assert.equal(stampVue('<template><div></template>', 'a.vue', compilerSfc), null);
});

test('Svelte: markup elements inside blocks are stamped; components, svelte:* and script are not', () => {
  const src = [
    '<script lang="ts">',
    '  let { items }: { items: string[] } = $props()',
    '  const s = "<p>no</p>"',
    '</script>',
    '',
    '<svelte:head><title>t</title></svelte:head>',
    '<ul>',
    '  {#each items as item}',
    '    <li><Item {item} /></li>',
    '  {:else}',
    '    <p class="{x}">none €</p>',
    '  {/each}',
    '</ul>',
    '<style>ul { margin: 0 }</style>',
  ].join('\n');
  const out = stampSvelte(src, 'src/lib/List.svelte', svelteCompiler);
  // <title> in <svelte:head> is Svelte's TitleElement, not page content: no stamp.
  assert.deepEqual(stamps(out), ['src/lib/List.svelte:7:1', 'src/lib/List.svelte:9:5', 'src/lib/List.svelte:11:5']);
  assert.match(out, /const s = "<p>no<\/p>"/);
  assert.match(out, /<Item \{item\} \/>/);
  assert.doesNotThrow(() => svelteCompiler.parse(out, { modern: true }));
  assert.equal(stampSvelte(out, 'src/lib/List.svelte', svelteCompiler), null);
  assert.equal(stampSvelte('<div>{</div>', 'a.svelte', svelteCompiler), null);
});

test('Svelte props: the compiled component hands $$props to its root elements, lines unmoved; snippets, blocks and modules untouched', async () => {
  const { exposeSvelteProps, exposeSveltePropsWithMap } = await import('../../packages/vite-plugin/src/svelte-props.js');
  const src = [
    '<script lang="ts">',
    '  let { items, title }: { items: string[]; title: string } = $props()',
    '</script>',
    '{#snippet row(x)}<i>{x}</i>{/snippet}',
    '<h2>{title}</h2>',
    '<ul>{#each items as item}<li>{@render row(item)}</li>{/each}</ul>',
  ].join('\n');
  const js = svelteCompiler.compile(src, { dev: true, filename: '/abs/List.svelte', generate: 'client' }).js.code;
  const out = exposeSvelteProps(js);
  assert.ok(out);
  assert.deepEqual(out.split('\n').slice(0, js.split('\n').length).map((l) => l.replace(/__nga_expose\([\w$]+, \$\$props\); /, '')), js.split('\n'));
  assert.equal((out.match(/__nga_expose\(fragment, \$\$props\); \$\.append\(\$\$anchor, fragment\);/g) || []).length, 1, out);
  // The snippet and the each block keep their own appends.
  assert.equal((out.match(/__nga_expose\(/g) || []).length, 2); // the call + the helper's definition
  // It runs: root elements of a fragment get the props object.
  const helper = out.slice(out.lastIndexOf('\nfunction __nga_expose'));
  const expose = new Function(`${helper}; return __nga_expose;`)();
  const a = { nodeType: 1 }, b = { nodeType: 1 };
  const props = { items: [] };
  expose({ nodeType: 11, children: [a, b] }, props);
  assert.equal(a.__ngaProps, props);
  assert.equal(b.__ngaProps, props);
  // A single root element gets them at the end of its append line: no code
  // moves, so there is no map of its own (the map so far holds as it is).
  const single = svelteCompiler.compile('<script>let { n } = $props()</script>\n<p class="x">{n}</p>\n', { dev: true, filename: '/abs/One.svelte', generate: 'client' }).js.code;
  const one = exposeSveltePropsWithMap(single, '/abs/One.svelte');
  assert.equal(one.map, null);
  const before = single.split('\n');
  const after = one.code.split('\n');
  assert.equal(after.length, before.length);
  assert.ok(after.every((l, i) => l.startsWith(before[i])), one.code);
  assert.match(one.code, /^\t\$\.append\(\$\$anchor, (p)\); \1\.__ngaProps = \$\$props;$/m);
  // A compiled .svelte.js module is no component.
  const mod = svelteCompiler.compileModule('export const n = $state(1);', { dev: true, filename: '/abs/n.svelte.js' }).js.code;
  assert.equal(exposeSvelteProps(mod), null);
});

// The map of ./insert-map.js, decoded by a real source-map reader.
const { SourceMapConsumer } = createRequire(join(REPO, 'examples/react-demo/package.json'))('source-map-js');

test('the stamped text comes with a map back to the original: tokens after a stamp keep their column', () => {
  const src = 'const a = 1\nexport const X = () => <div className="x">{a}</div>\n';
  const { code, map } = stampJsxWithMap(src, 'src/X.tsx', null, '/abs/src/X.tsx');
  assert.equal(code, 'const a = 1\nexport const X = () => <div data-nga-src="src/X.tsx:2:24" className="x">{a}</div>\n');
  assert.deepEqual(map.sources, ['/abs/src/X.tsx']);
  assert.deepEqual(map.sourcesContent, [src]);
  const consumer = new SourceMapConsumer(map);
  const at = (needle) => {
    const line = code.split('\n').findIndex((l) => l.includes(needle));
    return consumer.originalPositionFor({ line: line + 1, column: code.split('\n')[line].indexOf(needle) });
  };
  const orig = (needle) => {
    const line = src.split('\n').findIndex((l) => l.includes(needle));
    return { line: line + 1, column: src.split('\n')[line].indexOf(needle) };
  };
  for (const token of ['className', '{a}', '</div>', 'const X', '<div']) {
    const got = at(token);
    assert.deepEqual({ line: got.line, column: got.column }, orig(token), token);
  }
  // The inserted attribute maps to where it was inserted (just after `<div`).
  const stamp = at('data-nga-src');
  assert.deepEqual({ line: stamp.line, column: stamp.column }, { line: 2, column: 27 });
  // Every line of the output has a mapping (DevTools can step through all of it).
  assert.equal(map.mappings.split(';').length, code.split('\n').length);
});

test('insertions with line breaks (the Svelte props helper) keep later lines mapped', async () => {
  const { applyInsertions } = await import('../../packages/vite-plugin/src/insert-map.js');
  const { code, map } = applyInsertions('ab\ncd', [{ at: 5, text: '\nx\ny' }, { at: 3, text: 'Z' }, { at: 0, text: '>' }], 'f.js');
  assert.equal(code, '>ab\nZcd\nx\ny');
  const c = new SourceMapConsumer(map);
  assert.deepEqual([c.originalPositionFor({ line: 2, column: 1 }).line, c.originalPositionFor({ line: 2, column: 1 }).column], [2, 0]);
  assert.deepEqual([c.originalPositionFor({ line: 1, column: 1 }).line, c.originalPositionFor({ line: 1, column: 1 }).column], [1, 0]);
});

// JSX host elements found by the scan must be exactly what a parser finds.
const parsedPoints = (code, file) => jsxPoints(parseAst(code, { lang: jsxLang(file) })).map((p) => p.tagStart);
const scannedPoints = (code) => scanJsxHostElements(code, 'data-nga-src')?.filter((p) => !p.stamped).map((p) => p.tagStart) ?? null;

test('the JSX scan finds what the parser finds, on every JSX/TSX file of the fixture apps', () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p); else if (/\.(jsx|tsx)$/.test(e.name)) files.push(p);
    }
  };
  walk(join(REPO, 'examples'));
  assert.ok(files.length >= 5, files.join());
  for (const f of files) {
    const code = readFileSync(f, 'utf8');
    assert.deepEqual(scannedPoints(code), parsedPoints(code, f), f);
  }
});

test('the JSX scan skips strings, templates, comments and regexes, and tells JSX from < and generics', () => {
  const cases = [
    'const s = "<div>"; const t = `<p>${ok ? <b/> : "<i>"}</p>`; // <span>\n/* <em> */ export const A = () => <main/>',
    'const r = /<div>[/]</g; const n = a<b && c > d; const x = f<string>(1); const m = new Map<string, number>()',
    'function C({ list }: { list: Array<{ id: number }> }) {\n  const [v, setV] = useState<string | null>(null)\n  return <ul>{list.map((i) => <li key={i.id} onClick={() => setV(`${i.id}`)}>{i.id > 1 ? <b>y</b> : <Item {...i} />}</li>)}</ul>\n}',
    'const el = cond && <section title={"}"} data-x=\'{\'>\n  text with a \' quote\n  <my-widget a="b" />\n  {/* a comment with <div> */}\n</section>',
    'export default function Page() {\n  return (\n    <>\n      <svg:rect />\n      <a.b />\n      <div\n        // a comment\n        id="a"\n      >x</div>\n    </>\n  )\n}',
    'const v = x / 2 / y; const w = (a) / b; const q = [1] / 2; if (a) /re/.test(b)',
  ];
  for (const code of cases) {
    assert.deepEqual(scannedPoints(code), parsedPoints(code, 'x.tsx'), code);
  }
});

test('the JSX scan gives up (null) where it cannot be sure, and the stamp then uses the parser', () => {
  for (const code of [
    'const id = <T,>(x: T) => x',
    'type F = <T>(x: T) => T\nexport const A = () => <div/>',
    'export const x = <div>',
    'export const y = <div></span>',
  ]) {
    assert.equal(scanJsxHostElements(code, 'data-nga-src'), null, code);
  }
  const code = 'const id = <T,>(x: T) => x\nexport const A = () => <div/>';
  assert.deepEqual(stamps(stampJsx(code, 'a.tsx', parseAst, 'a.tsx')), ['a.tsx:2:24']);
  assert.equal(stampJsx(code, 'a.tsx', null, 'a.tsx'), null);
});

test('Vue: the compiler node transform stamps the same elements at the same SFC positions as the source stamp, compactly', async () => {
  const { vueStampNodeTransform, vueCompilerReusesAst } = await import('../../packages/vite-plugin/src/stamp.js');
  assert.ok(vueCompilerReusesAst(compilerSfc.version), compilerSfc.version);
  assert.equal(vueCompilerReusesAst('3.4.2'), false);
  assert.equal(vueCompilerReusesAst('3.5.0'), true);
  const src = [
    '<script setup lang="ts">',
    'defineProps<{ n: number }>()',
    '</script>',
    '',
    '<template>',
    '  <ul class="list">',
    '    <li v-for="i in 3" :key="i"><Item :n="i"><b>{{ i }}</b></Item></li>',
    '    <template v-if="true"><em>€ x</em></template>',
    '    <i v-else>no</i>',
    '    <slot />',
    '  </ul>',
    '  <p v-if="false"><span>?</span></p>',
    '</template>',
  ].join('\n');
  const { descriptor } = compilerSfc.parse(src, { filename: '/abs/src/List.vue' });
  const seen = [];
  const transform = vueStampNodeTransform((file) => { seen.push(file); return 'src/List.vue'; });
  const { code, errors, map } = compilerSfc.compileTemplate({
    source: descriptor.template.content, ast: descriptor.template.ast, filename: '/abs/src/List.vue', id: 'x',
    compilerOptions: { nodeTransforms: [transform] },
  });
  assert.deepEqual(errors, []);
  assert.equal(seen[0], '/abs/src/List.vue');
  const want = stamps(stampVue(src, 'src/List.vue', compilerSfc));
  // Full stamps only where a chain of elements starts: the template's roots
  // (<ul>, the v-if'd <p>) and what goes into a component's slot (<b>); every
  // other element's DOM parent is an element of this template, through
  // v-for/v-if/v-else only, so it carries line:col and the overlay takes the
  // file from above. (In the order the compiled code holds them: hoisted ones first.)
  const full = [...code.matchAll(/"data-nga-src": "([^"]*)"/g)].map((m) => m[1]);
  const short = [...code.matchAll(/\bnga: "([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(full.sort(), ['src/List.vue:12:3', 'src/List.vue:6:3', 'src/List.vue:7:46']);
  assert.deepEqual([...full, ...short.map((s) => `src/List.vue:${s}`)].sort(), want.sort());
  // The stamps are nowhere in the user's text: no segment of the map starts on one.
  const { SourceMapConsumer } = createRequire(join(REPO, 'examples/vue-demo/package.json'))('source-map-js');
  const lines = code.split('\n');
  const onStamp = [];
  new SourceMapConsumer(map).eachMapping((m) => {
    const at = lines[m.generatedLine - 1].slice(m.generatedColumn);
    if (/^("data-nga-src"|nga\b|"[\d:]+"|"src\/List)/.test(at)) onStamp.push(at);
  });
  assert.deepEqual(onStamp, []);
  // A file the plugin does not stamp (relPathOf gives null) is left alone.
  const none = compilerSfc.compileTemplate({
    source: descriptor.template.content, ast: compilerSfc.parse(src, { filename: '/abs/src/List.vue' }).descriptor.template.ast,
    filename: '/abs/src/List.vue', id: 'x', compilerOptions: { nodeTransforms: [vueStampNodeTransform(() => null)] },
  });
  assert.doesNotMatch(none.code, /data-nga|\bnga:/);
});

test('Vue: one node transform shared by every compile gives each file its own path, asked once per file', async () => {
  const { vueStampNodeTransform } = await import('../../packages/vite-plugin/src/stamp.js');
  const asked = [];
  const transform = vueStampNodeTransform((file) => { asked.push(file); return file.startsWith('/abs/src/') ? file.slice(5) : null; });
  const compile = (filename) => {
    const src = '<template>\n  <div><p>a</p><p>b</p></div>\n</template>\n';
    const { descriptor } = compilerSfc.parse(src, { filename });
    return compilerSfc.compileTemplate({
      source: descriptor.template.content, ast: descriptor.template.ast, filename, id: 'x',
      compilerOptions: { nodeTransforms: [transform] },
    }).code;
  };
  const full = (code) => [...code.matchAll(/"data-nga-src": "([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(full(compile('/abs/src/A.vue')), ['src/A.vue:2:3']);
  assert.deepEqual(full(compile('/abs/src/B.vue')), ['src/B.vue:2:3']);
  assert.deepEqual(full(compile('/elsewhere/C.vue')), []);
  assert.deepEqual(full(compile('/abs/src/A.vue')), ['src/A.vue:2:3']);
  assert.deepEqual(asked, ['/abs/src/A.vue', '/abs/src/B.vue', '/elsewhere/C.vue', '/abs/src/A.vue']);
});

test('the overlay reads a compact Vue stamp with the file of the full stamp that starts its chain', async () => {
  const { nearestStamp } = await import('../../client/src/context/stamp.js');
  // Just enough of an element for nearestStamp: attributes and a parent.
  const el = (attrs, parent = null) => ({ nodeType: 1, parentElement: parent, getAttribute: (k) => attrs[k] ?? null });
  const root = el({ 'data-nga-src': 'src/List.vue:6:3' });
  const li = el({ nga: '7:5' }, root);
  const b = el({}, li); // no stamp (v-html, a third-party widget): the nearest one counts
  assert.deepEqual({ ...nearestStamp(b, root), element: null }, { file: 'src/List.vue', line: 7, column: 5, element: null });
  assert.equal(nearestStamp(b, root).element, li);
  assert.equal(nearestStamp(root, root).line, 6);
  // A chain that breaks before a full stamp gives nothing rather than a guess.
  const loose = el({ nga: '3:1' }, el({}, root));
  assert.equal(nearestStamp(loose, null), null);
});

test('a loader adds its own text in the same pass and map as the stamps', () => {
  const src = 'export default function L() {\n  return <html><body><main /></body></html>\n}\n';
  const at = src.indexOf('<body>') + '<body>'.length;
  const tag = '<script src="/__annotate/client.js" async />';
  const { code, map } = stampJsxWithMap(src, 'app/layout.tsx', null, '/abs/app/layout.tsx', { inserts: [{ at, text: tag }] });
  assert.equal(code, 'export default function L() {\n  return <html data-nga-src="app/layout.tsx:2:10"><body data-nga-src="app/layout.tsx:2:16">'
    + `${tag}<main data-nga-src="app/layout.tsx:2:22" /></body></html>\n}\n`);
  const c = new SourceMapConsumer(map);
  const line = code.split('\n')[1];
  const main = c.originalPositionFor({ line: 2, column: line.indexOf('<main') });
  assert.deepEqual([main.line, main.column], [2, src.split('\n')[1].indexOf('<main')]);
  // Only the loader's own insertion, no element: still a result.
  assert.equal(stampJsxWithMap('export const x = 1', 'a.tsx', null, 'a.tsx', { inserts: [{ at: 0, text: '/* x */' }] }).code, '/* x */export const x = 1');
});

test('the JSX dev runtime stand-in stamps the project\'s host elements from the position the compiler passes', async (t) => {
  const { jsxDevRuntimeShim, JSX_DEV_RUNTIME } = await import('../../packages/vite-plugin/src/jsx-runtime-stamp.js');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'nga-shim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A runtime that hands back what it was given.
  writeFileSync(join(dir, 'runtime.mjs'), 'export const Fragment = "F"; export function jsxDEV(type, props, key) { return { type, props, key }; }\n');
  writeFileSync(join(dir, 'shim.mjs'), jsxDevRuntimeShim(pathToFileURL(join(dir, 'runtime.mjs')).href, '/p/app', 'data-nga-src'));
  const { jsxDEV, Fragment } = await import(pathToFileURL(join(dir, 'shim.mjs')).href);
  const at = (fileName) => ({ fileName, lineNumber: 9, columnNumber: 20 });
  assert.equal(Fragment, 'F');
  assert.deepEqual(jsxDEV('div', { id: 'a' }, 'k', false, at('/p/app/src/Card.tsx')), { type: 'div', props: { id: 'a', 'data-nga-src': 'src/Card.tsx:9:20' }, key: 'k' });
  assert.deepEqual(jsxDEV('my-widget', {}, undefined, false, at('C:\\p\\app\\src\\W.tsx'.replace('C:', ''))).props, { 'data-nga-src': 'src/W.tsx:9:20' });
  const Card = () => null;
  assert.deepEqual(jsxDEV(Card, { n: 1 }, undefined, false, at('/p/app/src/Card.tsx')).props, { n: 1 }); // a component
  assert.deepEqual(jsxDEV('div', {}, undefined, false, at('/p/app/node_modules/lib/x.js')).props, {}); // a dependency
  assert.deepEqual(jsxDEV('div', {}, undefined, false, at('/p/application/x.tsx')).props, {}); // outside the root
  assert.deepEqual(jsxDEV('div', { 'data-nga-src': 'kept' }, undefined, false, at('/p/app/x.tsx')).props, { 'data-nga-src': 'kept' });
  assert.deepEqual(jsxDEV('div', {}, undefined, false, undefined).props, {}); // no position passed
  // The caller's props object is not changed.
  const props = { id: 'b' };
  jsxDEV('div', props, undefined, false, at('/p/app/x.tsx'));
  assert.deepEqual(props, { id: 'b' });
  for (const [id, pkg] of [['react/jsx-dev-runtime', 'react'], ['preact/jsx-dev-runtime', 'preact'], ['@emotion/react/jsx-dev-runtime', '@emotion/react']]) {
    assert.equal(JSX_DEV_RUNTIME.exec(id)?.[1], pkg);
  }
  assert.equal(JSX_DEV_RUNTIME.exec('./jsx-dev-runtime'), null);
  assert.equal(JSX_DEV_RUNTIME.exec('react/jsx-runtime'), null);
});
