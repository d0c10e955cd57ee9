import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as z from 'zod';
import { UserError } from '../../errors.js';
import { metricKindOf } from '../../eval/external.js';
import type { Evaluator, MetricInfo, Metrics } from '../../core/metrics.js';
import type { AdditiveModel } from '../../core/additive.js';
import { allGenomes, createSpace, productSize, radices, satisfiesRules } from '../../space/space.js';
import type { BlockNode, CouplingRule, Genome, SearchSpace } from '../../space/types.js';

/*
 * A search space of your own, declared in a JSON file:
 *
 *   {
 *     "name": "tiny-convnet",
 *     "metrics": [
 *       { "id": "accuracy:val", "unit": "%" },                     // reported by your trainer (at least one accuracy)
 *       { "id": "latency:cpu", "unit": "ms", "better": "lower" },  // reported by your trainer
 *       { "id": "flops", "unit": "M" }                             // summed from the blocks' costs below
 *     ],
 *     "nodes": [
 *       { "id": "stage1", "label": "first stage", "blocks": [
 *           { "id": "conv3", "label": "3x3 conv", "costs": { "flops": 12.5 }, "attrs": { "kernel": 3 } },
 *           { "id": "skip", "costs": { "flops": 0 } } ] },
 *       ...
 *     ],
 *     "rules": [
 *       { "name": "at most one skip", "terms": [ { "node": "stage1", "block": "skip" }, { "node": "stage2", "block": "skip" } ],
 *         "op": "<=", "rhs": 1 }
 *     ]
 *   }
 *
 * Each node is a position in the network filled by exactly one of its blocks; an architecture is the chosen block
 * id per node, joined by ':' (`conv3:skip:...`). A metric's kind comes from its id's prefix (accuracy, latency,
 * energy, flops, params, alone or followed by ':' or '-' and a qualifier); accuracy is maximised and every other
 * kind minimised, which `better` may state but not change. A metric with per-block `costs` is computed here as the
 * sum over the chosen blocks (every block must then give it); the others are what the trainer reports. Rules are
 * CouplingRules written with ids: Σ coef·[node uses block] op rhs, coef 1 unless given.
 *
 * Every mistake is a UserError of one line naming the file and the field, e.g.
 *   space file my.json: nodes[2].blocks[0].id: expected a non-empty string
 */

export interface SpaceFile {
  /** The file it was read from, as given. */
  readonly file: string;
  readonly space: SearchSpace;
  readonly description?: string;
  /** Every metric the file declares, in its order. */
  readonly metrics: readonly MetricInfo[];
  /** The metric to maximise: the file's first accuracy metric. */
  readonly accuracy: string;
  /** Metrics the trainer reports (every metric without per-block costs), in file order. */
  readonly measured: readonly string[];
  /** Metrics summed from per-block costs, in file order. */
  readonly computed: readonly string[];
  /** Per-block costs of each computed metric as an additive model (intercept 0, values[node][block]). */
  readonly costs: Readonly<Record<string, AdditiveModel>>;
  /** Evaluates the computed metrics (no process is run); absent when no block has costs. */
  readonly analytic?: Evaluator;
  /**
   * The computed FLOPs model, when the file has a metric of kind flops: estimators use it to pick the base network
   * and scale accuracy (EstimateRequest.flops).
   */
  readonly flops?: AdditiveModel;
  /** Hash of the definition (names, blocks, costs, rules, metrics; not labels or descriptions): for store keys. */
  readonly fingerprint: string;
}

/** What a value is, for messages: array, null, NaN, Infinity, or its typeof. */
function kindOfValue(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v).replace(/^-/, '');
  return typeof v;
}
/** A zod error for a wrong type: `missing` when the field is absent, else what was expected and what came. */
const expected = (what: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'missing' : `expected ${what}, got ${kindOfValue(iss.input)}`) });

const text = z.string(expected('a string'));
const nonEmpty = text.min(1, 'expected a non-empty string');
const word = nonEmpty.regex(/^\S+$/, 'expected an id without spaces');
/** Block ids make the architecture string (ids joined by ':'), so they cannot hold one. */
const blockId = nonEmpty.regex(/^[^\s:]+$/, "expected an id without spaces or ':'");
const finite = z.number(expected('a finite number'));
const attrValue = z.union([z.string(), finite], expected('a string or a finite number'));

