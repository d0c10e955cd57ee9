import { z } from 'zod';
import { UserError } from '../src/errors.js';
import { predict } from '../src/predict/predict.js';
import { problemFromTable } from '../src/search/from-table.js';
import { solveIlp } from '../src/search/ilp.js';
import { genomeFromOfaConfig } from '../src/spaces/mobilenetv3/space.js';
import { genomeFromHatConfig } from '../src/spaces/supertransformer/hat-config.js';
import { supervitCode, type SupervitConfig } from '../src/spaces/supervit/choices.js';
import { supervitGenome } from '../src/spaces/supervit/space.js';
import type { Genome } from '../src/space/types.js';
import { readMathnasResults, type MathnasResult } from '../src/benchmarks/mathnas-data.js';
import { MATHNAS_DATASET, mathnasTable, MBV3_DEVICES, mobilenetV3Set, type MathnasSpaceName, type MathnasTable } from '../src/benchmarks/mathnas-tables.js';

/** One published MathNAS configuration checked against blocknas on one device. */
export interface ReproRow {
  /** The result's name: MathNAS-MB1, MathNAS-T3, supertransformer/titanxp/68ms. */
  readonly id: string;
  readonly space: MathnasSpaceName;
  readonly device?: string;
  readonly objective: string;
  readonly limitMetric: string;
  readonly publishedArch: string;
  /** README figures (top1, top5, flops_M, params_M) or, for a SuperTransformer, the latency in its file name. */
  readonly published: Readonly<Record<string, number>>;
  /** What the data file says the released code predicts for it (the same tables), where it gives that. */
  readonly reference: Readonly<Record<string, number>>;
  /** blocknas's prediction of the published configuration: every metric of the table. */
  readonly predicted: Readonly<Record<string, number>>;
  /** The limit searched under: the published configuration's own predicted latency or FLOPs. */
  readonly limit: number;
  readonly ilpArch: string;
  readonly ilpPredicted: Readonly<Record<string, number>>;
  readonly solveMs: number;
  /**
   * Where the published figure is itself a limit (a SuperTransformer's latency in its file name, a SuperViT's
   * README FLOPs): the optimum under that figure instead, to see whether the search lands on the published net.
   */
  readonly atPublishedLimit?: { readonly max: number; readonly arch: string | null; readonly predicted: Readonly<Record<string, number>> };
}

const ints = z.array(z.number().int());
const ofaSchema = z.object({ d: ints, e: ints, ks: ints });
const hatSchema = z.object({
  'encoder-embed-dim-subtransformer': z.number(),
  'decoder-embed-dim-subtransformer': z.number(),
  'encoder-layer-num-subtransformer': z.number(),
  'decoder-layer-num-subtransformer': z.number(),
  'encoder-ffn-embed-dim-all-subtransformer': ints,
  'encoder-self-attention-heads-all-subtransformer': ints,
  'decoder-ffn-embed-dim-all-subtransformer': ints,
  'decoder-self-attention-heads-all-subtransformer': ints,
  'decoder-ende-attention-heads-all-subtransformer': ints,
  'decoder-arbitrary-ende-attn-all-subtransformer': ints,
});
const vitSchema = z.object({ resolution: z.number().int(), width: ints, depth: ints, kernel_size: ints, expand_ratio: ints });

