import * as z from 'zod';
import { UserError } from '../errors.js';
import type { RidgeCandidate } from './fit.js';
import type { Link } from './link.js';
import type { AdditiveModel, PairTerm } from './model.js';

/*
 * The block-table format without file access, so the browser page (web/) can validate a table it was handed
 * without pulling node:fs into its bundle. block-table.ts re-exports all of it beside the file readers.
 */

/**
 * How one metric is predicted from blocks:
 *   graph-aware: the architecture is first reduced to its effective form; a disconnected one gets `disconnected`;
 *   sum = Σ values[i][g_i] + Σ pair terms;
 *   scaled (MathNAS Eq. 5): intercept + reference / denominator(g) · sum, else intercept + sum.
 */
export interface MetricTable extends AdditiveModel {
  readonly metric: string;
  readonly pairs?: readonly PairTerm[];
  readonly scale?: { readonly reference: number; readonly denominator: AdditiveModel };
  /**
   * Graph semantics: a network with no input-to-output path gets `disconnected`; any other is predicted on its
   * effective form, or as drawn with form 'drawn' (a cost the device pays for dead blocks too).
   */
  readonly graph?: { readonly disconnected: number; readonly form?: 'drawn' };
  /** Strictly increasing score-to-metric map applied last (fits to ranks); search maximises the score. */
  readonly link?: Link;
  /** The regression model family this table was fitted with, so it can be refitted on more networks. */
  readonly fit?: RidgeCandidate;
  /** Fitted with the equivalent architectures of every measured network (space.equivalents). */
  readonly equivalents?: boolean;
  /**
   * Out-of-fold residuals (measured − predicted) of this model on the networks it was fitted to, sorted: the
   * prediction intervals of predict/interval.ts.
   */
  readonly residuals?: readonly number[];
}

/** The artifact of block estimation: everything needed to predict and search, with how it was obtained. */
export interface BlockTable {
  readonly format: 'blocknas-block-table/1';
  readonly space: string;
  readonly estimator: string;
  readonly dataset?: string;
  readonly device?: string;
  /** Distinct networks evaluated to build the table. */
  readonly evaluated: number;
  readonly seed: number;
  readonly base: readonly number[];
  readonly metrics: readonly MetricTable[];
  /** The evaluated networks and their measured metrics (fitted estimators keep them for refits). */
  readonly observations?: Observations;
  readonly notes?: readonly string[];
}

export interface Observations {
  readonly genomes: readonly (readonly number[])[];
  readonly metrics: Readonly<Record<string, readonly number[]>>;
}

const matrix = z.array(z.array(z.number()));
const additiveSchema = z.object({ intercept: z.number(), values: matrix });
const metricSchema = additiveSchema.extend({
  metric: z.string(),
  pairs: z.array(z.object({ i: z.number().int(), j: z.number().int(), values: matrix })).optional(),
  scale: z.object({ reference: z.number(), denominator: additiveSchema }).optional(),
  graph: z.object({ disconnected: z.number(), form: z.literal('drawn').optional() }).optional(),
  link: z.object({ x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) }).optional(),
  fit: z
    .object({ pairs: z.boolean(), mainPenalty: z.number(), pairPenalty: z.number(), rankTarget: z.boolean().optional() })
    .optional(),
  residuals: z.array(z.number()).optional(),
  equivalents: z.boolean().optional(),
});
export const blockTableSchema = z.object({
  format: z.literal('blocknas-block-table/1'),
  space: z.string(),
  estimator: z.string(),
  dataset: z.string().optional(),
  device: z.string().optional(),
  evaluated: z.number().int().nonnegative(),
  seed: z.number().int(),
  base: z.array(z.number().int().nonnegative()),
  metrics: z.array(metricSchema).min(1),
  observations: z
    .object({ genomes: z.array(z.array(z.number().int().nonnegative())), metrics: z.record(z.string(), z.array(z.number().nullable())) })
    .optional(),
  notes: z.array(z.string()).optional(),
});

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
  return parsed.data as BlockTable;
}
