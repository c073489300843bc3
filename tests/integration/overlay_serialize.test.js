// The overlay's serialization of component inputs (client/src/context/serialize.js),
// a pure module: what the agent reads for values JSON can't carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toData, propsToInputs, capInputs, preview, INPUTS_BUDGET } from '../../client/src/context/serialize.js';

class PriceTag { constructor() { this.amount = 12.5; this.currency = 'EUR'; } }
class _Mangled { constructor() { this.x = 1; } }

test('readable forms: Date, Map, Set, class instances, functions, signals, cycles', () => {
  assert.equal(toData(new Date(Date.UTC(2021, 2, 14, 9, 30))), '2021-03-14T09:30:00.000Z');
  assert.equal(toData(new Date('nope')), 'Invalid Date');
  assert.deepEqual(toData(new Map([['a', 1], ['b', new Date(0)]])),
    { $type: 'Map', size: 2, entries: [['a', 1], ['b', '1970-01-01T00:00:00.000Z']] });
  assert.deepEqual(toData(new Set([1, 'two'])), { $type: 'Set', size: 2, values: [1, 'two'] });
  assert.deepEqual(toData(new PriceTag()), { $type: 'PriceTag', amount: 12.5, currency: 'EUR' });
  assert.deepEqual(toData(new _Mangled()), { $type: 'Mangled', x: 1 }, 'a dev build\'s leading underscore is dropped');
  assert.equal(toData(function onBuy() {}), '[Function onBuy]');
  const signal = () => 42;
  signal[Symbol('SIGNAL')] = {};
  assert.equal(toData(signal), 42, 'an Angular signal is read');
  const cyclic = { name: 'a' };
  cyclic.self = cyclic;
  assert.deepEqual(toData(cyclic), { name: 'a', self: '[Circular]' });
  // The same object twice (not a cycle) is shown twice.
  const shared = { k: 1 };
  assert.deepEqual(toData({ a: shared, b: shared }), { a: { k: 1 }, b: { k: 1 } });
  assert.equal(toData(10n), '10n');
  assert.equal(toData(NaN), 'NaN');
  assert.equal(toData(undefined), null);
  assert.equal(toData(/x+/g), '/x+/g');
});

test('bounds: long strings, long arrays, many keys, depth', () => {
  assert.equal(toData('x'.repeat(600)).length, 501);
  const arr = toData(Array.from({ length: 25 }, (_, i) => i));
  assert.equal(arr.length, 21);
  assert.equal(arr[20], '… 5 more');
  const many = toData(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])));
  assert.equal(Object.keys(many).length, 21);
  assert.equal(many['…'], '10 more keys');
  assert.deepEqual(toData({ a: { b: { c: { d: { e: 1 } } } } }), { a: { b: { c: { d: '[Object]' } } } });
});

test('the whole inputs object stays under the budget; the last entries give way first', () => {
  const big = 'y'.repeat(400);
  const inputs = propsToInputs(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, Array(20).fill(big)])));
  assert.ok(JSON.stringify(inputs).length <= INPUTS_BUDGET, String(JSON.stringify(inputs).length));
  assert.notEqual(inputs.p0, '[truncated]');
  assert.equal(inputs.p19, '[truncated]');
  assert.deepEqual(capInputs({ a: 1 }), { a: 1 });
  assert.deepEqual(propsToInputs({ children: 'x', label: 'Pay' }), { label: 'Pay' });
});

test('panel previews', () => {
  assert.equal(preview({ $type: 'Map', size: 1, entries: [['a', 1]] }), 'Map(1) {"a" → 1}');
  assert.equal(preview({ $type: 'Set', size: 2, values: [1, 2] }), 'Set(2) {1, 2}');
  assert.equal(preview('x'.repeat(200)).length, 120);
});
