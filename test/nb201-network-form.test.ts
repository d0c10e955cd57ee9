import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { enumerateGenomes } from '../src/space/count.js';
import { genomeKey } from '../src/space/space.js';
import type { Genome } from '../src/space/types.js';
import { nb201Equivalents, networkForm } from '../src/spaces/nb201/network-form.js';
import { createNb201Space, NB201_EDGES, parseNb201 } from '../src/spaces/nb201/space.js';

/**
 * An independent reading of "the same network": run every cell as a small numeric network in which each op type
 * is one fixed nonlinear map (so two cells agree exactly when they compute the same function of the input), and
 * count its ops. Two cells build the same network when both agree.
 */
function numericKey(g: Genome, maps: readonly ((v: number[]) => number[])[]): string {
  const x = [0.3, -1.2, 0.7, 2.1];
  const nodes: number[][] = [x];
  for (let v = 1; v <= 3; v++) {
    const sum = [0, 0, 0, 0];
    NB201_EDGES.forEach(([from, to], e) => {
      if (to !== v) return;
      maps[g[e]!]!(nodes[from]!).forEach((value, k) => (sum[k]! += value));
    });
    nodes.push(sum);
  }
  const counts = [2, 3, 4].map((op) => g.filter((b) => b === op).length);
  return `${nodes[3]!.map((value) => value.toFixed(9)).join(',')}|${counts.join(',')}`;
}

test('network form partitions all 15,625 cells exactly as running them does', () => {
  const rng = createRng(7);
  const matrix = () => Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => rng.next() * 2 - 1));
  const layer = (m: number[][]) => (v: number[]) => m.map((row) => Math.tanh(row.reduce((s, w, k) => s + w * v[k]!, 0)));
  // none, skip, conv 1x1, conv 3x3, avg pool: each op type one map, the same wherever it appears
  const maps = [(v: number[]) => v.map(() => 0), (v: number[]) => v, layer(matrix()), layer(matrix()), layer(matrix())];
  const byForm = new Map<string, string>();
  const byRun = new Map<string, string>();
  for (const g of enumerateGenomes(createNb201Space())) {
    const form = networkForm(g);
    const run = numericKey(g, maps);
    const a = byForm.get(form);
    const b = byRun.get(run);
    if (a !== undefined) assert.equal(run, a, `${g} has network form ${form} but runs differently`);
    if (b !== undefined) assert.equal(form, b, `${g} runs like another cell but its form ${form} differs`);
    byForm.set(form, run);
    byRun.set(run, form);
  }
  assert.equal(byForm.size, byRun.size);
});

test('equivalents of the identity cell: the other skip routes, none of them itself', () => {
  const identity = parseNb201('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|');
  const twins = nb201Equivalents(identity).map(genomeKey);
  for (const s of [
    '|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|',
    '|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|',
    '|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|',
  ]) {
    assert.ok(twins.includes(genomeKey(parseNb201(s))), `${s} is the identity too`);
  }
  assert.ok(!twins.includes(genomeKey(identity)));
  // two skips into the output give 2x, another function
  assert.ok(!twins.includes(genomeKey(parseNb201('|skip_connect~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|'))));
  // a cell that computes nothing has no equivalents
  assert.deepEqual(nb201Equivalents(parseNb201('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|')), []);
});
