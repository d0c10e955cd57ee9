import type { Genome } from '../space/types.js';
import type { Surrogate } from './types.js';

/**
 * A surrogate over derived categorical nodes: `augment` maps a genome to a longer one (the space's nodes plus
 * features such as NB201's paths), and `inner` is built for the augmented radix. Lets any block-wise model use
 * structure the raw nodes do not show.
 */
export function augmentedSurrogate(inner: Surrogate, augment: (g: Genome) => Genome, name = `${inner.name}+aug`): Surrogate {
  return {
    name,
    fit: (x, y) => inner.fit(x.map(augment), y),
    predict: (x) => inner.predict(x.map(augment)),
  };
}
