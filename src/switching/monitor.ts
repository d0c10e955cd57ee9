import { UserError } from '../errors.js';

export interface MonitorOptions {
  /** The latency limit the running network must meet (ms). */
  readonly limit: number;
  /** Consecutive measurements over the limit that trigger a switch down; their mean slow-down is the estimate (default 3). */
  readonly samples?: number;
  /**
   * Measurements averaged before switching up (default 20, as the released code averages 20 batches). A switch up is
   * never urgent, so it waits for a steady window: the means of its two halves agree within half the hysteresis, so
   * a window that straddles a change, or most of a ramp, does not fire until it has slid past it.
   */
  readonly window?: number;
  /**
   * Recovery needed before switching up, relative to the slow-down that forced the last switch down (or the start;
   * default 0.05). Past it, each further recovery that rounds to a lower grid point is followed, so an estimate that
   * a ramp's tail kept high is corrected by the next window.
   */
  readonly hysteresis?: number;
  /**
   * Slow-down estimates are rounded to a power of 1 + resolution (default 0.02; 0 turns rounding off): up when
   * switching down, where safety matters, to the nearest when switching up.
   */
  readonly resolution?: number;
}

export interface Trigger {
  /** over: the running network measured over the limit; under: the device got faster than the last solve assumed. */
  readonly reason: 'over' | 'under';
  /** Estimated slow-down of the device: measured / predicted latency, rounded to the grid. */
  readonly factor: number;
  /** Mean measured latency (ms) over the measurements behind the estimate. */
  readonly measured: number;
}

export interface LatencyMonitor {
  /** One measured end-to-end latency of the running network, whose nominal predicted latency is `predicted`. */
  observe(measured: number, predicted: number): Trigger | null;
  /** The slow-down a solve just used; measurements from before it no longer count towards a trigger. */
  solvedFor(factor: number): void;
  /** The slow-down last solved for. */
  readonly solvedFactor: number;
}

interface Sample {
  readonly measured: number;
  readonly factor: number;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UserError(`${name}: expected an integer >= 1, got ${v}`);
  return v;
}

function fraction(name: string, v: number): number {
  if (!(v >= 0 && v < 1)) throw new UserError(`${name}: expected a number in [0, 1), got ${v}`);
  return v;
}

const meanOf = (xs: readonly Sample[], key: keyof Sample) => xs.reduce((s, x) => s + x[key], 0) / xs.length;

/**
 * Rounds to a power of 1 + resolution, so estimates that differ only by noise give the same program (and the same
 * network). The small epsilon keeps an estimate that is a grid point up to rounding on that point.
 */
export function roundFactor(factor: number, resolution: number, mode: 'up' | 'nearest'): number {
  if (resolution === 0) return factor;
  const step = Math.log1p(resolution);
  const k = Math.log(factor) / step;
  return Math.exp((mode === 'up' ? Math.ceil(k - 1e-9) : Math.round(k)) * step);
}

/**
 * Watches measured latencies and says when to re-solve. Each measurement is turned into the device's slow-down
 * (measured / the running network's predicted latency), which does not depend on which network runs, so estimates
 * carry across switches. Two thresholds give hysteresis, as MathNAS's released on-device loop has an upper and a
 * lower latency bound: down when `samples` measurements in a row break the limit (their mean is the estimate), up only
 * when a steady window of `window` measurements shows the device recovered by `hysteresis` from the slow-down that
 * forced the last switch down. A trigger whose rounded estimate is not beyond the slow-down already solved for is
 * dropped, since the same program gives the same network. Both rules use only measurements taken after the last
 * solve. No flapping: a switch up is solved with the margin below the limit, and only a broken limit switches down.
 */
export function createLatencyMonitor(options: MonitorOptions, initialFactor = 1): LatencyMonitor {
  const { limit } = options;
  if (!(limit > 0)) throw new UserError(`limit: expected a positive latency, got ${limit}`);
  const samples = positiveInt('samples', options.samples ?? 3);
  const window = positiveInt('window', options.window ?? 20);
  const hysteresis = fraction('hysteresis', options.hysteresis ?? 0.05);
  const resolution = fraction('resolution', options.resolution ?? 0.02);
  let solved = initialFactor;
  let down = initialFactor;
  let over: Sample[] = [];
  let under: Sample[] = [];
  return {
    get solvedFactor() {
      return solved;
    },
    observe(measured, predicted) {
      if (!(measured > 0) || !(predicted > 0)) throw new UserError(`latency: expected positive measured and predicted values, got ${measured} and ${predicted}`);
      const s = { measured, factor: measured / predicted };
      over = s.measured > limit ? [...over, s].slice(-samples) : [];
      under = [...under, s].slice(-window);
      if (over.length === samples) {
        const factor = roundFactor(meanOf(over, 'factor'), resolution, 'up');
        if (factor > solved) return { reason: 'over', factor, measured: meanOf(over, 'measured') };
      }
      if (under.length === window) {
        const mean = meanOf(under, 'factor');
        const half = Math.floor(window / 2);
        const steady = half === 0 || Math.abs(meanOf(under.slice(0, half), 'factor') - meanOf(under.slice(half), 'factor')) <= (hysteresis / 2) * mean;
        const factor = roundFactor(mean, resolution, 'nearest');
        if (steady && mean < down * (1 - hysteresis) && factor < solved) return { reason: 'under', factor, measured: meanOf(under, 'measured') };
      }
      return null;
    },
    solvedFor(factor) {
      if (factor > solved) down = factor;
      solved = factor;
      over = [];
      under = [];
    },
  };
}
