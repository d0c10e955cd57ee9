import { UserError } from '../../src/errors.js';
import type { BlockTable } from '../../src/core/block-table.js';
import { createSpace } from '../../src/space/space.js';
import type { SearchSpace } from '../../src/space/types.js';
import { createNb201Space } from '../../src/spaces/nb201/space.js';
import { createSuperTransformerSpace } from '../../src/spaces/supertransformer/space.js';
import { createSupervitSpace } from '../../src/spaces/supervit/space.js';

/** Spaces defined entirely in code: the page has their rules, block labels and canonical strings. */
const DEFINED: Readonly<Record<string, () => SearchSpace>> = {
  nb201: createNb201Space,
  supervit: createSupervitSpace,
  'supertransformer-wmt14ende': createSuperTransformerSpace,
};

/**
 * Spaces whose blocks come from the data directory (MathNAS's profiled stage candidates), which a block table does
 * not carry. They have no coupling rules, so the table's shape is all a search needs; blocks are shown by index.
 */
const SHAPE_ONLY = new Set(['mobilenetv3-cpu', 'mobilenetv3-gpu']);

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
    const known = [...Object.keys(DEFINED), ...SHAPE_ONLY].join(', ');
    throw new UserError(`block table is for space "${table.space}", which this page does not know (it knows ${known})`);
  }
  const rows = table.metrics[0]!.values;
  const nodes = rows.map((row, i) => ({
    id: `node${i + 1}`,
    label: `node ${i + 1}`,
    blocks: row.map((_, j) => ({ id: String(j), label: `block ${j}`, attrs: {} })),
  }));
  return { space: createSpace({ name: table.space, nodes }), labelled: false };
}
