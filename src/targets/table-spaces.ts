import { UserError } from '../errors.js';
import type { BlockTable } from '../core/block-table.js';
import { createSpace } from '../space/space.js';
import type { SearchSpace } from '../space/types.js';
import { createMbv3MiniSpace } from '../spaces/mbv3-mini/space.js';
import { createNb201Space } from '../spaces/nb201/space.js';
import { createSuperTransformerSpace } from '../spaces/supertransformer/space.js';
import { createSupervitSpace } from '../spaces/supervit/space.js';

/*
 * The space a block table file indexes, from the table alone (no data directory, no Node modules): what the browser
 * page and any reader of a table file without the registry's data use. Kept apart from registry.ts, which reaches
 * data files, TensorFlow.js and SQLite.
 */

/** Spaces defined entirely in code, by the `space` name a table carries: rules, block labels, canonical strings. */
const DEFINED: Readonly<Record<string, () => SearchSpace>> = {
  'mbv3-mini': createMbv3MiniSpace,
  nb201: createNb201Space,
  supervit: createSupervitSpace,
  'supertransformer-wmt14ende': createSuperTransformerSpace,
};

/**
 * Spaces whose blocks come from the data directory (MathNAS's profiled stage candidates), which a block table does
 * not carry. They have no coupling rules, so the table's shape is all a search needs; blocks are shown by index.
 */
const SHAPE_ONLY = new Set(['mobilenetv3-cpu', 'mobilenetv3-gpu']);

/** Every `space` name a block table may carry that a table alone can be searched on. */
export const TABLE_SPACE_NAMES: readonly string[] = [...Object.keys(DEFINED), ...SHAPE_ONLY];

export interface TableSpace {
  readonly space: SearchSpace;
  /** Whether blocks have real labels and `space.format` is the space's canonical string. */
  readonly labelled: boolean;
}

/**
 * The space a table indexes. An unknown space is refused rather than guessed from the table's shape: its coupling
 * rules would be missing, and the search could return an architecture that does not exist.
 */
export function spaceForTable(table: BlockTable): TableSpace {
  const make = DEFINED[table.space];
  if (make) return { space: make(), labelled: true };
  if (!SHAPE_ONLY.has(table.space)) {
    throw new UserError(`block table is for space "${table.space}", which blocknas cannot rebuild from a table alone (it knows ${TABLE_SPACE_NAMES.join(', ')})`);
  }
  const rows = table.metrics[0]!.values;
  const nodes = rows.map((row, i) => ({
    id: `node${i + 1}`,
    label: `node ${i + 1}`,
    blocks: row.map((_, j) => ({ id: String(j), label: `block ${j}`, attrs: {} })),
  }));
  return { space: createSpace({ name: table.space, nodes }), labelled: false };
}