function configOf<T>(id: string, r: MathnasResult, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(r.config);
  if (!parsed.success) throw new UserError(`mathnas_results ${id}: config field ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** A published configuration on one device: its genome in that device's table, and the figures to show with it. */
interface Case {
  readonly id: string;
  readonly space: MathnasSpaceName;
  readonly device?: string;
  readonly limitMetric: string;
  readonly genome: Genome;
  readonly t: MathnasTable;
  readonly published: Record<string, number>;
  readonly reference: Record<string, number>;
  /** The published figure that is comparable with the limited metric, if any. */
  readonly publishedLimit?: number;
}

function mobilenetCases(dataDir: string, results: Record<string, MathnasResult>): Case[] {
  const out: Case[] = [];
  for (const [id, r] of Object.entries(results)) {
    if (!id.startsWith('MathNAS-MB')) continue;
    const config = configOf(id, r, ofaSchema);
    const before = out.length;
    for (const device of MBV3_DEVICES) {
      const t = mathnasTable(dataDir, 'mobilenetv3', device);
      const genome = genomeFromOfaConfig(t.space, config);
      if (!genome) continue;
      const released = r.pred_released_predict_py ?? {};
      const reference: Record<string, number> = {};
      const top1 = released[`top1_${mobilenetV3Set(device)}_table`];
      const lat = released[`latency_ms_${device}`];
      // predict.py decodes the yml's encodearch, not its config; only where the two agree is it the same network.
      const sameNet =
        mobilenetV3Set(device) === 'gpu'
          ? r['config_equals_decode(encodearch,GPU candidates)'] === true
          : r['config_equals_decode(encodearch,CPU candidates)'] === true;
      if (sameNet && top1 !== undefined) reference['top1'] = top1;
      if (sameNet && lat !== undefined) reference['latency_ms'] = lat;
      out.push({ id, space: 'mobilenetv3', device, limitMetric: `latency:${device}`, genome, t, published: { ...r.readme }, reference });
    }
    if (out.length === before) throw new UserError(`mathnas_results ${id}: the config matches neither candidate set`);
  }
  return out;
}

const ST_PATH = /^results\/supertransformer\/(\w+)\/(\d+(?:\.\d+)?)ms\.yml$/;

function superTransformerCases(dataDir: string, results: Record<string, MathnasResult>): Case[] {
  return Object.entries(results).flatMap(([id, r]) => {
    const m = ST_PATH.exec(r.path);
    if (!m) return [];
    const device = m[1]!;
    const t = mathnasTable(dataDir, 'supertransformer', device);
    const genome = genomeFromHatConfig(configOf(id, r, hatSchema));
    // The results publish no BLEU: the file name is the latency limit MathNAS searched under.
    const latencyMs = Number(m[2]);
    return [{
      id: `supertransformer/${device}/${m[2]}ms`,
      space: 'supertransformer' as const,
      device,
      limitMetric: `latency:${device}`,
      genome,
      t,
      published: { latency_ms: latencyMs },
      reference: {},
      publishedLimit: latencyMs,
    }];
  });
}

function supervitCases(dataDir: string, results: Record<string, MathnasResult>): Case[] {
  const t = mathnasTable(dataDir, 'supervit');
  return Object.entries(results).flatMap(([id, r]): Case[] => {
    if (!id.startsWith('MathNAS-T')) return [];
    const config: SupervitConfig = configOf(id, r, vitSchema);
    const code = supervitCode(config);
    if (r.code && r.code.join(',') !== code.join(',')) {
      throw new UserError(`mathnas_results ${id}: config decodes to [${code.join(',')}], the file says [${r.code.join(',')}]`);
    }
    const ref = r.pred_additive_from_minimal_net;
    const reference: Record<string, number> = ref ? { top1: ref.top1, flops_M: ref.mflops } : {};
    return [{
      id,
      space: 'supervit' as const,
      limitMetric: `flops:${MATHNAS_DATASET.supervit}`,
      genome: supervitGenome(config.resolution, code),
      t,
      published: { ...r.readme },
      reference,
      ...(r.readme?.['flops_M'] !== undefined ? { publishedLimit: r.readme['flops_M'] } : {}),
    }];
  });
}

/**
 * For every published MathNAS configuration (MB1-MB4 on each device whose candidate set holds it, the nine
 * SuperTransformer results, T1-T5): blocknas's prediction of it, and the proven-optimal architecture under the
 * same predictions with the configuration's own predicted latency (FLOPs) as the limit, and under the published
 * figure where that is a limit. Solves run one at a time; the first includes loading HiGHS.
 */
export async function mathnasReproduction(dataDir: string): Promise<ReproRow[]> {
  const results = readMathnasResults(dataDir);
  const cases = [...mobilenetCases(dataDir, results), ...superTransformerCases(dataDir, results), ...supervitCases(dataDir, results)];
  const rows: ReproRow[] = [];
  for (const c of cases) {
    const { space, table } = c.t;
    const objective = `accuracy:${MATHNAS_DATASET[c.space]}`;
    const predicted = predict(table, space, c.genome);
    const limit = predicted[c.limitMetric]!;
    const solveUnder = (max: number) => solveIlp(problemFromTable(table, space, objective, [{ metric: c.limitMetric, max }]));
    const sol = await solveUnder(limit);
    if (!sol.genome) throw new Error(`${c.id}: the ILP found nothing under the published configuration's own ${c.limitMetric}`);
    const atPub = c.publishedLimit === undefined ? undefined : await solveUnder(c.publishedLimit);
    rows.push({
      id: c.id,
      space: c.space,
      ...(c.device ? { device: c.device } : {}),
      objective,
      limitMetric: c.limitMetric,
      publishedArch: space.format(c.genome),
      published: c.published,
      reference: c.reference,
      predicted,
      limit,
      ilpArch: space.format(sol.genome),
      ilpPredicted: predict(table, space, sol.genome),
      solveMs: sol.solveMs,
      ...(atPub && c.publishedLimit !== undefined
        ? {
            atPublishedLimit: {
              max: c.publishedLimit,
              arch: atPub.genome ? space.format(atPub.genome) : null,
              predicted: atPub.genome ? predict(table, space, atPub.genome) : {},
            },
          }
        : {}),
    });
  }
  return rows;
}
