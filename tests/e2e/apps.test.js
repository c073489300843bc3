// Every fixture app through its one-line integration (and Next.js and
// Rsbuild also without it, behind `serve --proxy`), in headless Chromium with
// the real overlay and store: ONE table of rows, ONE runner
// (lib/app-suite.js) checks every row. The Vite apps of examples/ render the
// same corner shop (UserCard, ProductList → ProductCard → PriceTag, a
// counter), so one `shop` row says where each piece is written; Nuxt, Next.js
// and Rsbuild write their truth out in full. The truth is read off the app's
// source by hand, never off the overlay.
import { appSuite } from './lib/app-suite.js';
import { buildApp, editFile, startViteApp } from './lib/vite-app.js';
import { buildNuxtApp, startNuxtApp } from './lib/nuxt-app.js';
import { NEXT_ROOT, NEXT15_ROOT, buildNext, startNextApp, withoutIntegration } from './lib/next-app.js';
import { RSBUILD_ROOT, rsbuildWithoutIntegration, startRsbuildApp } from './lib/rsbuild-app.js';
import { startAngularApp } from './lib/angular-app.js';

const PRODUCTS = [
  { id: 1, name: 'Espresso cup', price: 12.5, tags: ['kitchen'] },
  { id: 2, name: 'Walnut tray', price: 48, tags: ['kitchen', 'wood'] },
  { id: 3, name: 'Linen apron', price: 29.9, tags: ['textile'] },
];
const USER = {
  name: 'Ada Lovelace', age: 36, tags: ['math', 'poetry'],
  address: { city: 'London', zip: 'W1 4AB' }, joined: '2021-03-14T09:30:00.000Z',
};

const VITE = { integration: 'the Vite plugin in vite.config' };
const node22 = true;

