import { HAT_LATENCY_CSV } from '../benchmarks/mathnas-hat-layer.js';
import { MATHNAS_TABLES } from '../benchmarks/mathnas-nb201.js';
import { mathnasTable, type MathnasSpaceName, type MathnasTable } from '../benchmarks/mathnas-tables.js';
import { UserError } from '../errors.js';
import { createRng, type Rng } from '../random.js';
import { countGenomes, enumerateGenomes } from '../space/count.js';
import { satisfiesRules } from '../space/space.js';
import type { Block, Genome, SearchSpace } from '../space/types.js';
import { stageBlockId, stageCandidates } from '../spaces/mobilenetv3/space.js';
import { createSuperTransformerSpace, ENCODER_LAYERS } from '../spaces/supertransformer/space.js';
import { SUPERVIT_GROUPS, SUPERVIT_RESOLUTIONS } from '../spaces/supervit/choices.js';
import { createSupervitSpace, groupNode, RESOLUTION_NODE, supervitGenome } from '../spaces/supervit/space.js';
import {
  archDiversity,
  archDiversityWeighted,
  totalVarianceStandardError,
  type ArchDiversity,
  type LayerType,
  type WeightedLayers,
} from './features.js';
import type { SizeInfo } from './size.js';
import type { AnalysisSpace, Check, SpaceData } from './spaces.js';

/*
 * The three spaces blocknas builds from MathNAS's published block tables. Their data has accuracy (and latency or
 * FLOPs) per block, but no zero-cost proxy scores, so the PDS and Kendall tau are not available; sizes, layer mixes
 * and tasks are.
 */

/** Architectures sampled for the layer-mix variance where a space is too large to list, and the sampling seed. */
export const ARCH_SAMPLE = 10_000;
export const ARCH_SEED = 0;

const MATHNAS_REF = 'Wang et al., MathNAS: If Blocks Have a Role in Mathematical Architecture Design, NeurIPS 2023 (released block tables)';

export const NO_PROXY_REASON =
  'not available: the data has no zero-cost proxy scores (jacob_cov or any other) for this space; MathNAS published per-block accuracy and latency/FLOPs tables only, and the PDS and Kendall tau need a proxy score and an accuracy for the same architectures';

const tableCache = new Map<string, MathnasTable>();

function table(dataDir: string, name: MathnasSpaceName, device?: string): MathnasTable {
  const key = `${dataDir}\u0000${name}\u0000${device ?? ''}`;
  let t = tableCache.get(key);
  if (!t) tableCache.set(key, (t = mathnasTable(dataDir, name, device)));
  return t;
}

/** The datasets the table has an accuracy metric for: the tasks with results. */
export function tableTasks(t: MathnasTable): string[] {
  return t.table.metrics.filter((m) => m.metric.startsWith('accuracy:')).map((m) => m.metric.slice('accuracy:'.length));
}

export function mbconv(kernel: number): LayerType {
  if (kernel === 3) return 'mbconv3x3';
  if (kernel === 5) return 'mbconv5x5';
  if (kernel === 7) return 'mbconv7x7';
  throw new UserError(`no layer type for an MBConv with kernel ${kernel}`);
}

const blockOf = (space: SearchSpace, g: Genome, node: number): Block => space.nodes[node]!.blocks[g[node]!]!;

// ---------------------------------------------------------------------------------------------------------------
// Distinct networks

/**
 * Distinct networks of a space whose nodes are positions in a fixed sequence, given what each block builds
 * (`network`): two valid genomes differ at some node, so they are different networks exactly when the two blocks
 * there build different things. Without rules this is Π_node (distinct builds); with rules it is the rule count
 * when every node's blocks build distinct things, and unknown (null) otherwise.
 */
export function distinctNetworks(space: SearchSpace, network: (node: number, block: number) => string): { unique: bigint | null; perNode: number[] } {
  const perNode = space.nodes.map((n, i) => new Set(n.blocks.map((_, b) => network(i, b))).size);
  if (space.rules.length === 0) return { unique: perNode.reduce((p, k) => p * BigInt(k), 1n), perNode };
  const allDistinct = perNode.every((k, i) => k === space.nodes[i]!.blocks.length);
  return { unique: allDistinct ? countGenomes(space) : null, perNode };
}

// ---------------------------------------------------------------------------------------------------------------
// MobileNetV3 (OFA)

