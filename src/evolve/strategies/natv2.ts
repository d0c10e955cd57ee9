import { nonDominatedSort } from '../../moo/dominance.js';
import { createRng } from '../../random.js';
import { createNsga3 } from '../../search/nsga/nsga3.js';
import { genomeKey } from '../../space/space.js';
import type { Genome } from '../../space/types.js';
import { selectSurrogate } from '../../surrogate/select.js';
import type { Surrogate } from '../../surrogate/types.js';
import { blockRidge } from '../../surrogate/block-ridge.js';
import { domainEquivalents, withEquivalents } from '../../surrogate/equivalents.js';
import { selectCandidates, type Candidate } from '../candidates.js';
import { frontWeightedRows } from '../fit-rows.js';
import type { MooProblem } from '../problem.js';
import { balancedSample } from '../sampling.js';
import type { Strategy } from '../strategy.js';
import { surrogatePool, type SurrogateChoice } from '../surrogates.js';
import type { ZeroCostProxy } from '../../core/metrics.js';
import { withProxyTerm } from '../../surrogate/proxy-term.js';
import { proxyStart, type ProxyStart, usableProxy } from '../proxy.js';

export interface Natv2Options {
  readonly seed: number;
  /**
   * Size of the initial archive; default 300 as in NATv2, but at most a quarter of the budget when one is given:
   * NATv2 evaluates its initial archive through a trained super-network, almost free, while here every initial
   * network counts against the budget (NB201, 200 evaluations: 50 initial did better than 100; docs/notes/2026-12-08-evolve-experiments.md).
   */
  readonly initSize?: number;
  readonly budget?: number;
  /** Networks evaluated per iteration. Default 5: more, smaller iterations learn more from the same budget. */
  readonly perIteration?: number;
  /**
   * 'auto' (NAT's adaptive choice by cross-validated Kendall tau among all surrogate families, per objective) or
   * one kind. Default 'ridge', the block ridge (which cross-validates its own pair terms and penalties): on NB201
   * it did better than 'auto' in a fraction of the time (docs/notes/2026-12-08-evolve-bench.md).
   */
  readonly surrogate?: SurrogateChoice;
  /** Inner NSGA-III on the surrogates: population and generations. Defaults 100 and 30. */
  readonly popSize?: number;
  readonly generations?: number;
  /** Archive members that seed the inner search, best Pareto ranks first. Default popSize. */
  readonly archiveSeeds?: number;
  /**
   * Choose the surrogates by cross-validation every this many iterations and refit the chosen ones in between
   * (default 5): selection costs folds x candidates fits, and the winner rarely changes from one iteration to the
   * next.
   */
  readonly reselectEvery?: number;
  /**
   * Where candidates come from: 'nsga3' (NATv2's inner NSGA-III on the surrogates, the default) or 'neighbours'
   * (every valid network one block away from the archive's current front, judged by the surrogates: local search).
   * It is faster and about as good on NB201 but worse on OFA MobileNetV3 (docs/notes/2026-12-08-evolve-bench.md), so the default
   * stays NATv2's own inner search.
   */
  readonly inner?: InnerSearch;
  /**
   * Archive members in the first two non-dominated fronts count this many times in every surrogate fit (default 3;
   * 1 fits every member once). The decisions are made near the front, and an unweighted fit spends its accuracy on
   * the far, dominated bulk of the archive; it lifted NB201, three objectives and OFA alike (docs/notes/2026-12-08-evolve-bench.md).
   * The surrogate family and its penalties are still chosen on the unweighted archive: repeated rows would leak
   * across folds.
   */
  readonly frontWeight?: number;
  /**
   * Where the space says which architectures build the same network (SearchSpace.equivalents), fit every surrogate
   * with that knowledge too (src/surrogate/equivalents.ts). Default true; it changes nothing on a space without it.
   * It lifted NB201 accuracy / fpga on every set of seeds tried and cost a little on three objectives
   * (docs/notes/2026-12-08-evolve-experiments.md).
   */
  readonly equivalents?: boolean;
  /**
   * A zero-cost proxy of accuracy (the target's, e.g. NB201's jacob_cov). When given, the initial archive is the
   * proxy's best of a balanced pool 16 times its size, and every accuracy objective's surrogate gets a linear
   * term in the proxy's rank (src/evolve/proxy.ts, src/surrogate/proxy-term.ts). It is what lifted NB201 past 99 % of
   * the true front's hypervolume at 200 evaluations, on two objectives and on three (docs/notes/2026-12-08-evolve-bench.md).
   */
  readonly proxy?: ZeroCostProxy;
}

