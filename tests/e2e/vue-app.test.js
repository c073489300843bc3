// examples/vue-demo (create-vite vue-ts, Vue 3.5 on Vite 8) through our
// Vite plugin and the real overlay: what the store must hold for known
// components. The truth is written here from the app's source.
import { appSuite } from './lib/app-suite.js';

const PRODUCTS = [
  { id: 1, name: 'Espresso cup', price: 12.5, tags: ['kitchen'] },
  { id: 2, name: 'Walnut tray', price: 48, tags: ['kitchen', 'wood'] },
  { id: 3, name: 'Linen apron', price: 29.9, tags: ['textile'] },
];

appSuite({
  app: 'vue-demo',
  framework: 'vue',
  stamps: [
    ['main.app', 'src/App.vue:11:3'],
    ['p.note', 'src/App.vue:21:5'],
    ['section.user-card .user-joined', 'src/components/UserCard.vue:16:5'],
    ['li:nth-child(2)', 'src/components/ProductList.vue:12:7'],
    ['li:nth-child(2) .product-name', 'src/components/ProductCard.vue:10:5'],
    ['li:nth-child(3) .price-amount', 'src/components/PriceTag.vue:7:5'],
  ],
  cases: [
    {
      name: 'UserCard (string, number, array, object and Date props)',
      click: 'section.user-card .user-joined',
      host: 'section.user-card',
      truth: {
        componentName: 'UserCard',
        componentFilePath: 'src/components/UserCard.vue',
        componentTreePath: ['App'],
        inputs: {
          name: 'Ada Lovelace', age: 36, tags: ['math', 'poetry'],
          address: { city: 'London', zip: 'W1 4AB' }, joined: '2021-03-14T09:30:00.000Z',
        },
        sourceLocation: 'src/components/UserCard.vue:16:5',
        snapshotIncludes: ['Ada Lovelace'],
      },
    },
    {
      name: 'the second ProductCard of the list',
      click: 'li:nth-child(2) .product-name',
      host: 'li:nth-child(2) article.product-card',
      truth: {
        componentName: 'ProductCard',
        componentFilePath: 'src/components/ProductCard.vue',
        componentTreePath: ['App', 'ProductList'],
        inputs: { product: PRODUCTS[1], index: 1 },
        sourceLocation: 'src/components/ProductCard.vue:10:5',
        snapshotIncludes: ['Walnut tray', '48.00'],
      },
    },
    {
      name: 'the PriceTag inside the third card (4 levels down)',
      click: 'li:nth-child(3) .price-amount',
      host: 'li:nth-child(3) .price-tag',
      truth: {
        componentName: 'PriceTag',
        componentFilePath: 'src/components/PriceTag.vue',
        componentTreePath: ['App', 'ProductList', 'ProductCard'],
        inputs: { amount: 29.9, currency: 'EUR' },
        sourceLocation: 'src/components/PriceTag.vue:7:5',
        snapshotIncludes: ['29.90'],
      },
    },
  ],
  badgeCase: 1,
  hmr: {
    file: 'src/components/PriceTag.vue',
    edit: (s) => s.replace('{{ currency }} €', '{{ currency }} € net'),
    changed: 'li:nth-child(1) .price-tag',
    text: '€ net',
  },
  drift: {
    file: 'src/components/ProductList.vue',
    edit: (s) => s.replace('<ul>', '<div class="drift"><ul>').replace('</ul>', '</ul></div>'),
    present: '.drift li:nth-child(2) article.product-card',
    caseIndex: 1,
  },
});