/** Stage candidate b of node i, read from the block attributes. */
function mbv3Candidate(space: SearchSpace, node: number, block: number) {
  return stageCandidates(space, space.nodes.map((_, j) => (j === node ? block : 0)))[node]!;
}

/** What a stage candidate runs: OFA keeps the first d of the stage's 4 layers; the other slots never compute. */
export function mobilenetV3Active(space: SearchSpace, node: number, block: number): string {
  const c = mbv3Candidate(space, node, block);
  return stageBlockId({ d: c.d, ks: c.ks.slice(0, c.d), e: c.e.slice(0, c.d) });
}

/** Layers of an OFA-MobileNetV3 genome: per stage its first d MBConvs, typed by kernel (expansion is a width). */
export function mobilenetV3Layers(space: SearchSpace, g: Genome): LayerType[] {
  return stageCandidates(space, g).flatMap((c) => c.ks.slice(0, c.d).map(mbconv));
}

// ---------------------------------------------------------------------------------------------------------------
// SuperTransformer (HAT)

const ENCODER_SUBLAYERS: readonly LayerType[] = ['self_attention', 'feed_forward'];
const DECODER_SUBLAYERS: readonly LayerType[] = ['self_attention', 'ende_attention', 'feed_forward'];

const present = (b: Block) => b.attrs['present'] !== 0;

/**
 * Layers of a SuperTransformer genome: each encoder layer is self-attention + FFN, each present decoder layer
 * self-attention + encoder-decoder attention + FFN. Heads, FFN width and the span of the en-de attention are widths
 * or connections, not types.
 */
export function superTransformerLayers(space: SearchSpace, g: Genome): LayerType[] {
  return g.flatMap((_, i) => {
    if (!present(blockOf(space, g, i))) return [];
    return i < ENCODER_LAYERS ? ENCODER_SUBLAYERS : DECODER_SUBLAYERS;
  });
}

/** Uniform over the rule-abiding genomes: uniform over the product space, rejecting those that break a rule. */
export function sampleByRejection(space: SearchSpace, n: number, rng: Rng): { genomes: Genome[]; draws: number } {
  const genomes: Genome[] = [];
  let draws = 0;
  while (genomes.length < n) {
    const g = space.nodes.map((node) => rng.int(node.blocks.length));
    draws++;
    if (satisfiesRules(space.rules, g)) genomes.push(g);
  }
  return { genomes, draws };
}

/**
 * The SuperTransformer's layer mixes with their counts: the mix depends on the decoder depth only. Depth d has
 * Π(encoder options) · Π_{k<d}(present options of decoder layer k) genomes, read from the space.
 */
export function superTransformerMixes(space: SearchSpace): WeightedLayers[] {
  const enc = space.nodes.slice(0, ENCODER_LAYERS);
  const dec = space.nodes.slice(ENCODER_LAYERS);
  const encWeight = enc.reduce((p, n) => p * n.blocks.filter(present).length, 1);
  const mixes: WeightedLayers[] = [];
  let decWeight = 1;
  for (let d = 1; d <= dec.length; d++) {
    decWeight *= dec[d - 1]!.blocks.filter(present).length;
    const layers = [...Array.from({ length: enc.length }, () => ENCODER_SUBLAYERS), ...Array.from({ length: d }, () => DECODER_SUBLAYERS)].flat();
    mixes.push({ layers, weight: encWeight * decWeight });
  }
  return mixes;
}

// ---------------------------------------------------------------------------------------------------------------
// SuperViT (NASViT)

/** NASViT's stages mb4..mb7 (choice groups 4-7) are transformer stages; the first group is the stem, the last the head. */
export const SUPERVIT_FIRST_TRANSFORMER_GROUP = 4;
const STEM = 0;
const HEAD = SUPERVIT_GROUPS.length - 1;
/** A NASViT transformer layer: window self-attention, then two MLPs (mlp2, mlp1 of DynamicSwinTransformerBlock). */
const VIT_SUBLAYERS: readonly LayerType[] = ['self_attention', 'feed_forward', 'feed_forward'];

/**
 * Layers one choice group builds (AttentiveNasDynamicModel of NASViT): the stem is a 3×3 conv; stages 1-3 are
 * `depth` MBConvs; stages 4-7 are one MBConv (stride, width change) then depth − 1 transformer layers; the head is
 * the 1×1 final-expand and feature-mix convs.
 */