export const INNER_SEARCHES = ['nsga3', 'neighbours'] as const;
export type InnerSearch = (typeof INNER_SEARCHES)[number];

export const NATV2_DEFAULT_INIT = 300;
export const DEFAULT_SURROGATE: SurrogateChoice = 'ridge';
export const NATV2_DEFAULT_FRONT_WEIGHT = 3;
/** How many of the archive's best non-dominated fronts `frontWeight` applies to. */
const WEIGHTED_FRONTS = 2;

export function natv2InitSize(options: Pick<Natv2Options, 'initSize' | 'budget'>): number {
  const n = options.initSize ?? NATV2_DEFAULT_INIT;
  return options.budget !== undefined && options.initSize === undefined ? Math.min(n, Math.floor(options.budget / 4)) : n;
}

export interface IterationDetail {
  readonly iteration: number;
  readonly surrogates?: readonly { objective: number; chosen: string; tau: number }[];
  readonly candidates?: number;
  readonly predicted?: readonly (readonly number[])[];
}

/**
 * NATv2's search loop (Sarti, Lomurno & Matteucci 2023, after NAT, Lu et al. 2021):
 *  1. initialise the archive with a larger, diverse set of networks (a balanced design over block choices; with a
 *     zero-cost proxy, the proxy's best of a design 16 times larger);
 *  2. pre-process the archive for fitting (duplicates and non-finite results are dropped; surrogates fit ranks);
 *  3. each iteration fit one surrogate per objective on the whole archive (its best two fronts weighted up), chosen
 *     adaptively by cross-validated Kendall tau, run NSGA-III on the surrogates seeded with the archive's best
 *     Pareto ranks, select candidates by predicted hypervolume gain, evaluate them, and update the archive (every
 *     evaluation is kept for fitting; the seeds for the next inner search are re-ranked).
 * Post-processing (fine-tuning the final networks) belongs to the evaluator and is reported by the caller.
 */
