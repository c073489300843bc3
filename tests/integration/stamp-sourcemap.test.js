// The stamps' source maps through the real pipeline: each fixture app's own
// Vite and framework plugin, with the stamp sub-plugins, compile a component
// the way `vite dev` serves it. DevTools must show the user's file as it is on
// disk (no `data-nga-src` in sourcesContent) and map a compiled token back to
// the same line and column as the pipeline without stamps does. Svelte 5 is
// not stamped (it records each element's location itself): only its props
// are exposed, after its compile, with their own map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');

const APPS = [
  // React: the module imports the JSX dev runtime's stand-in, its text is untouched.
  { app: 'react-demo', plugin: '@vitejs/plugin-react', make: (m) => m.default(), file: 'src/components/PriceTag.tsx', mark: /ng-annotate-jsx-dev-runtime:react\/jsx-dev-runtime/ },
  { app: 'vue-demo', plugin: '@vitejs/plugin-vue', make: (m) => m.default(), file: 'src/components/PriceTag.vue', mark: /data-nga-src/ },
  // Svelte 5: no stamp (it records locations itself); its props exposed after
  // its compile, at the end of a line (no code moves, the map is Svelte's own).
  { app: 'svelte-demo', plugin: '@sveltejs/vite-plugin-svelte', make: (m) => m.svelte(), file: 'src/lib/PriceTag.svelte', mark: /\$\.append\(\$\$anchor, ([\w$]+)\); \1\.__ngaProps = \$\$props;/, noStamp: true },
];

// The served module of `file` ({code, map}) with or without the stamps.
async function serve({ app, plugin, make, file }, stamp) {
  const root = join(REPO, 'examples', app);
  const require = createRequire(join(root, 'package.json'));
  const vite = await import(pathToFileURL(require.resolve('vite')).href);
  const framework = await import(pathToFileURL(require.resolve(plugin)).href);
  const stampPluginFile = join(dirname(require.resolve('@ng-annotate/vite-plugin')), 'stamp-plugin.js');
  const { sourcePlugins } = await import(pathToFileURL(stampPluginFile).href);
  const server = await vite.createServer({
    configFile: false, root, logLevel: 'silent', appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [make(framework), ...sourcePlugins({ options: { stamp } })],
  });
  try {
    return { ...(await server.transformRequest(`/${file}`)), SourceMapConsumer: require('source-map-js').SourceMapConsumer };
  } finally {
    await server.close();
  }
}

// Where the served code's first `toFixed` comes from.
function originOfToFixed({ code, map, SourceMapConsumer }) {
  const lines = code.split('\n');
  const line = lines.findIndex((l) => l.includes('toFixed'));
  assert.notEqual(line, -1, code);
  return new SourceMapConsumer(map).originalPositionFor({ line: line + 1, column: lines[line].indexOf('toFixed') });
}

for (const fixture of APPS) {
  test(`${fixture.app}: the served map shows the file on disk and maps columns as without stamps`, { timeout: 120000 }, async () => {
    const onDisk = readFileSync(join(REPO, 'examples', fixture.app, fixture.file), 'utf8');
    const stamped = await serve(fixture, true);
    const plain = await serve(fixture, false);
    assert.match(stamped.code, fixture.mark);
    if (fixture.noStamp) assert.doesNotMatch(stamped.code, /data-nga-src/);
    assert.deepEqual(stamped.map.sourcesContent, [onDisk]);
    // `toFixed` is on the line of `<b class…>`, after a stamped tag: its column moved in the stamped text.
    const expected = onDisk.split('\n').findIndex((l) => l.includes('toFixed')) + 1;
    const origin = originOfToFixed(stamped);
    assert.equal(origin.line, expected);
    assert.deepEqual(origin, originOfToFixed(plain));
    assert.equal(origin.column, onDisk.split('\n')[expected - 1].indexOf('toFixed'));
  });
}

test('react-demo with the classic JSX runtime: the dev log says once that its elements get no stamp', { timeout: 120000 }, async () => {
  const root = join(REPO, 'examples', 'react-demo');
  const require = createRequire(join(root, 'package.json'));
  const vite = await import(pathToFileURL(require.resolve('vite')).href);
  const react = (await import(pathToFileURL(require.resolve('@vitejs/plugin-react')).href)).default;
  const { sourcePlugins } = await import(pathToFileURL(join(dirname(require.resolve('@ng-annotate/vite-plugin')), 'stamp-plugin.js')).href);
  const warnings = [];
  const customLogger = vite.createLogger('silent');
  customLogger.warn = (msg) => warnings.push(msg);
  const server = await vite.createServer({
    configFile: false, root, customLogger, appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [react({ jsxRuntime: 'classic' }), ...sourcePlugins({ options: {} })],
  });
  try {
    await server.transformRequest('/src/components/PriceTag.tsx');
    await server.transformRequest('/src/components/ProductCard.tsx');
  } finally {
    await server.close();
  }
  const ours = warnings.filter((w) => w.includes('[ng-annotate]'));
  assert.equal(ours.length, 1, warnings.join('\n'));
  assert.match(ours[0], /src\/components\/PriceTag\.tsx is compiled with the classic JSX runtime .* no source stamp/);
});