export function supervitGroupLayers(group: number, attrs: Block['attrs']): LayerType[] {
  if (group === STEM) return ['conv3x3'];
  if (group === HEAD) return ['conv1x1', 'conv1x1'];
  const depth = Number(attrs['depth']);
  const conv = mbconv(Number(attrs['kernel']));
  if (!Number.isInteger(depth) || depth < 1) throw new UserError(`SuperViT group ${group}: no depth in ${JSON.stringify(attrs)}`);
  if (group < SUPERVIT_FIRST_TRANSFORMER_GROUP) return new Array<LayerType>(depth).fill(conv);
  return [conv, ...Array.from({ length: depth - 1 }, () => VIT_SUBLAYERS).flat()];
}

/** Per block: the layer list is read once per block, not once per sampled architecture. */
const groupLayerCache = new WeakMap<Block, readonly LayerType[]>();

export function supervitLayers(space: SearchSpace, g: Genome): LayerType[] {
  return SUPERVIT_GROUPS.flatMap((_, k) => {
    const block = blockOf(space, g, groupNode(k));
    let layers = groupLayerCache.get(block);
    if (!layers) groupLayerCache.set(block, (layers = supervitGroupLayers(k, block.attrs)));
    return layers;
  });
}

/**
 * Uniform over the valid SuperViT genomes: a valid genome is a resolution and one choice per group (the lifting
 * rules tie every group to the resolution), so each is drawn uniformly and independently.
 */
export function sampleSupervit(n: number, rng: Rng): Genome[] {
  return Array.from({ length: n }, () =>
    supervitGenome(
      SUPERVIT_RESOLUTIONS[rng.int(SUPERVIT_RESOLUTIONS.length)]!,
      SUPERVIT_GROUPS.map((size) => rng.int(size)),
    ),
  );
}

/**
 * SuperViT's layer mixes with their counts. The groups are independent given the resolution and a mix does not
 * depend on the resolution, so the mixes are the product of each group's distinct mixes (counted over its choices
 * at one resolution), times the number of resolutions.
 */
