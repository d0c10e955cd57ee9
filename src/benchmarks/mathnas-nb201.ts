import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { BlockTable } from '../core/block-table.js';

export const MATHNAS_TABLES = 'mathnas/mathnas_tables.json';

const tensor = z.object({ values: z.array(z.array(z.number())) });
const tablesSchema = z.object({
  tables: z.object({
    'data/nasbench201/blockacc.pt': tensor,
    'data/nasbench201/blocklat_fpga.pt': tensor,
    'data/nasbench201/blockeng_fpga.pt': tensor,
  }),
});

/**
 * The block table released with MathNAS for NB201, as predict.py uses it: acc = 40.78 - Σ blockacc,
 * fpga latency = 899 - Σ blocklat (µs), energy = 6291 - Σ blockeng (µJ). Converted to blocknas's form
 * (contributions, ms and mJ). The accuracy table is on the ImageNet16-120 scale; `dataset` only names the metric
 * it is compared with. How many networks the authors evaluated to build it is not published.
 */
export function publishedMathnasNb201(dataDir: string, dataset = 'imagenet16-120'): BlockTable {
  const file = join(dataDir, MATHNAS_TABLES);
  if (!existsSync(file)) throw new UserError(`missing data file ${MATHNAS_TABLES} in ${dataDir}`);
  const parsed = tablesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new UserError(`data file ${MATHNAS_TABLES}: field ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  }
  const t = parsed.data.tables;
  const neg = (m: number[][], scale: number) => m.map((row) => row.map((v) => -v / scale));
  return {
    format: 'blocknas-block-table/1',
    space: 'nb201',
    estimator: 'mathnas-published',
    dataset,
    device: 'fpga',
    evaluated: 0,
    seed: 0,
    base: [3, 3, 3, 3, 3, 3],
    metrics: [
      { metric: `accuracy:${dataset}`, intercept: 40.78, values: neg(t['data/nasbench201/blockacc.pt'].values, 1) },
      { metric: 'latency:fpga', intercept: 0.899, values: neg(t['data/nasbench201/blocklat_fpga.pt'].values, 1000) },
      { metric: 'energy:fpga', intercept: 6.291, values: neg(t['data/nasbench201/blockeng_fpga.pt'].values, 1000) },
    ],
    notes: ['MathNAS released NB201 tables (predict.py constants); evaluated networks not published'],
  };
}
