import { UserError } from '../errors.js';
import type { AdditiveModel, PairTerm } from '../core/additive.js';
import type { Problem } from './problem.js';

function finite(x: unknown, where: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new UserError(`${where}: expected a finite number, got ${String(x)}`);
  }
}

function checkModel(model: AdditiveModel, radix: readonly number[], where: string): void {
  finite(model.intercept, `${where}.intercept`);
  if (!Array.isArray(model.values) || model.values.length !== radix.length) {
    throw new UserError(`${where}.values: expected ${radix.length} rows (one per node), got ${model.values?.length}`);
  }
  for (let i = 0; i < radix.length; i++) {
    const row = model.values[i]!;
    if (!Array.isArray(row) || row.length !== radix[i]) {
      throw new UserError(`${where}.values[${i}]: expected ${radix[i]} entries (one per block of node ${i}), got ${row?.length}`);
    }
    for (let j = 0; j < row.length; j++) finite(row[j], `${where}.values[${i}][${j}]`);
  }
}

/** `field` names the list, e.g. objective.pairs or limits[2].pairs. */
function checkPairs(pairs: readonly PairTerm[], radix: readonly number[], field: string): void {
  pairs.forEach((p, k) => {
    const where = `${field}[${k}]`;
    for (const key of ['i', 'j'] as const) {
      const node = p[key];
      if (!Number.isInteger(node) || node < 0 || node >= radix.length) {
        throw new UserError(`${where}.${key}: expected a node index in 0..${radix.length - 1}, got ${node}`);
      }
    }
    // A node's own terms belong in the model's values; the solvers' product terms need two nodes.
    if (p.i === p.j) throw new UserError(`${where}.j: expected a node other than i (${p.i})`);
    const rows = radix[p.i]!;
    const cols = radix[p.j]!;
    if (!Array.isArray(p.values) || p.values.length !== rows) {
      throw new UserError(`${where}.values: expected ${rows} rows (blocks of node ${p.i}), got ${p.values?.length}`);
    }
    p.values.forEach((row, a) => {
      if (!Array.isArray(row) || row.length !== cols) {
        throw new UserError(`${where}.values[${a}]: expected ${cols} entries (blocks of node ${p.j}), got ${row?.length}`);
      }
      row.forEach((v, b) => finite(v, `${where}.values[${a}][${b}]`));
    });
  });
}

/** Smallest value of an additive model over the whole product space (rules ignored). */
export function productMin(model: AdditiveModel): number {
  let v = model.intercept;
  for (const row of model.values) v += Math.min(...row);
  return v;
}

/**
 * Rejects problems the solvers cannot treat soundly, with one line naming the field. Checked up front so that
 * ILP and enumeration fail the same way instead of HiGHS failing on odd LP text.
 */
export function validateProblem(problem: Problem): void {
  const { radix } = problem;
  if (!Array.isArray(radix) || radix.length === 0) throw new UserError('problem.radix: expected at least one node');
  radix.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 1) throw new UserError(`problem.radix[${i}]: expected a positive integer, got ${r}`);
  });
  checkModel(problem.objective.model, radix, 'objective.model');
  if (problem.objective.pairs) checkPairs(problem.objective.pairs, radix, 'objective.pairs');
  const scale = problem.objective.scale;
  if (scale) {
    finite(scale.reference, 'objective.scale.reference');
    checkModel(scale.denominator, radix, 'objective.scale.denominator');
    // Checked over the product space, as Objective documents; a sign change would make N/D meaningless.
    const dMin = productMin(scale.denominator);
    if (!(dMin > 0)) {
      throw new UserError(`objective.scale.denominator: expected a positive value for every architecture, smallest is ${dMin}`);
    }
  }
  const seen = new Set<string>();
  problem.limits.forEach((limit, k) => {
    if (typeof limit.metric !== 'string' || limit.metric === '') {
      throw new UserError(`limits[${k}].metric: expected a non-empty name`);
    }
    // Results are keyed by metric name, so two limits on one name would be ambiguous.
    if (seen.has(limit.metric)) {
      throw new UserError(`limits[${k}].metric: "${limit.metric}" is limited twice; keep one limit per metric`);
    }
    seen.add(limit.metric);
    finite(limit.max, `limits[${k}].max (${limit.metric})`);
    checkModel(limit.model, radix, `limits[${k}].model (${limit.metric})`);
    if (limit.pairs) checkPairs(limit.pairs, radix, `limits[${k}].pairs`);
  });
  problem.rules.forEach((rule, k) => {
    const where = `rules[${k}] (${rule.name})`;
    if (rule.op !== '<=' && rule.op !== '>=' && rule.op !== '=') {
      throw new UserError(`${where}.op: expected '<=', '>=' or '=', got ${String(rule.op)}`);
    }
    finite(rule.rhs, `${where}.rhs`);
    rule.terms.forEach((t, m) => {
      if (!Number.isInteger(t.node) || t.node < 0 || t.node >= radix.length) {
        throw new UserError(`${where}.terms[${m}].node: expected an integer in 0..${radix.length - 1}, got ${t.node}`);
      }
      const r = radix[t.node]!;
      if (!Number.isInteger(t.block) || t.block < 0 || t.block >= r) {
        throw new UserError(`${where}.terms[${m}].block: expected an integer in 0..${r - 1} for node ${t.node}, got ${t.block}`);
      }
      finite(t.coef, `${where}.terms[${m}].coef`);
    });
  });
}
