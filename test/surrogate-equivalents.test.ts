import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainEquivalents, withEquivalents } from '../src/surrogate/equivalents.js';
import type { Genome } from '../src/space/types.js';
import type { Surrogate } from '../src/surrogate/types.js';

/** Records what it was fitted on and predicts a fixed value per instance, so the blend can be checked by hand. */
function recorder(fits: { x: Genome[]; y: number[] }[]): () => Surrogate {
  return () => {
    const id = fits.length;
    fits.push({ x: [], y: [] });
    return {
      name: 'rec',
      fit(x, y) {
        fits[id] = { x: [...x], y: [...y] };
      },
      predict(x) {
        return Float64Array.from(x, () => (id === 0 ? 10 : 20));
      },
    };
  };
}

test('withEquivalents fits one copy plainly and one with unmeasured in-domain twins, and predicts their mean', () => {
  const fits: { x: Genome[]; y: number[] }[] = [];
  // [0,0] and [1,1] are one network, [2,2] and [3,3] another; [3,3] is outside the domain.
  const twins = (g: Genome): Genome[] =>
    g[0]! < 2 ? [[0, 0], [1, 1]].filter((t) => t[0] !== g[0]) : [[2, 2], [3, 3]].filter((t) => t[0] !== g[0]);
  const model = withEquivalents(recorder(fits), domainEquivalents(twins, (g) => g[0] !== 3));
  assert.equal(model.name, 'rec+equivalents');
  // [2,2] appears twice, as front weighting repeats rows; [0,0] and [1,1] are both measured.
  model.fit([[0, 0], [2, 2], [2, 2], [1, 1]], [5, 7, 7, 6]);
  assert.deepEqual(fits[0], { x: [[0, 0], [2, 2], [2, 2], [1, 1]], y: [5, 7, 7, 6] });
  // a measured twin is not added again with another's value, and [3,3] is out of the domain: nothing to add
  assert.deepEqual(fits[1], { x: [[0, 0], [2, 2], [2, 2], [1, 1]], y: [5, 7, 7, 6] });

  model.fit([[0, 0], [2, 2], [2, 2]], [5, 7, 7]);
  assert.deepEqual(fits[1], { x: [[0, 0], [1, 1], [2, 2], [2, 2]], y: [5, 5, 7, 7] });
  assert.deepEqual(Array.from(model.predict([[0, 0], [3, 3]])), [15, 15]);
});

test('domainEquivalents asks the space once per architecture, and keeps only what the domain admits', () => {
  const asked: string[] = [];
  const twins = domainEquivalents(
    (g) => {
      asked.push(g.join());
      return [[g[0]! + 1], [g[0]! + 2]];
    },
    (g) => g[0]! % 2 === 0,
  );
  assert.deepEqual(twins([0]), [[2]]);
  assert.deepEqual(twins([1]), [[2]]);
  assert.deepEqual(twins([0]), [[2]]);
  assert.deepEqual(asked, ['0', '1']);
});
