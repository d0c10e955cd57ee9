import * as z from 'zod';
import { UserError } from '../errors.js';

/*
 * The block-table format, file-free so that the browser page (web/) can validate a table it was handed without
 * pulling node:fs into its bundle (block-table-file.ts reads one from disk). The types are derived from the schema
 * (z.infer), so what is checked and what the code may assume cannot drift apart.
 */

/** The schema's output, read-only all the way down: tables are shared between predictions and searches, never edited. */
type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

const matrix = z.array(z.array(z.number()));
/** intercept + Σ_i values[i][g_i]: an AdditiveModel (additive.ts). */
const additiveSchema = z.object({ intercept: z.number(), values: matrix });

/**
 * How one metric is predicted from blocks:
 *   graph-aware: the architecture is first reduced to its effective form; a disconnected one gets `disconnected`;
 *   sum = Σ values[i][g_i] + Σ pair terms;
 *   scaled (MathNAS Eq. 5): intercept + reference / denominator(g) · sum, else intercept + sum.
 */
const metricTableSchema = additiveSchema.extend({
  metric: z.string(),
  /** Interactions of two nodes (additive.ts PairTerm): values[a][b] is added when node i uses block a and node j block b. */
  pairs: z.array(z.object({ i: z.number().int(), j: z.number().int(), values: matrix })).optional(),
  scale: z.object({ reference: z.number(), denominator: additiveSchema }).optional(),
  /**
   * Graph semantics: a network with no input-to-output path gets `disconnected`; any other is predicted on its
   * effective form, or as drawn with form 'drawn' (a cost the device pays for dead blocks too).
   */
  graph: z.object({ disconnected: z.number(), form: z.literal('drawn').optional() }).optional(),
  /** Strictly increasing score-to-metric map applied last (fits to ranks; predict/link.ts); search maximises the score. */
  link: z.object({ x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) }).optional(),
  /** The regression model family this table was fitted with (predict/fit.ts RidgeCandidate), so it can be refitted on more networks. */
  fit: z
    .object({ pairs: z.boolean(), mainPenalty: z.number(), pairPenalty: z.number(), rankTarget: z.boolean().optional() })
    .optional(),
  /**
   * Out-of-fold residuals (measured − predicted) of this model on the networks it was fitted to, sorted: the
   * prediction intervals of predict/interval.ts.
   */
  residuals: z.array(z.number()).optional(),
  /** Fitted with the equivalent architectures of every measured network (space.equivalents). */
  equivalents: z.boolean().optional(),
});

/** The artifact of block estimation: everything needed to predict and search, with how it was obtained. */
export const blockTableSchema = z.object({
  format: z.literal('blocknas-block-table/1'),
  space: z.string(),
  estimator: z.string(),
  dataset: z.string().optional(),
  device: z.string().optional(),
  /** Distinct networks evaluated to build the table. */
  evaluated: z.number().int().nonnegative(),
  seed: z.number().int(),
  base: z.array(z.number().int().nonnegative()),
  metrics: z.array(metricTableSchema).min(1),
  /**
   * The evaluated networks and their measured metrics (fitted estimators keep them for refits); a metric a network
   * has no value of is null (NaN as JSON writes it).
   */
  observations: z
    .object({ genomes: z.array(z.array(z.number().int().nonnegative())), metrics: z.record(z.string(), z.array(z.number().nullable())) })
    .optional(),
  notes: z.array(z.string()).optional(),
});

export type BlockTable = DeepReadonly<z.infer<typeof blockTableSchema>>;
export type MetricTable = BlockTable['metrics'][number];
export type Observations = NonNullable<BlockTable['observations']>;

export function metricTable(table: BlockTable, metric: string): MetricTable {
  const t = table.metrics.find((m) => m.metric === metric);
  if (!t) {
    const have = table.metrics.map((m) => m.metric).join(', ');
    throw new UserError(`block table (${table.space}) has no metric "${metric}" (it has ${have})`);
  }
  return t;
}

/**
 * A block table from parsed JSON, validated; `source` starts the one-line message of a UserError naming the first
 * bad field (e.g. `--table: t.json: field metrics.0.values: ...`).
 */
export function parseBlockTable(raw: unknown, source: string): BlockTable {
  const parsed = blockTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${source}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