// One row per app. files: where each component is written (root-relative);
// at: line:col of the elements the suite looks at (main.app and p.note in the
// page component, .user-joined, the <li>, .product-name, .price-amount);
// trees: the ancestry (componentTreePath) of UserCard, ProductCard, PriceTag:
// the user's own components only; syntax: how the edits are spelled;
// locations: 'svelte-meta' where Svelte 5 records them and nothing is stamped.
const SHOPS = [
  {
    ...VITE, app: 'react-demo', framework: 'react', syntax: 'jsx',
    files: { page: 'src/App.tsx', dir: 'src/components', ext: 'tsx' },
    at: { main: '11:5', note: '21:7', joined: '15:7', li: '12:11', name: '9:7', amount: '6:7' },
    trees: [['App'], ['App', 'ProductList'], ['App', 'ProductList', 'ProductCard']],
  },
  {
    ...VITE, app: 'vue-demo', framework: 'vue', syntax: 'vue',
    files: { page: 'src/App.vue', dir: 'src/components', ext: 'vue' },
    at: { main: '11:3', note: '21:5', joined: '16:5', li: '12:7', name: '10:5', amount: '7:5' },
    trees: [['App'], ['App', 'ProductList'], ['App', 'ProductList', 'ProductCard']],
  },
  {
    ...VITE, app: 'svelte-demo', framework: 'svelte', syntax: 'svelte', locations: 'svelte-meta',
    files: { page: 'src/App.svelte', dir: 'src/lib', ext: 'svelte' },
    at: { main: '9:1', note: '19:3', joined: '16:3', li: '12:7', name: '9:3', amount: '6:3' },
    trees: [['App'], ['App', 'ProductList'], ['App', 'ProductList', 'ProductCard']],
  },
  {
    // SvelteKit's generated root (.svelte-kit/generated/root.svelte) is not
    // the user's: the ancestry starts at the layout.
    integration: 'the Vite plugin in vite.config, beside sveltekit()',
    app: 'sveltekit-demo', framework: 'svelte', syntax: 'svelte', locations: 'svelte-meta',
    start: { bin: 'node_modules/vite/bin/vite.js', args: ['dev', '--host', '127.0.0.1', '--port', '0', '--strictPort'], node22 },
    build: { outDirs: ['.svelte-kit/output'], node22 },
    files: { page: 'src/routes/+page.svelte', dir: 'src/lib', ext: 'svelte' },
    at: { main: '9:1', note: '19:3', joined: '16:3', li: '12:7', name: '9:3', amount: '6:3' },
    trees: [['+layout', '+page'], ['+layout', '+page', 'ProductList'], ['+layout', '+page', 'ProductList', 'ProductCard']],
  },
  {
    // Layout and App are app/root.tsx's, Home the route's; React Router's
    // own wrappers (its providers, route components) are not the user's.
    integration: 'the Vite plugin in vite.config, beside reactRouter()',
    app: 'react-router-demo', framework: 'react', syntax: 'jsx',
    start: { bin: 'node_modules/@react-router/dev/bin.cjs', args: ['dev', '--host', '127.0.0.1', '--port', '0', '--strictPort'], node22 },
    build: { outDirs: ['build'], node22 },
    files: { page: 'app/routes/home.tsx', dir: 'app/components', ext: 'tsx' },
    at: { main: '15:5', note: '25:7', joined: '15:7', li: '12:11', name: '9:7', amount: '6:7' },
    trees: [['Layout', 'App', 'Home'], ['Layout', 'App', 'Home', 'ProductList'], ['Layout', 'App', 'Home', 'ProductList', 'ProductCard']],
  },
  {
    // The page is src/pages/index.astro (server-rendered, not stamped); the
    // React components are islands (client:load): each island is a root.
    // ShopHeader.astro is named from Astro's own dev locations.
    integration: 'the integration @ng-annotate/vite-plugin/astro in astro.config',
    app: 'astro-demo', framework: 'react', syntax: 'jsx',
    start: { bin: 'node_modules/astro/bin/astro.mjs', args: ['dev', '--host', '127.0.0.1', '--port', '0'], node22 },
    build: { outDirs: ['dist'], node22 },
    files: { page: null, dir: 'src/components', ext: 'tsx' },
    at: { joined: '15:7', li: '12:11', name: '9:7', amount: '6:7' },
    trees: [[], ['ProductList'], ['ProductList', 'ProductCard']],
    // ShopHeader.astro, inside the page inside the layout: named and located
    // from what Astro's compiler records in dev (its props never reach the page).
    more: [{
      name: 'ShopHeader, a server-only .astro component',
      click: '.shop-open',
      host: 'header.shop-header',
      framework: 'astro',
      truth: {
        componentName: 'ShopHeader',
        componentFilePath: 'src/components/ShopHeader.astro',
        componentTreePath: ['Layout', 'index'],
        inputs: {},
        // Line 8 is the <span>; Astro records the column just past its
        // start tag (`  <span class="shop-open">` ends at 26), not its `<`.
        sourceLocation: 'src/components/ShopHeader.astro:8:27',
        snapshotIncludes: ['Open today'],
      },
    }],
  },
];

