import { UserError } from '../errors.js';
import type { BlockTable } from '../core/block-table.js';
import { createMobilenetV3Space, type MobilenetV3Set } from '../spaces/mobilenetv3/space.js';
import { SUPERVIT_GROUPS, SUPERVIT_RESOLUTIONS } from '../spaces/supervit/choices.js';
import { createSupervitSpace } from '../spaces/supervit/space.js';
import type { SearchSpace } from '../space/types.js';
import { dataConstant, publishedTable, readMathnasTables, stageCandidateLists } from './mathnas-data.js';
import { ST_DATASET, ST_DEVICES, superTransformerTable } from './mathnas-supertransformer.js';

export type MathnasSpaceName = 'mobilenetv3' | 'supertransformer' | 'supervit';
export const MATHNAS_SPACES: readonly MathnasSpaceName[] = ['mobilenetv3', 'supertransformer', 'supervit'];

export const MBV3_DEVICES = ['raspberrypi', 'tx2cpu', 'tx2gpu'] as const;
export type MobilenetV3Device = (typeof MBV3_DEVICES)[number];

/** Devices with a latency table per space (SuperViT is FLOPs-limited and has none). */
export const MATHNAS_DEVICES: Readonly<Record<MathnasSpaceName, readonly string[]>> = {
  mobilenetv3: MBV3_DEVICES,
  supertransformer: ST_DEVICES,
  supervit: [],
};

/** The dataset each space's accuracy metric is named after: the objective is `accuracy:<dataset>`. */
export const MATHNAS_DATASET: Readonly<Record<MathnasSpaceName, string>> = {
  mobilenetv3: 'imagenet',
  supertransformer: ST_DATASET,
  supervit: 'imagenet',
};

export interface MathnasTable {
  readonly space: SearchSpace;
  readonly table: BlockTable;
}

/** MathNAS profiled a separate candidate list for the TX2 GPU; every other device uses the CPU list. */
export function mobilenetV3Set(device: MobilenetV3Device): MobilenetV3Set {
  return device === 'tx2gpu' ? 'gpu' : 'cpu';
}

const negate = (m: readonly (readonly number[])[]) => m.map((row) => row.map((v) => -v));

/**
 * blockacc_{cpu,gpu} are top-1 drops against the largest candidate (acc = 79.23 − Σ), so contributions are their
 * negatives. blocklat_<device> are absolute per-stage latencies (stem and head excluded): intercept 0.
 */
function mobilenetV3Table(dataDir: string, device?: string): MathnasTable {
  if (device !== undefined && !(MBV3_DEVICES as readonly string[]).includes(device)) {
    throw new UserError(`mobilenetv3: unknown device "${device}" (one of ${MBV3_DEVICES.join(', ')})`);
  }
  // Without a device, the table carries every device that shares the CPU candidate list.
  const devices = device ? [device as MobilenetV3Device] : MBV3_DEVICES.filter((d) => mobilenetV3Set(d) === 'cpu');
  const set = mobilenetV3Set(devices[0]!);
  const tables = readMathnasTables(dataDir);
  const space = createMobilenetV3Space(set, stageCandidateLists(tables, set));
  const drops = tables.tables[`data/mobilenetv3/blockacc_${set}.pt`].values;
  // The reference net is the one with no drop in any stage: the largest candidate.
  const base = drops.map((row) => row.indexOf(0));
  if (base.some((b) => b < 0)) throw new UserError(`mobilenetv3 blockacc_${set}: a stage has no zero-drop (reference) candidate`);
  return {
    space,
    table: publishedTable(space.name, MATHNAS_DATASET.mobilenetv3, device, base, [
        { metric: `accuracy:${MATHNAS_DATASET.mobilenetv3}`, intercept: dataConstant(tables, '79.23'), values: negate(drops) },
        ...devices.map((d) => ({
          metric: `latency:${d}`,
          intercept: 0,
          values: tables.tables[`data/mobilenetv3/blocklat_${d}.pt`].values,
        })),
      ],
      [`MathNAS released OFA-MobileNetV3 tables, ${set.toUpperCase()} candidate set; latency excludes stem and head`],
    ),
  };
}

/**
 * SuperViT on the lifted space (src/spaces/supervit/space.ts). Per resolution r the 195 values are grouped, and
 * acc(r) = A_r[0] + Σ_g (A_r[g, c_g] − A_r[g, 0]): the resolution block carries A_r[0] and block (r, c) of group g
 * carries A_r[g, c] − A_r[g, 0]. FLOPs likewise. The released predict.py's 82.6 − Σ / 407 − Σ on the 192-px slice
 * does not reproduce the published figures and is not used (docs/mathnas.md).
 */
function supervitTable(dataDir: string, device?: string): MathnasTable {
  if (device !== undefined) throw new UserError('supervit: the tables are FLOPs, not a device latency; name no device');
  const tables = readMathnasTables(dataDir);
  const space = createSupervitSpace();
  const width = SUPERVIT_GROUPS.reduce((s, n) => s + n, 0);
  const starts = SUPERVIT_GROUPS.map((_, g) => SUPERVIT_GROUPS.slice(0, g).reduce((s, n) => s + n, 0));
  const lift = (values: readonly number[], what: string) => {
    if (values.length !== width * SUPERVIT_RESOLUTIONS.length) {
      throw new UserError(`supervit ${what}: expected ${width * SUPERVIT_RESOLUTIONS.length} values, got ${values.length}`);
    }
    const slice = (r: number) => values.slice(r * width, (r + 1) * width);
    return [
      SUPERVIT_RESOLUTIONS.map((_, r) => slice(r)[0]!),
      ...SUPERVIT_GROUPS.map((n, g) =>
        SUPERVIT_RESOLUTIONS.flatMap((_, r) => {
          const a = slice(r);
          return Array.from({ length: n }, (_, c) => a[starts[g]! + c]! - a[starts[g]!]!);
        }),
      ),
    ];
  };
  const t = tables.tables;
  return {
    space,
    // The minimal net at the lowest resolution: every table value is measured against it.
    table: publishedTable(space.name, MATHNAS_DATASET.supervit, undefined, space.nodes.map(() => 0), [
        { metric: `accuracy:${MATHNAS_DATASET.supervit}`, intercept: 0, values: lift(t['data/supervit/blockacc.pt'].values, 'blockacc') },
        { metric: `flops:${MATHNAS_DATASET.supervit}`, intercept: 0, values: lift(t['data/supervit/blockflops.pt'].values, 'blockflops') },
      ],
      ['MathNAS released SuperViT tables; additive per resolution from the minimal net, lifted to one table'],
    ),
  };
}

/**
 * The block table MathNAS released for a space, converted to blocknas's form (intercept + block contributions),
 * with the space it indexes. Metrics: `accuracy:<dataset>` (BLEU for the SuperTransformer), and `latency:<device>`
 * (ms) or, for SuperViT, `flops:imagenet` (MFLOPs). A MobileNetV3 device picks the candidate set: tx2gpu the GPU
 * list, raspberrypi and tx2cpu the CPU list (both latencies when no device is named).
 */
export function mathnasTable(dataDir: string, space: MathnasSpaceName, device?: string): MathnasTable {
  switch (space) {
    case 'mobilenetv3':
      return mobilenetV3Table(dataDir, device);
    case 'supertransformer':
      return superTransformerTable(dataDir, device);
    case 'supervit':
      return supervitTable(dataDir, device);
    default:
      throw new UserError(`unknown MathNAS space "${String(space)}" (one of ${MATHNAS_SPACES.join(', ')})`);
  }
}
