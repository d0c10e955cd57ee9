import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { BlockTable } from '../core/block-table.js';
import { MATHNAS_TABLES } from './mathnas-nb201.js';

export const MATHNAS_RESULTS = 'mathnas/mathnas_results.json';

const vector = z.object({ values: z.array(z.number()) });
const matrix = z.object({ values: z.array(z.array(z.number())) });
const candidate = z.object({ d: z.number().int(), e: z.array(z.number().int()), ks: z.array(z.number().int()) });

const tablesSchema = z.object({
  tables: z.object({
    'data/mobilenetv3/blockacc_cpu.pt': matrix,
    'data/mobilenetv3/blockacc_gpu.pt': matrix,
    'data/mobilenetv3/blocklat_raspberrypi.pt': matrix,
    'data/mobilenetv3/blocklat_tx2cpu.pt': matrix,
    'data/mobilenetv3/blocklat_tx2gpu.pt': matrix,
    'data/supertransformer/blockacc.pt': vector,
    'data/supertransformer/blocklat_raspberrypi.pt': vector,
    'data/supertransformer/blocklat_xeon.pt': vector,
    'data/supertransformer/blocklat_titanxp.pt': vector,
    'data/supervit/blockacc.pt': vector,
    'data/supervit/blockflops.pt': vector,
  }),
  mobilenetv3_stage_candidates: z.object({ configs: z.record(z.string(), z.array(candidate)) }),
  /** Keyed by the constant as written in the released code; the value explains it. */
  constants: z.record(z.string(), z.string()),
});
export type MathnasTables = z.infer<typeof tablesSchema>;
export type MathnasTensor = keyof MathnasTables['tables'];

const resultSchema = z.object({
  path: z.string(),
  config: z.record(z.string(), z.unknown()),
  readme: z.record(z.string(), z.number()).optional(),
  code: z.array(z.number().int()).optional(),
  pred_additive_from_minimal_net: z.object({ top1: z.number(), mflops: z.number() }).optional(),
  pred_released_predict_py: z.record(z.string(), z.number()).optional(),
  /** Whether the yml's encodearch decodes to its config in each MobileNetV3 candidate set. */
  'config_equals_decode(encodearch,CPU candidates)': z.boolean().optional(),
  'config_equals_decode(encodearch,GPU candidates)': z.boolean().optional(),
});
const resultsSchema = z.record(z.string(), resultSchema);
export type MathnasResult = z.infer<typeof resultSchema>;

function readJson<T>(dataDir: string, rel: string, schema: z.ZodType<T>): T {
  const file = join(dataDir, rel);
  if (!existsSync(file)) throw new UserError(`missing data file ${rel} in ${dataDir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UserError(`data file ${rel} is not valid JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`data file ${rel}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

const tablesCache = new Map<string, MathnasTables>();
const resultsCache = new Map<string, Record<string, MathnasResult>>();

/** mathnas_tables.json, validated; read once per data directory. */
export function readMathnasTables(dataDir: string): MathnasTables {
  let t = tablesCache.get(dataDir);
  if (!t) {
    t = readJson(dataDir, MATHNAS_TABLES, tablesSchema);
    tablesCache.set(dataDir, t);
  }
  return t;
}

/** mathnas_results.json, validated: every published configuration with its README figures. */
export function readMathnasResults(dataDir: string): Record<string, MathnasResult> {
  let r = resultsCache.get(dataDir);
  if (!r) {
    r = readJson(dataDir, MATHNAS_RESULTS, resultsSchema);
    resultsCache.set(dataDir, r);
  }
  return r;
}

/**
 * Constants of the released code, read from the data's `constants`, which keys each by the number(s) as written
 * there ("79.23", "23.46 25.31 …"). Reading them this way means no figure is typed twice, and a data file without
 * the entry fails loudly instead of a stale value being used.
 */
export function dataConstants(tables: MathnasTables, key: string): number[] {
  const values = key.split(/\s+/).map(Number);
  if (!(key in tables.constants) || !values.every(Number.isFinite)) {
    throw new UserError(`data file ${MATHNAS_TABLES}: constants has no entry "${key}"`);
  }
  return values;
}

export function dataConstant(tables: MathnasTables, key: string): number {
  const values = dataConstants(tables, key);
  if (values.length !== 1) throw new UserError(`data file ${MATHNAS_TABLES}: constants entry "${key}" is not one number`);
  return values[0]!;
}

/** The candidate lists of one MobileNetV3 candidate set, stage by stage (blocks{CPU,GPU}/block{1..5}.pickle). */
export function stageCandidateLists(tables: MathnasTables, set: 'cpu' | 'gpu'): z.infer<typeof candidate>[][] {
  const dir = set === 'cpu' ? 'blocksCPU' : 'blocksGPU';
  return [1, 2, 3, 4, 5].map((i) => {
    const key = `data/mobilenetv3/${dir}/block${i}.pickle`;
    const list = tables.mobilenetv3_stage_candidates.configs[key];
    if (!list) throw new UserError(`data file ${MATHNAS_TABLES}: mobilenetv3_stage_candidates has no ${key}`);
    return list;
  });
}

/** A block table as MathNAS released it: nothing was evaluated by blocknas to build it. */
export function publishedTable(
  space: string,
  dataset: string,
  device: string | undefined,
  base: readonly number[],
  metrics: BlockTable['metrics'],
  notes: readonly string[],
): BlockTable {
  return {
    format: 'blocknas-block-table/1',
    space,
    estimator: 'mathnas-published',
    dataset,
    ...(device ? { device } : {}),
    evaluated: 0,
    seed: 0,
    base: [...base],
    metrics,
    notes,
  };
}