const oneOf = (options: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'missing' : `expected ${options}`) });

const blockSchema = z.strictObject(
  {
    id: blockId,
    label: text.optional(),
    costs: z.record(z.string(), finite, expected('an object of numbers keyed by metric id')).optional(),
    attrs: z.record(z.string(), attrValue, expected('an object of strings and numbers')).optional(),
  },
  expected('an object'),
);
const nodeSchema = z.strictObject(
  {
    id: word,
    label: text.optional(),
    blocks: z.array(blockSchema, expected('an array of blocks')).min(1, 'expected at least one block'),
  },
  expected('an object'),
);
const metricSchema = z.strictObject(
  {
    id: word,
    unit: text.optional(),
    description: text.optional(),
    better: z.enum(['higher', 'lower'], oneOf('"higher" or "lower"')).optional(),
  },
  expected('an object'),
);
const termSchema = z.strictObject({ node: nonEmpty, block: nonEmpty, coef: finite.optional() }, expected('an object'));
const ruleSchema = z.strictObject(
  {
    name: text.optional(),
    terms: z.array(termSchema, expected('an array of terms')).min(1, 'expected at least one term'),
    op: z.enum(['<=', '>=', '='], oneOf('"<=", ">=" or "="')),
    rhs: finite,
  },
  expected('an object'),
);
export const spaceFileSchema = z.strictObject(
  {
    $schema: text.optional(),
    name: word,
    description: text.optional(),
    metrics: z.array(metricSchema, expected('an array of metrics')).min(1, 'expected at least one metric'),
    nodes: z.array(nodeSchema, expected('an array of nodes')).min(1, 'expected at least one node'),
    rules: z.array(ruleSchema, expected('an array of rules')).optional(),
  },
  expected('an object'),
);
export type SpaceFileDefinition = z.infer<typeof spaceFileSchema>;

/** A field path as written in messages: nodes[2].blocks[0].costs["latency:cpu"]. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  return issue.message;
}

/** The first problem zod found; an unknown field (a typo) beats the missing one it usually explains. */
function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  const first = issues[0]!;
  const typo = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length < first.path.length + 1 && i.path.every((p, k) => first.path[k] === p));
  return typo ?? first;
}

const CANON_KINDS = 'accuracy, latency, energy, flops or params';

/**
 * A space file's text, validated (`fileName` names it in messages). JSON only: blocknas has no YAML parser among
 * its dependencies, so a .yaml/.yml file is refused with a pointer to JSON.
 */
export function parseSpaceFile(source: string, fileName: string): SpaceFile {
  const where = `space file ${fileName}`;
  if (/\.ya?ml$/i.test(fileName)) throw new UserError(`${where}: YAML is not read (blocknas has no YAML parser); write the space as JSON`);
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (e) {
    throw new UserError(`${where}: not valid JSON: ${jsonErrorText(source, e as Error)}`);
  }
  return spaceFromDefinition(raw, fileName);
}

/** Reads and validates a space file (parseSpaceFile). */
export function readSpaceFile(path: string): SpaceFile {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`space file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  return parseSpaceFile(source, path);
}

function jsonErrorText(source: string, e: Error): string {
  const msg = e.message.split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 160);
  const at = /at position (\d+)/.exec(msg);
  if (!at || /line \d+/.test(msg)) return msg;
  const before = source.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${msg} (line ${line}, column ${column})`;
}

