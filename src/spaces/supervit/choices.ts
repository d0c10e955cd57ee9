import { UserError } from '../../errors.js';

/**
 * The SuperViT (NASViT / AlphaNet) space as MathNAS encodes it. Both constants are given only as code and text
 * upstream: the group sizes are dataprocess.supervit_calculate_difference's `layer_combinations`, and the
 * resolutions are the order of the 4 × 195 slices of data/supervit/block{acc,flops}.pt (mathnas_tables.json's
 * "meaning" of those tensors).
 */
export const SUPERVIT_GROUPS = [2, 8, 36, 24, 24, 63, 24, 12, 2] as const;
export const SUPERVIT_RESOLUTIONS = [192, 224, 256, 288] as const;
export const SUPERVIT_CHOICES = SUPERVIT_GROUPS.reduce((s, n) => s + n, 0);

/** What one group choice sets. `stage` indexes depth/kernel/expand (7 stages); width has 9 entries (0..8). */
export interface GroupChoice {
  readonly width: number;
  readonly stage?: { readonly depth: number; readonly kernel: number; readonly expand: number };
}

/** A NASViT config as in MathNAS's results/supervit/*.yml. */
export interface SupervitConfig {
  readonly resolution: number;
  readonly width: readonly number[];
  readonly depth: readonly number[];
  readonly kernel_size: readonly number[];
  readonly expand_ratio: readonly number[];
}

const stage = (depth: number, kernel: number, expand: number) => ({ depth, kernel, expand });

/** utils.supervit_decode, one group at a time: the mixed-radix digits of choice c within group g. */
export function decodeChoice(g: number, c: number): GroupChoice {
  const n = SUPERVIT_GROUPS[g];
  if (n === undefined || !Number.isInteger(c) || c < 0 || c >= n) throw new UserError(`SuperViT group ${g} has no choice ${c}`);
  const q = Math.floor;
  switch (g) {
    case 0:
      return { width: (c + 2) * 8 };
    case 1:
      return { width: (q(c / 4) + 2) * 8, stage: stage(q((c % 4) / 2) + 1, (c % 2) * 2 + 3, 1) };
    case 2:
      return { width: (q(c / 18) + 3) * 8, stage: stage(q((c % 18) / 6) + 3, q((c % 6) / 3) * 2 + 3, (c % 3) + 4) };
    case 3:
    case 4:
      return { width: (q(c / 12) + 4 + (g - 3) * 4) * 8, stage: stage(q((c % 12) / 3) + 3, 3, (c % 3) + 4) };
    case 5:
      return { width: (q(c / 21) + 14) * 8, stage: stage(q((c % 21) / 3) + 3, 3, (c % 3) + 4) };
    case 6:
      return { width: (q(c / 6) + 20) * 8, stage: stage((c % 6) + 3, 3, 6) };
    case 7:
      return { width: (q(c / 4) + 26) * 8, stage: stage((c % 4) + 3, 3, 6) };
    default:
      return { width: c * 192 + 1792 };
  }
}

/** The config of a resolution and one choice per group (utils.supervit_decode, with the resolution kept). */
export function supervitConfig(resolution: number, code: readonly number[]): SupervitConfig {
  const choices = code.map((c, g) => decodeChoice(g, c));
  const stages = choices.flatMap((ch) => (ch.stage ? [ch.stage] : []));
  return {
    resolution,
    width: choices.map((ch) => ch.width),
    depth: stages.map((s) => s.depth),
    kernel_size: stages.map((s) => s.kernel),
    expand_ratio: stages.map((s) => s.expand),
  };
}

/**
 * The choice per group whose decoding equals the config (the inverse of supervitConfig). Matching decoded
 * choices rather than inverting utils.supervit_code's arithmetic also rejects settings the space fixes, such as a
 * kernel other than 3 in stages 3-7, which supervit_code silently ignores.
 */
export function supervitCode(config: SupervitConfig): number[] {
  if (!SUPERVIT_RESOLUTIONS.includes(config.resolution as (typeof SUPERVIT_RESOLUTIONS)[number])) {
    throw new UserError(`SuperViT config: resolution ${config.resolution} is not one of ${SUPERVIT_RESOLUTIONS.join(', ')}`);
  }
  return SUPERVIT_GROUPS.map((n, g) => {
    for (let c = 0; c < n; c++) {
      const ch = decodeChoice(g, c);
      const s = g - 1;
      const sameStage =
        !ch.stage ||
        (ch.stage.depth === config.depth[s] && ch.stage.kernel === config.kernel_size[s] && ch.stage.expand === config.expand_ratio[s]);
      if (ch.width === config.width[g] && sameStage) return c;
    }
    throw new UserError(`SuperViT config: group ${g} (width ${config.width[g]}) matches no choice of the space`);
  });
}
