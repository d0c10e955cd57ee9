import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../src/errors.js';
import { createLatencyMonitor, roundFactor, type Trigger } from '../src/switching/monitor.js';
import { assertClose } from './helpers/assert.js';

/**
 * Feeds measurements of a network predicted at `predicted` ms and, as the switcher does, reports each trigger's
 * slow-down as solved for (the network is left as it is); returns the step and trigger of each firing.
 */
function feed(monitor: ReturnType<typeof createLatencyMonitor>, measured: readonly number[], predicted: number) {
  const fired: { at: number; trigger: Trigger }[] = [];
  measured.forEach((m, at) => {
    const trigger = monitor.observe(m, predicted);
    if (trigger) {
      fired.push({ at, trigger });
      monitor.solvedFor(trigger.factor);
    }
  });
  return fired;
}

test('slow-down factors are rounded to powers of 1.02: up when switching down, to the nearest when switching up', () => {
  assertClose(roundFactor(1.275, 0.02, 'up'), 1.02 ** 13, 1e-12, 'ceil(12.27) = 13 steps');
  assertClose(roundFactor(1.275, 0.02, 'nearest'), 1.02 ** 12, 1e-12, 'round(12.27) = 12 steps');
  assertClose(roundFactor(1.02 ** 5, 0.02, 'up'), 1.02 ** 5, 1e-12, 'a grid point stays put');
  assert.equal(roundFactor(1.0049, 0.02, 'nearest'), 1);
  assert.equal(roundFactor(1.275, 0, 'up'), 1.275);
});

test('switch down after `samples` measurements in a row over the limit; a dip below it restarts the count', () => {
  const monitor = createLatencyMonitor({ limit: 100, samples: 3 });
  // Predicted 80 ms: 101 is a slow-down of 1.2625; the 99 breaks the first run.
  const fired = feed(monitor, [90, 101, 102, 99, 101, 102, 103], 80);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.at, 6);
  assert.equal(fired[0]!.trigger.reason, 'over');
  assertClose(fired[0]!.trigger.measured, 102, 1e-12, 'mean of 101, 102, 103');
  assertClose(fired[0]!.trigger.factor, 1.02 ** 13, 1e-12, 'mean slow-down 102/80 = 1.275, rounded up');
});

test('a trigger at the slow-down already solved for is suppressed: the same program would give the same network', () => {
  const monitor = createLatencyMonitor({ limit: 100, samples: 3 });
  monitor.solvedFor(1.02 ** 13);
  // The fastest network (predicted 78.5 ms) breaks the limit at slow-down 1.287, which rounds up to the 1.02^13 solved for.
  assert.deepEqual(feed(monitor, [101, 101, 101, 101, 101], 78.5), []);
  // A further slow-down can: the run 101, 101, 105 estimates 1.304, 13.4 steps, up to 14.
  const fired = feed(monitor, [105, 105, 105], 78.5);
  assert.equal(fired.length, 1, 'after the re-solve a new run must start');
  assert.equal(fired[0]!.at, 0);
  assertClose(fired[0]!.trigger.factor, 1.02 ** 14, 1e-12, 'slow-down');
});

test('switch up only on a steady window: one straddling the change waits until it has slid past it', () => {
  const monitor = createLatencyMonitor({ limit: 100, samples: 3, window: 10, hysteresis: 0.05 });
  monitor.solvedFor(1.6);
  // Network predicted 60 ms. Still 1.6 (96 ms), then 1.55 (93 ms: only 3% faster, inside the band), then 1.0 (60 ms).
  const fired = feed(monitor, [96, 96, 93, 93, 93, ...Array<number>(10).fill(60)], 60);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.at, 14, 'the tenth measurement at the new level');
  assert.equal(fired[0]!.trigger.reason, 'under');
  assert.equal(fired[0]!.trigger.factor, 1, 'no 1.6 or 1.55 sample leaks into the estimate');
  assert.equal(fired[0]!.trigger.measured, 60);
});

test('noise around the level solved for never triggers: no flapping inside the hysteresis band', () => {
  const monitor = createLatencyMonitor({ limit: 100 });
  monitor.solvedFor(1.5);
  // Predicted 62 ms at slow-down 1.5 = 93 ms; measurements swing ±4% (1.44 to 1.56), inside both thresholds.
  const swings = Array.from({ length: 200 }, (_, k) => 93 * (1 + 0.04 * Math.sin(k * 1.7)));
  assert.deepEqual(feed(monitor, swings, 62), []);
});

test('once past the hysteresis, a further recovery by a grid step is followed, correcting an estimate left high', () => {
  const monitor = createLatencyMonitor({ limit: 200, window: 4, hysteresis: 0.05 });
  monitor.solvedFor(1.6);
  // Predicted 100 ms. A steady window averaging 1.01 (a ramp's tail, say) rounds to 1.02: a switch up.
  const first = feed(monitor, [102, 101, 100, 101], 100);
  assert.deepEqual(first.map((f) => f.trigger.reason), ['under']);
  assertClose(first[0]!.trigger.factor, 1.02, 1e-12, 'estimate');
  // 1.0 is only 2% below 1.02, but 37% below the 1.6 that forced the switch down: followed.
  const second = feed(monitor, [100, 100, 100, 100], 100);
  assert.equal(second.length, 1);
  assert.equal(second[0]!.trigger.factor, 1);
  // Still 1.0: the same grid point, nothing to do.
  assert.deepEqual(feed(monitor, [100, 100, 100, 100, 100, 100], 100), []);
});

test('at the start, noise below the nominal speed does not switch up: the hysteresis counts from the start', () => {
  const monitor = createLatencyMonitor({ limit: 200, window: 4 });
  // Slow-down 0.97: rounds to 0.98, a lower grid point than 1, but not 5% below the start.
  assert.deepEqual(feed(monitor, [97, 97, 97, 97, 97], 100), []);
  assert.equal(feed(monitor, [90, 90, 90, 90], 100).length, 1, '10% faster than nominal is');
});

test('monitor options are checked, naming the field', () => {
  assert.throws(() => createLatencyMonitor({ limit: 0 }), (e: Error) => e instanceof UserError && /^limit:/.test(e.message));
  assert.throws(() => createLatencyMonitor({ limit: 1, samples: 0 }), /^UserError: samples: expected an integer >= 1/);
  assert.throws(() => createLatencyMonitor({ limit: 1, hysteresis: 1 }), /hysteresis: expected a number in \[0, 1\)/);
  assert.throws(() => createLatencyMonitor({ limit: 1 }).observe(-1, 1), /latency: expected positive/);
});