// The runner's row for one Vite shop.
function shop(row) {
  const file = (name) => `${row.files.dir}/${name}.${row.files.ext}`;
  const loc = (f, at) => `${f}:${at}`;
  const cls = row.syntax === 'jsx' ? 'className' : 'class';
  const currency = row.syntax === 'vue' ? '{{ currency }} €' : '{currency} €';
  const stamps = [
    row.files.page && ['main.app', loc(row.files.page, row.at.main)],
    row.files.page && ['p.note', loc(row.files.page, row.at.note)],
    ['section.user-card .user-joined', loc(file('UserCard'), row.at.joined)],
    ['li:nth-child(2)', loc(file('ProductList'), row.at.li)],
    ['li:nth-child(2) .product-name', loc(file('ProductCard'), row.at.name)],
    ['li:nth-child(3) .price-amount', loc(file('PriceTag'), row.at.amount)],
  ].filter(Boolean);
  return {
    app: row.app,
    framework: row.framework,
    label: `through ${row.integration}`,
    start: () => startViteApp(row.app, { start: row.start }),
    build: (root) => ({ files: buildApp(root, row.build) }),
    counter: true,
    stamps,
    locations: row.locations,
    cases: [
      {
        name: 'UserCard (string, number, array, object and Date props)',
        click: 'section.user-card .user-joined',
        host: 'section.user-card',
        truth: {
          componentName: 'UserCard',
          componentFilePath: file('UserCard'),
          componentTreePath: row.trees[0],
          inputs: USER,
          sourceLocation: loc(file('UserCard'), row.at.joined),
          snapshotIncludes: ['Ada Lovelace'],
        },
      },
      {
        name: 'the second ProductCard of the list',
        click: 'li:nth-child(2) .product-name',
        host: 'li:nth-child(2) article.product-card',
        truth: {
          componentName: 'ProductCard',
          componentFilePath: file('ProductCard'),
          componentTreePath: row.trees[1],
          inputs: { product: PRODUCTS[1], index: 1 },
          sourceLocation: loc(file('ProductCard'), row.at.name),
          snapshotIncludes: ['Walnut tray', '48.00'],
        },
      },
      {
        name: 'the PriceTag inside the third card (the deepest)',
        click: 'li:nth-child(3) .price-amount',
        host: 'li:nth-child(3) .price-tag',
        truth: {
          componentName: 'PriceTag',
          componentFilePath: file('PriceTag'),
          componentTreePath: row.trees[2],
          inputs: { amount: 29.9, currency: 'EUR' },
          sourceLocation: loc(file('PriceTag'), row.at.amount),
          snapshotIncludes: ['29.90'],
        },
      },
      ...(row.more ?? []),
    ],
    hmr: {
      file: file('PriceTag'),
      edit: (s) => s.replace(currency, currency.replace('€', '€ net')),
      changed: 'li:nth-child(1) .price-tag',
      text: '€ net',
    },
    drift: {
      file: file('ProductList'),
      edit: (s) => s.replace('<ul>', `<div ${cls}="drift"><ul>`).replace('</ul>', '</ul></div>'),
      present: '.drift li:nth-child(2) article.product-card',
      caseIndex: 1,
    },
  };
}

// examples/nuxt-demo (Nuxt 4, app/ directory): paths are relative to the
// project root (the package.json directory), not Vite's `app/` root. Nuxt's
// own components around the page (NuxtRoot, NuxtPage, RouterView, the .client
// wrapper, Suspense…) live in node_modules or have no file: not in the
// ancestry. app.vue has no <script setup>: named after its file.
const NUXT_PAGE = ['app', 'index'];
const NUXT = {
  app: 'nuxt-demo', framework: 'vue',
  label: "through modules: ['@ng-annotate/vite-plugin/nuxt'] in nuxt.config",
  start: () => startNuxtApp('nuxt-demo'),
  // The first load may make Nuxt optimise a dependency it had not seen and
  // reload the page: load until the network is quiet.
  waitUntil: 'networkidle',
  build: (root) => ({ files: buildNuxtApp(root) }),
  buildMarks: ['data-nga', '__ngaProps', '/__annotate', 'ng-annotate'],
  stamps: [
    ['main.app', 'app/pages/index.vue:6:3'],
    ['section.user-card .user-joined', 'app/components/UserCard.vue:16:5'],
    ['li:nth-child(2)', 'app/components/ProductList.vue:11:7'],
    ['li:nth-child(3) .price-amount', 'app/components/PriceTag.vue:7:5'],
    ['.visit-button', 'app/components/VisitCounter.client.vue:8:5'],
  ],
  cases: [
    {
      name: 'UserCard, server-rendered (string, number, array, object and Date props)',
      click: 'section.user-card .user-joined',
      host: 'section.user-card',
      truth: {
        componentName: 'UserCard',
        componentFilePath: 'app/components/UserCard.vue',
        componentTreePath: NUXT_PAGE,
        inputs: {
          name: 'Ada Lovelace', age: 36, tags: ['math', 'poetry'],
          address: { city: 'London', zip: 'W1' }, joined: '2024-03-01T00:00:00.000Z',
        },
        sourceLocation: 'app/components/UserCard.vue:16:5',
        snapshotIncludes: ['Ada Lovelace'],
      },
    },
    {
      name: 'the PriceTag inside the third card (4 levels down)',
      click: 'li:nth-child(3) .price-amount',
      host: 'li:nth-child(3) .price-tag',
      truth: {
        componentName: 'PriceTag',
        componentFilePath: 'app/components/PriceTag.vue',
        componentTreePath: [...NUXT_PAGE, 'ProductList', 'ProductCard'],
        inputs: { amount: 6, currency: 'EUR' },
        sourceLocation: 'app/components/PriceTag.vue:7:5',
        snapshotIncludes: ['6.00'],
      },
    },
    {
      name: 'the client-only VisitCounter',
      click: '.visit-button',
      host: 'div.visit-counter',
      truth: {
        componentName: 'VisitCounter',
        componentFilePath: 'app/components/VisitCounter.client.vue',
        componentTreePath: NUXT_PAGE,
        inputs: { start: 3, label: 'Visits' },
        sourceLocation: 'app/components/VisitCounter.client.vue:8:5',
        snapshotIncludes: ['Visits: 3'],
      },
    },
  ],
  hmr: {
    file: 'app/components/PriceTag.vue',
    edit: (s) => s.replace('{{ currency }}\n', '{{ currency }} net\n'),
    changed: 'li:nth-child(1) .price-tag',
    text: 'EUR net',
  },
};