export function natv2(problem: MooProblem, options: Natv2Options): Strategy {
  const rng = createRng(options.seed);
  const initSize = natv2InitSize(options);
  const perIteration = options.perIteration ?? 5;
  const popSize = options.popSize ?? 100;
  const generations = options.generations ?? 30;
  const seeds = options.archiveSeeds ?? popSize;
  const reselectEvery = options.reselectEvery ?? 5;
  const frontWeight = options.frontWeight ?? NATV2_DEFAULT_FRONT_WEIGHT;
  const nObj = problem.objectives.length;
  const spaceEquivalents = (options.equivalents ?? true) ? problem.space.equivalents?.bind(problem.space) : undefined;
  const equivalents = spaceEquivalents
    ? domainEquivalents(spaceEquivalents, (g) => {
        const r = problem.repair(g);
        return r !== null && genomeKey(r) === genomeKey(g);
      })
    : undefined;
  const archive: { genome: Genome; objectives: readonly number[] }[] = [];
  const seen = new Set<string>();
  let iteration = 0;
  let detail: IterationDetail | undefined;
  let start: ProxyStart | undefined;
  const accuracyObjective = problem.objectives.map((o) => o.info.kind === 'accuracy');
  const proxy = usableProxy(problem.objectives, options.proxy);

  // Per objective, how to rebuild the model chosen at the last selection (block ridge: with its chosen penalties).
  let chosen: (() => Surrogate)[] | undefined;

  /** `fronts`: the archive's non-dominated fronts (archive indices). */
  const fitSurrogates = (fronts: readonly (readonly number[])[]): { models: Surrogate[]; info: NonNullable<IterationDetail['surrogates']> } => {
    const reselect = chosen === undefined || (iteration - 1) % reselectEvery === 0;
    // cross-validated tau of each objective's choice, on the iterations that choose (NaN on those that refit)
    const taus = new Array<number>(nObj).fill(Number.NaN);
    if (reselect) {
      const x = archive.map((a) => a.genome);
      const rebuild: (() => Surrogate)[] = [];
      for (let j = 0; j < nObj; j++) {
        const y = archive.map((a) => a.objectives[j]!);
        const seed = options.seed + iteration;
        const pool = surrogatePool(options.surrogate ?? DEFAULT_SURROGATE, problem.radix, seed);
        // one candidate: fitting it makes the block ridge choose its own pair terms and penalties
        const sel = pool.length > 1 ? selectSurrogate(pool, x, y, { seed, folds: 5 }) : undefined;
        const best = sel?.best ?? pool[0]!;
        if (!sel) best.fit(x, y);
        const k = pool.indexOf(best);
        if (sel) taus[j] = sel.scores[k]!.tau;
        const fitted = (best as Partial<ReturnType<typeof blockRidge>>).fitted;
        rebuild.push(fitted ? () => blockRidge({ radix: problem.radix, seed, candidates: [fitted.candidate], extrapolate: true }) : () => surrogatePool(options.surrogate ?? DEFAULT_SURROGATE, problem.radix, seed)[k]!);
      }
      chosen = rebuild;
    }
    const rows = frontWeightedRows(fronts, frontWeight, WEIGHTED_FRONTS);
    const x = rows.map((i) => archive[i]!.genome);
    const models = chosen!.map((make, j) => {
      const plain = equivalents ? withEquivalents(make, equivalents) : make();
      const model = start && accuracyObjective[j] ? withProxyTerm(plain, start.rank) : plain;
      model.fit(x, rows.map((i) => archive[i]!.objectives[j]!));
      return model;
    });
    return { models, info: models.map((m, j) => ({ objective: j, chosen: m.name, tau: taus[j]! })) };
  };

  /** `front`: archive indices of the current first front. */
  const neighbours = (models: readonly Surrogate[], front: readonly number[]): Candidate[] => {
    const open = new Map<string, Genome>();
    for (const i of front) {
      const f = archive[i]!.genome;
      f.forEach((block, node) => {
        for (let b = 0; b < problem.radix[node]!; b++) {
          if (b === block) continue;
          const h = problem.repair(f.map((v, k) => (k === node ? b : v)));
          if (!h) continue;
          const key = genomeKey(h);
          if (!seen.has(key)) open.set(key, h);
        }
      });
    }
    const genomes = [...open.values()];
    const preds = models.map((m) => m.predict(genomes));
    return genomes.map((g, i) => ({ genome: g, predicted: preds.map((p) => p[i]!) }));
  };

  /** `ranked`: archive indices, best Pareto ranks first. */
  const evolved = (models: readonly Surrogate[], ranked: readonly number[]): Candidate[] => {
    const algorithm = createNsga3({
      radix: problem.radix,
      nObj,
      popSize,
      seed: rng.int(2 ** 31),
      repair: problem.repair,
      initial: ranked.slice(0, seeds).map((i) => archive[i]!.genome),
    });
    const proposed = new Map<string, Candidate>();
    for (let gen = 0; gen < generations; gen++) {
      const batch = algorithm.ask();
      if (batch.length === 0) break;
      const preds = models.map((m) => m.predict(batch));
      const objectives = batch.map((_, i) => preds.map((p) => p[i]!));
      algorithm.tell(batch, objectives);
      batch.forEach((g, i) => {
        const key = genomeKey(g);
        if (!seen.has(key)) proposed.set(key, { genome: g, predicted: objectives[i]! });
      });
    }
    return [...proposed.values()];
  };

  return {
    name: 'natv2',
    async ask(max) {
      if (archive.length < initSize) {
        const want = Math.min(initSize - archive.length, max);
        if (proxy) start ??= proxyStart(problem, rng, initSize, seen, proxy);
        const queued = start?.initial.filter((g) => !seen.has(genomeKey(g))) ?? [];
        // networks whose evaluation failed leave the archive short of initSize: the design fills up
        const out = queued.length > 0 ? queued.slice(0, want) : balancedSample(problem, rng, want, seen);
        detail = { iteration: 0 };
        return out;
      }
      iteration++;
      const fronts = nonDominatedSort(archive.map((a) => a.objectives)).fronts;
      const { models, info } = fitSurrogates(fronts);
      const candidates = (options.inner ?? 'nsga3') === 'neighbours' ? neighbours(models, fronts[0]!) : evolved(models, fronts.flat());
      const archiveFront = fronts[0]!.map((i) => archive[i]!.objectives);
      const chosen = selectCandidates(candidates, archiveFront, Math.min(perIteration, max));
      detail = { iteration, surrogates: info, candidates: candidates.length, predicted: chosen.map((c) => c.predicted) };
      return chosen.map((c) => c.genome);
    },
    tell(genomes, objectives) {
      genomes.forEach((g, i) => {
        const key = genomeKey(g);
        if (seen.has(key)) return;
        seen.add(key);
        if (objectives[i]!.every(Number.isFinite)) archive.push({ genome: g, objectives: objectives[i]! });
      });
    },
    lastDetail: () => detail,
  };
}
