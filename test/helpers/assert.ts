import assert from 'node:assert/strict';

/** |actual - expected| <= tol, with both numbers in the failure message. */
export function assertClose(actual: number, expected: number, tol: number, what = 'value'): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} differs from ${expected} by more than ${tol}`);
}
