// bench/ratio.mjs: the interval and verdict that bench/devloop.mjs prints
// for each with/without measure, on ratios whose answer is known by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioInterval, verdict } from '../../bench/ratio.mjs';

const near = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 0.0015, `${what}: ${actual} is not ≈ ${expected}`);

test('four rounds around 1.0: geometric mean and a t-interval (3 degrees of freedom) that meets 1.05', () => {
  const i = ratioInterval([1.0, 1.02, 0.98, 1.01]);
  assert.equal(i.n, 4);
  // logs 0, 0.01980, -0.02020, 0.00995: mean 0.00239, sd 0.01718; half-width 3.182 × 0.01718 / 2 = 0.02733.
  near(i.mean, 1.0024, 'mean');
  near(i.lo, 0.9754, 'lo');
  near(i.hi, 1.0302, 'hi');
  assert.equal(verdict(i, 1.05), 'met');
  assert.equal(verdict(i, 1.02), 'unsure');
});

test('every round 1.10: no spread, so over a 1.05 target for sure; a wide spread is unsure', () => {
  const over = ratioInterval([1.1, 1.1, 1.1]);
  near(over.lo, 1.1, 'lo');
  assert.equal(verdict(over, 1.05), 'OVER');
  assert.equal(verdict(ratioInterval([0.9, 1.2]), 1.05), 'unsure');
});

test('fewer than two usable rounds give no interval; NaN and zero are not rounds', () => {
  assert.equal(ratioInterval([1.1]), null);
  assert.equal(ratioInterval([1.1, NaN, 0]), null);
  assert.equal(verdict(null, 1.05), 'n/a');
});

test('past 30 degrees of freedom the interval still narrows with the rounds', () => {
  const ratios = (n) => Array.from({ length: n }, (_, k) => (k % 2 ? 1.06 : 0.98));
  const a = ratioInterval(ratios(32));
  const b = ratioInterval(ratios(64));
  assert.ok(b.hi - b.lo < a.hi - a.lo, `${b.hi - b.lo} < ${a.hi - a.lo}`);
  assert.ok(a.lo < a.mean && a.mean < a.hi);
});
