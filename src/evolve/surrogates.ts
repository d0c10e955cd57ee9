import { fieldError } from '../errors.js';
import { blockRidge } from '../surrogate/block-ridge.js';
import { rankTarget } from '../surrogate/rank-target.js';
import { createSurrogate, defaultSurrogates, SURROGATES, type SurrogateKind } from '../surrogate/registry.js';
import type { Surrogate } from '../surrogate/types.js';

export type SurrogateChoice = 'auto' | SurrogateKind;

export const SURROGATE_CHOICES: readonly SurrogateChoice[] = ['auto', ...(Object.keys(SURROGATES) as SurrogateKind[])];

export function parseSurrogateChoice(text: string): SurrogateChoice {
  if (!(SURROGATE_CHOICES as readonly string[]).includes(text)) {
    throw fieldError('surrogate', `expected one of ${SURROGATE_CHOICES.join(', ')}, got "${text}"`);
  }
  return text as SurrogateChoice;
}

/**
 * The candidates one objective's surrogate is chosen from: NAT's whole pool for 'auto', else the one kind. The
 * block ridge cross-validates its own penalties; inside a search loop that refits every iteration one repeat of
 * the folds is enough (three cost three times as much and changed the chosen family rarely). Rank-target fits map
 * back through a link continued beyond the observed range: the search must be able to predict a network better
 * than every one it has evaluated.
 */
export function surrogatePool(choice: SurrogateChoice, radix: readonly number[], seed: number): Surrogate[] {
  const ridge = () => blockRidge({ radix, seed, repeats: 1, extrapolate: true });
  if (choice === 'auto') {
    return [ridge(), ...defaultSurrogates(radix, seed).slice(1).map((s) => rankTarget(s, { extrapolate: true }))];
  }
  if (choice === 'ridge') return [ridge()];
  return [createSurrogate(choice, { radix, seed } as never)];
}