/** A parsed space definition (already-parsed JSON, or an object built in code), validated into a space. */
export function spaceFromDefinition(raw: unknown, fileName: string): SpaceFile {
  const where = `space file ${fileName}`;
  const fail = (path: readonly PropertyKey[], what: string): never => {
    throw new UserError(`${where}: ${path.length > 0 ? `${pathText(path)}: ` : ''}${what}`);
  };
  const parsed = spaceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error.issues);
    return fail(issue.path, issueText(issue));
  }
  const def = parsed.data;

  // Metrics: known kinds, unique ids, a direction that agrees with the kind, an accuracy to maximise.
  const metricIds = new Map<string, number>();
  def.metrics.forEach((m, i) => {
    if (metricIds.has(m.id)) fail(['metrics', i, 'id'], `"${m.id}" is declared twice (also metrics[${metricIds.get(m.id)}])`);
    metricIds.set(m.id, i);
    const kind = metricKindOf(m.id);
    if (kind === undefined) fail(['metrics', i, 'id'], `"${m.id}" does not start with a metric kind (${CANON_KINDS}), e.g. latency:cpu`);
    const better = kind === 'accuracy' ? 'higher' : 'lower';
    if (m.better !== undefined && m.better !== better) {
      fail(['metrics', i, 'better'], `"${m.better}" for ${m.id}, but ${kind === 'accuracy' ? 'accuracy is maximised' : `${kind} is a cost, minimised`} ("${better}")`);
    }
  });
  const accuracy = def.metrics.find((m) => metricKindOf(m.id) === 'accuracy')?.id;
  if (accuracy === undefined) fail(['metrics'], 'expected an accuracy metric to maximise (accuracy, or accuracy:<name>)');

  // Nodes and blocks: unique ids; costs only of declared cost metrics, given by every block once any block does.
  const nodeIndex = new Map<string, number>();
  const computedSet = new Set<string>();
  def.nodes.forEach((n, i) => {
    if (nodeIndex.has(n.id)) fail(['nodes', i, 'id'], `"${n.id}" is used by two nodes (also nodes[${nodeIndex.get(n.id)}])`);
    nodeIndex.set(n.id, i);
    const blockIds = new Map<string, number>();
    n.blocks.forEach((b, j) => {
      if (blockIds.has(b.id)) fail(['nodes', i, 'blocks', j, 'id'], `"${b.id}" is used twice in node ${n.id} (also blocks[${blockIds.get(b.id)}])`);
      blockIds.set(b.id, j);
      for (const metric of Object.keys(b.costs ?? {})) {
        const path = ['nodes', i, 'blocks', j, 'costs', metric];
        if (!metricIds.has(metric)) fail(path, `no metric "${metric}" in metrics (declared: ${[...metricIds.keys()].join(', ')})`);
        if (metricKindOf(metric) === 'accuracy') fail(path, `${metric} is an accuracy, which the trainer reports; per-block costs are for cost metrics`);
        computedSet.add(metric);
      }
    });
  });
  const computed = def.metrics.map((m) => m.id).filter((m) => computedSet.has(m));
  def.nodes.forEach((n, i) =>
    n.blocks.forEach((b, j) => {
      const missing = computed.find((m) => b.costs?.[m] === undefined);
      if (missing !== undefined) fail(['nodes', i, 'blocks', j, 'costs'], `no cost for "${missing}" (once a block gives a metric's cost, every block must)`);
    }),
  );

  // Rules: references by id, each rule able to hold on its own, and (in a space small enough to enumerate) all together.
  const rules: CouplingRule[] = (def.rules ?? []).map((r, i) => ({
    name: r.name ?? `rules[${i}]`,
    op: r.op,
    rhs: r.rhs,
    terms: r.terms.map((t, k) => {
      const node = nodeIndex.get(t.node);
      if (node === undefined) fail(['rules', i, 'terms', k, 'node'], `no node "${t.node}" (nodes: ${[...nodeIndex.keys()].join(', ')})`);
      const block = def.nodes[node!]!.blocks.findIndex((b) => b.id === t.block);
      if (block < 0) fail(['rules', i, 'terms', k, 'block'], `node ${t.node} has no block "${t.block}" (one of ${def.nodes[node!]!.blocks.map((b) => b.id).join(', ')})`);
      return { node: node!, block, coef: t.coef ?? 1 };
    }),
  }));
  const radix = def.nodes.map((n) => n.blocks.length);
  rules.forEach((r, i) => {
    const [lo, hi] = ruleRange(r, radix);
    const eps = 1e-9;
    const holds = r.op === '<=' ? lo <= r.rhs + eps : r.op === '>=' ? hi >= r.rhs - eps : lo <= r.rhs + eps && hi >= r.rhs - eps;
    if (!holds) fail(['rules', i], `"${r.name}" can never hold: its left side lies between ${lo} and ${hi}, never ${r.op} ${r.rhs}`);
  });

  const nodes: BlockNode[] = def.nodes.map((n) => ({
    id: n.id,
    label: n.label ?? n.id,
    blocks: n.blocks.map((b) => ({ id: b.id, label: b.label ?? b.id, attrs: { ...(b.attrs ?? {}), ...(b.costs ?? {}) } })),
  }));
  const space = createSpace({ name: def.name, nodes, rules });
  if (rules.length > 1 && productSize(space) <= 200_000n) {
    let any = false;
    for (const g of allGenomes(radices(space))) if ((any = satisfiesRules(rules, g))) break;
    if (!any) fail(['rules'], 'no architecture satisfies every rule at once');
  }

  const costs: Record<string, AdditiveModel> = {};
  for (const m of computed) costs[m] = { intercept: 0, values: def.nodes.map((n) => n.blocks.map((b) => b.costs![m]!)) };
  const metrics: MetricInfo[] = def.metrics.map((m) => ({
    id: m.id,
    kind: metricKindOf(m.id)!,
    unit: m.unit ?? '',
    source: computedSet.has(m.id) ? 'computed' : 'measured',
    description: m.description ?? (computedSet.has(m.id) ? `sum of per-block costs in ${basename(fileName)}` : 'reported by the trainer'),
  }));
  const flopsId = computed.find((m) => metricKindOf(m) === 'flops');
  return {
    file: fileName,
    space,
    ...(def.description !== undefined ? { description: def.description } : {}),
    metrics,
    accuracy: accuracy!,
    measured: def.metrics.map((m) => m.id).filter((m) => !computedSet.has(m)),
    computed,
    costs,
    ...(computed.length > 0 ? { analytic: costEvaluator(def.name, metrics.filter((m) => computedSet.has(m.id)), costs) } : {}),
    ...(flopsId !== undefined ? { flops: costs[flopsId]! } : {}),
    fingerprint: fingerprintOf(def),
  };
}