// tests/fixtures/next-app (create-next-app 16, App Router and a Pages Router
// page, client and server components) and tests/fixtures/next15-app (the same
// components on Next 15.5). Each mode of `next dev` is a row.
const NEXT_PRODUCTS = [
  { id: 1, name: 'Desk lamp', price: 39.5, tags: ['light', 'desk'], inStock: true },
  { id: 2, name: 'Chair', price: 120, tags: ['seat'], inStock: false },
];
const NEXT_CASES = [
  {
    name: 'the PriceTag in the second card (client component, server parents)',
    click: 'li:nth-child(2) .price-tag',
    truth: {
      componentName: 'PriceTag',
      componentFilePath: 'app/components/PriceTag.tsx',
      componentTreePath: ['Home', 'ProductList', 'ProductCard'],
      inputs: { amount: 120, currency: 'EUR' },
      sourceLocation: 'app/components/PriceTag.tsx:5:5',
    },
  },
  {
    name: 'the first ProductCard (client component, object and boolean props)',
    click: 'li:nth-child(1) .product-name',
    truth: {
      componentName: 'ProductCard',
      componentFilePath: 'app/components/ProductCard.tsx',
      componentTreePath: ['Home', 'ProductList'],
      inputs: { product: NEXT_PRODUCTS[0], highlight: true },
      sourceLocation: 'app/components/ProductCard.tsx:9:7',
    },
  },
  {
    name: 'ServerNote (a server component: no fiber, props from React\'s owner info)',
    click: '.server-note',
    truth: {
      componentName: 'ServerNote',
      componentFilePath: 'app/components/ServerNote.tsx',
      componentTreePath: ['Home'],
      inputs: { level: 2, text: 'Prices include tax' },
      sourceLocation: 'app/components/ServerNote.tsx:4:5',
    },
  },
  {
    name: 'Offer on a Pages Router page (props: string, number array)',
    path: '/legacy',
    click: '.offer-title',
    truth: {
      componentName: 'Offer',
      componentFilePath: 'pages/legacy.tsx',
      componentTreePath: ['Legacy'],
      inputs: { title: 'Pages Router offer', amounts: [5, 7.25] },
      sourceLocation: 'pages/legacy.tsx:7:7',
    },
  },
];
const DAEMON_SAID = /\[ng-annotate\] (started|using)/;

