// examples/svelte-demo (create-vite svelte-ts, Svelte 5 on Vite 8) through our
// Vite plugin and the real overlay: what the store must hold for known
// components. The truth is written here from the app's source.
import { appSuite } from './lib/app-suite.js';

const PRODUCTS = [
  { id: 1, name: 'Espresso cup', price: 12.5, tags: ['kitchen'] },
  { id: 2, name: 'Walnut tray', price: 48, tags: ['kitchen', 'wood'] },
  { id: 3, name: 'Linen apron', price: 29.9, tags: ['textile'] },
];

appSuite({
  app: 'svelte-demo',
  framework: 'svelte',
  stamps: [
    ['main.app', 'src/App.svelte:9:1'],
    ['p.note', 'src/App.svelte:19:3'],
    ['section.user-card .user-joined', 'src/lib/UserCard.svelte:16:3'],
    ['li:nth-child(2)', 'src/lib/ProductList.svelte:12:7'],
    ['li:nth-child(2) .product-name', 'src/lib/ProductCard.svelte:9:3'],
    ['li:nth-child(3) .price-amount', 'src/lib/PriceTag.svelte:6:3'],
  ],
  cases: [
    {
      name: 'UserCard (string, number, array, object and Date props)',
      click: 'section.user-card .user-joined',
      host: 'section.user-card',
      truth: {
        componentName: 'UserCard',
        componentFilePath: 'src/lib/UserCard.svelte',
        componentTreePath: ['App'],
        inputs: {
          name: 'Ada Lovelace', age: 36, tags: ['math', 'poetry'],
          address: { city: 'London', zip: 'W1 4AB' }, joined: '2021-03-14T09:30:00.000Z',
        },
        sourceLocation: 'src/lib/UserCard.svelte:16:3',
        snapshotIncludes: ['Ada Lovelace'],
      },
    },
    {
      name: 'the second ProductCard of the list',
      click: 'li:nth-child(2) .product-name',
      host: 'li:nth-child(2) article.product-card',
      truth: {
        componentName: 'ProductCard',
        componentFilePath: 'src/lib/ProductCard.svelte',
        componentTreePath: ['App', 'ProductList'],
        inputs: { product: PRODUCTS[1], index: 1 },
        sourceLocation: 'src/lib/ProductCard.svelte:9:3',
        snapshotIncludes: ['Walnut tray', '48.00'],
      },
    },
    {
      name: 'the PriceTag inside the third card (4 levels down)',
      click: 'li:nth-child(3) .price-amount',
      host: 'li:nth-child(3) .price-tag',
      truth: {
        componentName: 'PriceTag',
        componentFilePath: 'src/lib/PriceTag.svelte',
        componentTreePath: ['App', 'ProductList', 'ProductCard'],
        inputs: { amount: 29.9, currency: 'EUR' },
        sourceLocation: 'src/lib/PriceTag.svelte:6:3',
        snapshotIncludes: ['29.90'],
      },
    },
  ],
  badgeCase: 1,
  hmr: {
    file: 'src/lib/PriceTag.svelte',
    edit: (s) => s.replace('{currency} €', '{currency} € net'),
    changed: 'li:nth-child(1) .price-tag',
    text: '€ net',
  },
  drift: {
    file: 'src/lib/ProductList.svelte',
    edit: (s) => s.replace('<ul>', '<div class="drift"><ul>').replace('</ul>', '</ul></div>'),
    present: '.drift li:nth-child(2) article.product-card',
    caseIndex: 1,
  },
});
