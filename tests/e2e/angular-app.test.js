// examples/angular-demo (ng new, Angular 22) served by `ng serve` through our
// builder (@ng-annotate/angular:dev-server), annotated through the real
// overlay: what the store must hold for known components, written from the
// app's source. Signal, aliased and Date inputs included; badge placement on
// an inline component host and on a list item. One ng serve for the file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.js';
import { annotate, overlayReady, badge, trayBadge, centreWithin, shot, editFile } from './lib/vite-app.js';
import { DEMO, copyApp, nodeFor, ngServe } from '../integration/lib/ng.js';

const WAIT = { timeout: 30000 };

// Where a click lands, what the component's element is, and the truth.
const CASES = [
  {
    name: 'UserCard (decorator inputs: string, number, array, object, Date; an inline host)',
    click: 'app-user-card .user-name',
    box: 'app-user-card > article', // the host is display:inline around a block: its children's box counts
    truth: {
      componentName: 'UserCard',
      componentFilePath: 'src/app/user-card/user-card.ts',
      templateFilePath: 'src/app/user-card/user-card.html',
      selector: 'app-user-card',
      componentTreePath: ['App'],
      // joined = new Date(2021, 2, 14) in the page's time zone (the context's is UTC).
      inputs: {
        name: 'Ada Lovelace', age: 36, tags: ['math', 'engines'],
        address: { city: 'London', country: 'UK' }, joined: '2021-03-14T00:00:00.000Z',
      },
      // The clicked element's line and column in its template: the builder asks
      // the compiler for template source locations (data-ng-source-location).
      sourceLocation: 'src/app/user-card/user-card.html:2:3',
    },
  },
  {
    name: 'the second StatusBadge (signal inputs, one aliased)',
    click: 'app-status-badge:nth-of-type(2) .status-badge',
    box: 'app-status-badge:nth-of-type(2) .status-badge',
    truth: {
      componentName: 'StatusBadge',
      componentFilePath: 'src/app/status-badge/status-badge.ts',
      templateFilePath: 'src/app/status-badge/status-badge.html',
      selector: 'app-status-badge',
      componentTreePath: ['App'],
      inputs: { label: 'Late', level: 'warn', itemCount: 1 },
      sourceLocation: 'src/app/status-badge/status-badge.html:1:1',
    },
  },
  {
    name: 'the second TodoItem of the list (a required signal input holding an object)',
    click: 'app-todo-list li:nth-child(2) label input',
    box: 'app-todo-list li:nth-child(2) label',
    truth: {
      componentName: 'TodoItem',
      componentFilePath: 'src/app/todo-list/todo-item/todo-item.ts',
      templateFilePath: 'src/app/todo-list/todo-item/todo-item.html',
      selector: 'app-todo-item',
      componentTreePath: ['App', 'TodoList'],
      inputs: { todo: { id: 2, title: 'Fix the checkout total', done: false } },
      sourceLocation: 'src/app/todo-list/todo-item/todo-item.html:2:3', // the checkbox
    },
  },
];

describe('angular-demo on ng serve through @ng-annotate/angular:dev-server', () => {
  const cleanups = [];
  let dir, server, page;
  const results = [];

  before(async () => {
    dir = copyApp(DEMO, (fn) => cleanups.push(fn));
    server = await ngServe(dir, { node: nodeFor(DEMO) });
    const browser = await launch({ after: (fn) => cleanups.push(fn) });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
    await page.goto(`${server.url}/`);
    await page.locator('app-todo-list li').first().waitFor({ timeout: 120000 });
    await overlayReady(page, 60000);
  });
  after(async () => {
    await server?.stop();
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
  });

  for (const [i, c] of CASES.entries()) {
    it(`annotating ${c.name} stores the truth`, async () => {
      const text = `angular-demo case ${i}: ${c.name}`;
      const a = await annotate(page, dir, page.locator(c.click), text);
      results[i] = a;
      await shot(page, `angular-demo-annotated-${i}`);
      const t = c.truth;
      assert.equal(a.framework, 'angular');
      assert.equal(a.componentName, t.componentName);
      assert.equal(a.componentFilePath, t.componentFilePath);
      assert.equal(a.templateFilePath, t.templateFilePath);
      assert.equal(a.selector, t.selector);
      assert.deepEqual(a.componentTreePath, t.componentTreePath);
      assert.deepEqual(a.inputs, t.inputs);
      assert.equal(a.sourceLocation, t.sourceLocation);
    });
  }

  for (const [i, what] of [[0, 'an inline component host'], [2, 'a list item']]) {
    it(`the badge of ${what} sits on its element`, async () => {
      const a = results[i];
      assert.ok(a, 'its annotation was made');
      const b = badge(page, a.id);
      await b.waitFor({ state: 'visible', ...WAIT });
      const [bb, eb] = [await b.boundingBox(), await page.locator(CASES[i].box).boundingBox()];
      assert.ok(centreWithin(bb, eb), JSON.stringify({ badge: bb, element: eb }));
    });
  }

  it('drift: after wrapping the list in a <div> and a reload, the item\'s badge is on that item or in the tray', async () => {
    const a = results[2];
    assert.ok(a, 'its annotation was made');
    const restore = editFile(dir, 'src/app/todo-list/todo-list.html',
      (s) => s.replace('<ul>', '<div class="drift"><ul>').replace('</ul>', '</ul></div>'));
    try {
      // ng serve rebuilds and updates or reloads the page by itself.
      await page.waitForSelector('app-todo-list .drift li', { timeout: 120000 });
      await page.reload();
      await overlayReady(page, 60000);
      await page.waitForSelector('app-todo-list .drift li:nth-child(2) label', WAIT);
      const b = badge(page, a.id);
      await b.waitFor({ state: 'visible', ...WAIT });
      await shot(page, 'angular-demo-drift');
      if (await trayBadge(page, a.id).count()) return; // unplaced: allowed, never on another element
      const [bb, eb] = [await b.boundingBox(), await page.locator('app-todo-list li:nth-child(2) label').boundingBox()];
      assert.ok(centreWithin(bb, eb), JSON.stringify({ badge: bb, element: eb }));
    } finally {
      restore();
    }
  });
});