export function supervitMixes(space: SearchSpace): WeightedLayers[] {
  const parts = SUPERVIT_GROUPS.map((size, k) => {
    const byMix = new Map<string, { layers: LayerType[]; weight: number }>();
    for (let c = 0; c < size; c++) {
      // Blocks 0..size-1 of a group node are its choices at the first resolution (liftedBlock(k, 0, c) = c).
      const layers = supervitGroupLayers(k, space.nodes[groupNode(k)]!.blocks[c]!.attrs);
      const key = layers.join(',');
      const hit = byMix.get(key);
      if (hit) hit.weight++;
      else byMix.set(key, { layers, weight: 1 });
    }
    return [...byMix.values()];
  });
  const resolutions = space.nodes[RESOLUTION_NODE]!.blocks.length;
  const out: WeightedLayers[] = [];
  const walk = (k: number, layers: LayerType[], weight: number): void => {
    if (k === parts.length) {
      out.push({ layers, weight: weight * resolutions });
      return;
    }
    for (const p of parts[k]!) walk(k + 1, [...layers, ...p.layers], weight * p.weight);
  };
  walk(0, [], 1);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Analysis entries

/** The sampled variance against the exact one from the weighted layer mixes, within 4 standard errors. */
function exactCheck(sample: readonly LayerType[][], mixes: readonly WeightedLayers[], total: bigint): { check: Check; exact: ArchDiversity } {
  const exact = archDiversityWeighted(mixes);
  const s = archDiversity(sample).totalVariance;
  const se = totalVarianceStandardError(sample);
  const covers = BigInt(exact.archs) === total;
  return {
    exact,
    check: {
      ok: covers && Math.abs(s - exact.totalVariance) <= 4 * se,
      detail:
        `sampled total variance ${s.toPrecision(4)} (n = ${sample.length}, standard error ${se.toPrecision(2)}) against ` +
        `${exact.totalVariance.toPrecision(4)} exact over all ${exact.archs} archs (${mixes.length} distinct layer mixes weighted by their counts, ` +
        `${covers ? 'which sum to' : 'which do NOT sum to'} the countGenomes total ${total})`,
    },
  };
}

function mathnasData(t: MathnasTable, rest: Omit<SpaceData, 'proxy' | 'perfPopulation' | 'groups' | 'tasks' | 'taskSource' | 'perfUnavailable'>): SpaceData {
  const tasks = tableTasks(t);
  return {
    proxy: 'none',
    perfPopulation: 'none',
    groups: [],
    perfUnavailable: NO_PROXY_REASON,
    tasks,
    taskSource: `the accuracy metric${tasks.length === 1 ? '' : 's'} of MathNAS's block table (${tasks.map((x) => `accuracy:${x}`).join(', ')})`,
    ...rest,
  };
}

const fmtInt = (x: bigint | number) => x.toLocaleString('en-US');

function mobilenetV3Size(dataDir: string): SizeInfo {
  const { space } = table(dataDir, 'mobilenetv3');
  const total = countGenomes(space);
  const d = distinctNetworks(space, (i, b) => mobilenetV3Active(space, i, b));
  return {
    total,
    totalHow: `${space.nodes.length} stages, each filled by one of its candidate stage configurations: ${space.nodes.map((n) => n.blocks.length).join('·')} (CPU candidate set; the GPU set has the same size), counted by countGenomes`,
    unique: d.unique,
    uniqueHow:
      "computed: OFA runs only the first d of a stage's 4 layers, so a candidate is the network it runs (d, and the kernels and expansions of its d active layers); " +
      (d.perNode.every((k, i) => k === space.nodes[i]!.blocks.length)
        ? `the active parts are pairwise distinct in every stage (${d.perNode.join('·')}) and the stages are a fixed sequence, so distinct genomes are distinct networks`
        : `some candidates of a stage differ only in unused slots; distinct active parts per stage ${d.perNode.join('·')}, multiplied over the fixed sequence of stages`),
    references: ['Cai et al., Once-for-All, ICLR 2020 (ofa_mbv3_d234_e346_k357_w1.2)', `${MATHNAS_REF}: blocks{CPU,GPU}/block{1..5}.pickle`],
  };
}

function superTransformerSize(): SizeInfo {
  const space = createSuperTransformerSpace();
  const total = countGenomes(space);
  const d = distinctNetworks(space, (i, b) => JSON.stringify(space.nodes[i]!.blocks[b]!.attrs));
  return {
    total,
    totalHow: `6^6 encoders × Σ_{d=1..6} 36^d decoders: absent decoder layers are a suffix (${space.rules.length} depth rules), counted exactly by countGenomes`,
    unique: d.unique,
    uniqueHow:
      d.unique === null
        ? 'not available: two options of one layer build the same thing'
        : 'computed: every layer option has a different FFN width, head count or en-de attention span, layers are a fixed sequence, and the depth rules give each decoder depth one encoding, so distinct genomes are distinct networks',
    references: ['Wang et al., HAT: Hardware-Aware Transformers, ACL 2020 (WMT\'14 En-De SuperTransformer)', MATHNAS_REF],
  };
}

function supervitSize(): SizeInfo {
  const space = createSupervitSpace();
  const total = countGenomes(space);
  // A choice is what it builds, whatever MathNAS's code for it: drop the code itself.
  const d = distinctNetworks(space, (i, b) => {
    const { choice: _code, ...build } = space.nodes[i]!.blocks[b]!.attrs;
    return JSON.stringify(build);
  });
  const resolutions = BigInt(space.nodes[RESOLUTION_NODE]!.blocks.length);
  return {
    total,
    totalHow: `${resolutions} resolutions × ${SUPERVIT_GROUPS.join('·')} group choices, counted by countGenomes under the ${space.rules.length} rules that tie every group to the resolution (the lifted product space is 4^9 times larger)`,
    unique: d.unique,
    uniqueHow:
      d.unique === null
        ? 'not available: two choices of one group build the same thing'
        : `computed: every group choice decodes to a different (width, depth, kernel, expansion), groups are a fixed sequence, so distinct genomes are distinct (network, input resolution) pairs; ignoring the resolution, ${fmtInt(d.unique / resolutions)} networks`,
    ...(d.unique === null ? {} : { alternatives: { networksIgnoringResolution: Number(d.unique / resolutions) } }),
    references: ['Gong et al., NASViT, ICLR 2022 (search space; AttentiveNasDynamicModel)', MATHNAS_REF],
  };
}

export const MATHNAS_ANALYSIS_SPACES: readonly AnalysisSpace[] = [
  {
    name: 'mobilenetv3',
    description: "MathNAS OFA-MobileNetV3 (w1.2, 224 px): 5 stages × 5 candidate stage configs (CPU set); ImageNet",
    files: [MATHNAS_TABLES],
    size: mobilenetV3Size,
    load(dataDir) {
      const t = table(dataDir, 'mobilenetv3');
      const archs = [...enumerateGenomes(t.space)].map((g) => mobilenetV3Layers(t.space, g));
      const gpu = table(dataDir, 'mobilenetv3', 'tx2gpu').space;
      const gpuArchs = [...enumerateGenomes(gpu)].map((g) => mobilenetV3Layers(gpu, g));
      const gpuUnique = distinctNetworks(gpu, (i, b) => mobilenetV3Active(gpu, i, b)).unique;
      return mathnasData(t, {
        archs,
        archPopulation: 'full',
        archSource: `all ${archs.length} genomes of the CPU candidate set; layers: the d active MBConvs of each stage, by kernel`,
        checks: [],
        notes: [
          `the CPU candidate set (raspberrypi, tx2cpu tables) is analysed; the GPU set (tx2gpu) has ${gpuArchs.length} archs, ${gpuUnique ?? 'n/a'} unique, arch var ${archDiversity(gpuArchs).totalVariance.toPrecision(4)}`,
          "OFA's fixed stem conv, first MBConv, final-expand and feature-mix convs are not nodes of the space and are not counted; expansion ratios are widths, not layer types",
        ],
      });
    },
  },
  {
    name: 'supertransformer',
    description: "MathNAS HAT SuperTransformer: 6 encoder layers × 6 options, 1-6 decoder layers × 36 options; WMT'14 En-De",
    files: [MATHNAS_TABLES, HAT_LATENCY_CSV],
    size: superTransformerSize,
    load(dataDir) {
      const t = table(dataDir, 'supertransformer');
      const { genomes, draws } = sampleByRejection(t.space, ARCH_SAMPLE, createRng(ARCH_SEED));
      const archs = genomes.map((g) => superTransformerLayers(t.space, g));
      const mixes = superTransformerMixes(t.space);
      const { check, exact } = exactCheck(archs, mixes, countGenomes(t.space));
      const fullDepth = mixes[mixes.length - 1]!.weight / exact.archs;
      return mathnasData(t, {
        archs,
        archPopulation: 'sample',
        archSource: `${archs.length} genomes sampled uniformly (seed ${ARCH_SEED}) from the product space, keeping those that satisfy the depth rules (${draws} drawn)`,
        checks: [check],
        notes: [
          `heads, FFN width and en-de attention span are widths or connections, not layer types: the layer mix varies with the decoder depth only, and ${(100 * fullDepth).toFixed(1)} % of the archs have all ${mixes.length} decoder layers, so read arch var as "almost no layer-type diversity", not "no diversity"`,
        ],
      });
    },
  },
  {
    name: 'supervit',
    description: 'MathNAS SuperViT (NASViT): 4 resolutions × 9 choice groups (stem, 3 MBConv stages, 4 transformer stages, head); ImageNet',
    files: [MATHNAS_TABLES],
    size: supervitSize,
    load(dataDir) {
      const t = table(dataDir, 'supervit');
      const genomes = sampleSupervit(ARCH_SAMPLE, createRng(ARCH_SEED));
      const outside = genomes.filter((g) => !satisfiesRules(t.space.rules, g)).length;
      const archs = genomes.map((g) => supervitLayers(t.space, g));
      const { check } = exactCheck(archs, supervitMixes(t.space), countGenomes(t.space));
      return mathnasData(t, {
        archs,
        archPopulation: 'sample',
        archSource: `${archs.length} genomes sampled uniformly (seed ${ARCH_SEED}): a resolution and one choice per group, each uniform`,
        checks: [{ ok: outside === 0, detail: `${archs.length - outside} of ${archs.length} sampled genomes satisfy the lifting rules` }, check],
        notes: [
          'layers as NASViT builds them: stem 3×3 conv; stages 1-3 MBConvs; stages 4-7 one MBConv then depth − 1 transformer layers (self-attention + 2 MLPs); head 2 1×1 convs. Widths, expansions and the resolution are not layer types',
        ],
      });
    },
  },
];
