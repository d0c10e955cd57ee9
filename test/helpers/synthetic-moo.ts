import type { Evaluator, MetricInfo } from '../../src/core/metrics.js';
import { createProblem, type ObjectiveSpec } from '../../src/evolve/problem.js';
import { createRng } from '../../src/random.js';
import { createSpace } from '../../src/space/space.js';
import type { Genome } from '../../src/space/types.js';

const ACC: MetricInfo = { id: 'accuracy:toy', kind: 'accuracy', unit: '%', source: 'computed', description: 'additive toy accuracy' };
const LAT: MetricInfo = { id: 'latency:toy', kind: 'latency', unit: 'ms', source: 'computed', description: 'additive toy latency' };

/**
 * A small space (m nodes x n blocks) with additive accuracy and latency, made to conflict: faster blocks are less
 * accurate, with noise. Every architecture can be enumerated, so the true front is exact.
 */
export function syntheticMoo(m = 6, n = 4, seed = 1) {
  const rng = createRng(seed);
  const lat = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.next()));
  const acc = lat.map((row) => row.map((l) => l + 0.6 * rng.next()));
  const space = createSpace({
    name: 'toy',
    nodes: Array.from({ length: m }, (_, i) => ({
      id: `n${i}`,
      label: `node ${i}`,
      blocks: Array.from({ length: n }, (_, b) => ({ id: `b${b}`, label: `block ${b}`, attrs: {} })),
    })),
  });
  let calls = 0;
  const metricsOf = (g: Genome) => ({
    'accuracy:toy': 50 + g.reduce((s, b, i) => s + acc[i]![b]!, 0),
    'latency:toy': 1 + g.reduce((s, b, i) => s + lat[i]![b]!, 0),
  });
  const evaluator: Evaluator = {
    name: 'toy',
    provides: [ACC, LAT],
    async evaluate(archs) {
      calls += archs.length;
      return archs.map(metricsOf);
    },
  };
  const objectives: ObjectiveSpec[] = [
    { metric: ACC.id, info: ACC, sense: 'max' },
    { metric: LAT.id, info: LAT, sense: 'min' },
  ];
  const problem = createProblem(space, objectives, evaluator);
  const all: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === m) {
      const v = metricsOf(prefix);
      all.push([-v['accuracy:toy'], v['latency:toy']]);
      return;
    }
    for (let b = 0; b < n; b++) walk([...prefix, b]);
  };
  walk([]);
  return { space, problem, evaluator, all, calls: () => calls };
}
