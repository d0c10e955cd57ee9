import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { Surrogate } from './types.js';

/**
 * `equivalents` limited to the architectures `accept` admits (the problem's own domain, so a fit sees only networks
 * the search can propose), remembered per architecture: a search refits every iteration and every objective on the
 * same, growing archive, and the lookup and the domain check cost far more than the fits they feed.
 */
export function domainEquivalents(
  equivalents: (g: Genome) => readonly Genome[],
  accept: (g: Genome) => boolean,
): (g: Genome) => readonly Genome[] {
  const known = new Map<string, readonly Genome[]>();
  return (g) => {
    const key = genomeKey(g);
    let twins = known.get(key);
    if (!twins) known.set(key, (twins = equivalents(g).filter(accept)));
    return twins;
  };
}

/**
 * A surrogate that knows which architectures build the same network (SearchSpace.equivalents). It fits two copies
 * of one model: on the measured networks as they are, and on the same rows with every measured network also
 * standing for each of its unmeasured equivalents (same target); it predicts the mean of the two.
 *
 * Why both: an additive block model charges each null block, so on NB201 it under-predicts sparse cells by 10 to 30
 * points even when an equivalent cell (the same path of skips, routed elsewhere) has been measured; the augmented
 * fit corrects that but its many sparse twin rows outweigh the dense cells, which it then under-predicts. Alone it
 * searched worse than the plain fit; the mean was ahead on each set of seeds tried
 * (docs/notes/2026-12-08-evolve-experiments.md, "A perfect model").
 */
export function withEquivalents(make: () => Surrogate, equivalents: (g: Genome) => readonly Genome[]): Surrogate {
  const plain = make();
  const augmented = make();
  return {
    name: `${plain.name}+equivalents`,
    fit(x, y) {
      plain.fit(x, y);
      const measured = new Set(x.map(genomeKey));
      const ax: Genome[] = [];
      const ay: number[] = [];
      x.forEach((g, i) => {
        ax.push(g);
        ay.push(y[i]!);
        for (const t of equivalents(g)) {
          if (measured.has(genomeKey(t))) continue;
          ax.push(t);
          ay.push(y[i]!);
        }
      });
      augmented.fit(ax, ay);
    },
    predict(x) {
      const a = plain.predict(x);
      const b = augmented.predict(x);
      return Float64Array.from(a, (v, i) => (v + b[i]!) / 2);
    },
  };
}