/** The least and greatest value a rule's left side can take (each node picks the block that helps most / least). */
function ruleRange(rule: CouplingRule, radix: readonly number[]): [number, number] {
  const byNode = new Map<number, Map<number, number>>();
  for (const t of rule.terms) {
    const m = byNode.get(t.node) ?? new Map<number, number>();
    m.set(t.block, (m.get(t.block) ?? 0) + t.coef);
    byNode.set(t.node, m);
  }
  let lo = 0;
  let hi = 0;
  for (const [node, m] of byNode) {
    const values = [...m.values()];
    if (m.size < radix[node]!) values.push(0); // a block without a term contributes nothing
    lo += Math.min(...values);
    hi += Math.max(...values);
  }
  return [lo, hi];
}

function costEvaluator(name: string, provides: readonly MetricInfo[], costs: Readonly<Record<string, AdditiveModel>>): Evaluator {
  return {
    name: `space-file:${name}:costs`,
    provides,
    async evaluate(archs: readonly Genome[]) {
      return archs.map((g): Metrics => {
        const out: Record<string, number> = {};
        for (const m of provides) out[m.id] = g.reduce((sum, b, i) => sum + costs[m.id]!.values[i]![b]!, 0);
        return out;
      });
    },
  };
}

/** A 53-bit string hash (cyrb53) in hex: a stable name for a definition, not a security measure. */
function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

function fingerprintOf(def: SpaceFileDefinition): string {
  // What decides an evaluation: ids, costs, rules, metric ids. Labels, units and descriptions may change freely.
  const essence = {
    name: def.name,
    metrics: def.metrics.map((m) => m.id),
    nodes: def.nodes.map((n) => [n.id, n.blocks.map((b) => [b.id, Object.entries(b.costs ?? {}).sort(([a], [c]) => (a < c ? -1 : 1))])]),
    rules: (def.rules ?? []).map((r) => [r.terms.map((t) => [t.node, t.block, t.coef ?? 1]), r.op, r.rhs]),
  };
  return hash53(JSON.stringify(essence));
}
