import { test } from 'node:test';
import { createRng } from '../src/random.js';
import { rbfSurrogate, type RbfKernel } from '../src/surrogate/rbf.js';
import { assertClose } from './helpers/assert.js';

function distinctGenomes(radix: number[], count: number, seed: number): number[][] {
  const rng = createRng(seed);
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < count) {
    const g = radix.map((r) => rng.int(r));
    if (!seen.has(g.join())) {
      seen.add(g.join());
      out.push(g);
    }
  }
  return out;
}

for (const kernel of ['cubic', 'gaussian'] as RbfKernel[]) {
  for (const encoding of ['onehot', 'ordinal'] as const) {
    test(`rbf ${kernel} (${encoding}): unregularised fit reproduces every training point`, () => {
      const radix = [5, 5, 5, 5];
      const x = distinctGenomes(radix, 40, 11);
      const rng = createRng(3);
      const y = x.map((g) => g[0]! * g[1]! - 2 * g[2]! + rng.next());
      const rbf = rbfSurrogate({ radix, kernel, encoding, regularization: 0 });
      rbf.fit(x, y);
      const p = rbf.predict(x);
      y.forEach((v, i) => assertClose(p[i]!, v, 1e-7, `training point ${i}`));
    });
  }
}

test('rbf: the linear tail alone recovers an exactly affine target away from the data', () => {
  // One-hot affine targets are additive block values; the cubic kernel part must then vanish (Pᵀw = 0 side).
  const radix = [4, 4, 4];
  const values = [[0, 1, 5, 2], [3, 0, 1, 1], [2, 2, 0, 7]];
  const f = (g: readonly number[]) => g.reduce((s, b, i) => s + values[i]![b]!, 0);
  const x = distinctGenomes(radix, 30, 5);
  const rbf = rbfSurrogate({ radix, regularization: 0 });
  rbf.fit(x, x.map(f));
  const all = distinctGenomes(radix, 64, 9);
  const p = rbf.predict(all);
  all.forEach((g, i) => assertClose(p[i]!, f(g), 1e-6, `unseen genome ${g.join(',')}`));
});
