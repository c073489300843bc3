// The truth for examples/nuxt-demo (Nuxt 4, app/ directory, our module in
// nuxt.config), written from the app's source: one row of the framework
// table (what the e2e suite checks on each fixture app). Paths are relative
// to the project root (the package.json directory), not Vite's `app/` root.
import { buildNuxtApp, startNuxtApp } from '../lib/nuxt-app.js';

// Nuxt's own components around the page (NuxtRoot, NuxtPage, RouterView,
// the .client wrapper, Suspense…) live in node_modules or have no file: not
// in the ancestry. app.vue has no <script setup>: named after its file.
const PAGE = ['app', 'index'];

export const row = {
  app: 'nuxt-demo',
  framework: 'vue',
  start: () => startNuxtApp('nuxt-demo'),
  build: buildNuxtApp,
  // What must not reach a production build.
  buildMarks: ['data-nga-src', '__ngaProps', '/__annotate', 'ng-annotate'],
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
        componentTreePath: PAGE,
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
        componentTreePath: [...PAGE, 'ProductList', 'ProductCard'],
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
        componentTreePath: PAGE,
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