// A start helper that ties its clean-up to a test (t.after), made stoppable
// by the runner.
async function stoppable(start) {
  const hooks = [];
  const stop = async () => { for (const fn of hooks.splice(0).reverse()) await fn().catch(() => {}); };
  try {
    return { ...(await start({ after: (fn) => hooks.push(fn) })), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// `next dev` in `mode`; `proxy`: the fixture's next.config.ts without its
// integration line (restored afterwards), behind serve --proxy.
function nextRow({ root = NEXT_ROOT, app = 'next-app', mode, proxy = false, ...more }) {
  return {
    app, framework: 'react', proxy, counter: true, ready: '.price-tag', cases: NEXT_CASES,
    label: proxy ? `(next dev, ${mode}) without the integration, behind serve --proxy: the runtime fallback`
      : `(next dev, ${mode}) through withNgAnnotate(nextConfig) in next.config`,
    start: () => stoppable(async (t) => {
      if (proxy) {
        const restore = editFile(root, 'next.config.ts', withoutIntegration);
        t.after(async () => restore());
      }
      return startNextApp(t, { root, mode });
    }),
    log: proxy ? { lacks: [/ng-annotate/] } : { has: [DAEMON_SAID] },
    stamps: proxy ? 'none' : [['.server-note', 'app/components/ServerNote.tsx:4:5']],
    ...more,
  };
}
const NEXT = [
  nextRow({
    mode: 'turbopack',
    hmr: {
      file: 'app/components/PriceTag.tsx',
      edit: (s) => s.replace('{currency}', '{currency} net'),
      changed: 'li:nth-child(2) .price-tag',
      text: 'EUR net',
      stamp: 'app/components/PriceTag.tsx:5:5',
      timeout: 60000,
    },
    build: () => buildNext(),
    buildWrites: /\.html$/,
    buildMarks: ['__annotate', 'data-nga', 'ng-annotate'],
  }),
  nextRow({ mode: 'webpack' }),
  nextRow({ mode: 'turbopack', proxy: true }),
  nextRow({ mode: 'webpack', proxy: true }),
  // Next 15 names Turbopack chunks so that its own client wrappers (Root,
  // ServerRoot) look like app code: only their source maps tell.
  nextRow({ root: NEXT15_ROOT, app: 'next15-app', mode: 'turbopack', log: { has: [/Next\.js 15\./, DAEMON_SAID] } }),
];

// tests/fixtures/rsbuild-app (create-rsbuild, React): through
// pluginNgAnnotate() in rsbuild.config (the loader's stamps: exact lines and
// columns), and without it behind serve --proxy. There React's jsxDEV sits
// in Rsbuild's vendor chunk (static/js/lib-react.js): the overlay must skip
// it and take the file from the app chunk's source map. Rsbuild's
// development maps are line-only (cheap-module-source-map), so of the
// fallback's location only the file is the truth.
const RSBUILD_CASES = [
  {
    name: 'PriceTag (its own file, under Card)',
    click: '.price-tag',
    truth: {
      componentName: 'PriceTag',
      componentFilePath: 'src/components/PriceTag.tsx',
      componentTreePath: ['App', 'Card'],
      inputs: { amount: 3, currency: 'EUR' },
    },
    at: 'src/components/PriceTag.tsx:3:5',
  },
  {
    name: 'Card (string and array props)',
    click: '.card-title',
    truth: {
      componentName: 'Card',
      componentFilePath: 'src/App.tsx',
      componentTreePath: ['App'],
      inputs: { title: 'One', tags: ['a', 'b'] },
    },
    at: 'src/App.tsx:7:7',
  },
];
function rsbuildRow({ proxy }) {
  const cases = RSBUILD_CASES.map(({ at, ...c }) => (proxy
    ? { ...c, locationFile: at.replace(/:\d+:\d+$/, '') }
    : { ...c, truth: { ...c.truth, sourceLocation: at } }));
  return {
    app: 'rsbuild-app', framework: 'react', proxy, ready: '.price-tag', cases,
    label: proxy ? '(rsbuild dev) without the integration, behind serve --proxy: the runtime fallback'
      : '(rsbuild dev) through pluginNgAnnotate() in rsbuild.config',
    start: () => stoppable(async (t) => {
      if (proxy) {
        const restore = editFile(RSBUILD_ROOT, 'rsbuild.config.ts', rsbuildWithoutIntegration);
        t.after(async () => restore());
      }
      return startRsbuildApp(t);
    }),
    log: proxy ? { lacks: [/ng-annotate/] } : { has: [DAEMON_SAID] },
    stamps: proxy ? 'none' : RSBUILD_CASES.map((c) => [c.click, c.at]),
    ...(proxy ? {} : {
      hmr: {
        file: 'src/components/PriceTag.tsx',
        edit: (s) => s.replace('{currency}', '{currency} net'),
        changed: '.price-tag',
        text: 'EUR net',
        stamp: 'src/components/PriceTag.tsx:3:5',
      },
      build: (root) => ({ files: buildApp(root, { outDirs: ['dist'] }) }),
    }),
  };
}

// tests/fixtures/angular-webpack (ng new, its build switched to Angular's
// webpack builder @angular-devkit/build-angular:browser): the one line in
// angular.json, "builder": "@ng-annotate/angular:dev-server", serves it
// through Angular's webpack dev server. Locations are the compiler's own
// (data-ng-source-location, asked for in dev by the builder): the clicked
// element's line and column in its template. The webpack dev server reloads
// the page on an edit (its default, liveReload without HMR).
const ANGULAR_WEBPACK = {
  app: 'angular-webpack', framework: 'angular',
  label: '(ng serve, webpack browser build) through "builder": "@ng-annotate/angular:dev-server" in angular.json',
  start: () => stoppable((t) => startAngularApp(t)),
  log: {
    has: [/started the daemon for \S*angular-webpack/, /\[ng-annotate\] overlay on http:\/\/127\.0\.0\.1:\d+\/ \(Alt\+Shift\+A\)/],
    lacks: [/did not take ng-annotate's middleware|overlay's script tag was not added|The overlay is off/],
  },
  counter: true,
  clientRendered: true,
  ready: '.price-tag',
  locations: 'ng-source-location',
  stamps: [
    ['main.shop', 'src/app/app.html:1:1'],
    ['.user-name', 'src/app/user-card/user-card.html:2:3'],
    ['li:nth-child(2) .product-name', 'src/app/product-list/product-list.html:4:7'],
    ['li:nth-child(3) .price-amount', 'src/app/price-tag/price-tag.html:2:3'],
  ],
  cases: [
    {
      name: 'UserCard (decorator inputs: string, number, array)',
      click: '.user-name',
      host: 'app-user-card',
      truth: {
        componentName: 'UserCard',
        componentFilePath: 'src/app/user-card/user-card.ts',
        templateFilePath: 'src/app/user-card/user-card.html',
        selector: 'app-user-card',
        componentTreePath: ['App'],
        inputs: { name: 'Ada Lovelace', age: 36, tags: ['math', 'engines'] },
        sourceLocation: 'src/app/user-card/user-card.html:2:3',
        snapshotIncludes: ['Ada Lovelace'],
      },
    },
    {
      name: 'the PriceTag of the third product (signal inputs, two levels down)',
      click: 'li:nth-child(3) .price-amount',
      truth: {
        componentName: 'PriceTag',
        componentFilePath: 'src/app/price-tag/price-tag.ts',
        templateFilePath: 'src/app/price-tag/price-tag.html',
        selector: 'app-price-tag',
        componentTreePath: ['App', 'ProductList'],
        inputs: { amount: 29.9, currency: 'EUR' },
        sourceLocation: 'src/app/price-tag/price-tag.html:2:3',
        snapshotIncludes: ['29.90'],
      },
    },
  ],
  hmr: {
    reload: true,
    file: 'src/app/price-tag/price-tag.html',
    edit: (s) => s.replace('{{ currency() }}', '{{ currency() }} net'),
    changed: 'li:nth-child(1) .price-tag',
    text: 'EUR net',
    stamp: 'src/app/price-tag/price-tag.html:1:1',
    timeout: 120000,
  },
  // `npm run build` is `ng build`: the browser builder itself, production.
  build: (root) => ({ files: buildApp(root, { outDirs: ['dist'], node22 }) }),
};

const ROWS = [
  ...SHOPS.map(shop), NUXT, ...NEXT, rsbuildRow({ proxy: false }), rsbuildRow({ proxy: true }), ANGULAR_WEBPACK,
];

// NGA_APPS=a,b runs only those apps' rows (while working on one framework).
const only = process.env.NGA_APPS ? process.env.NGA_APPS.split(',') : null;
for (const row of ROWS) if (!only || only.includes(row.app)) appSuite(row);
