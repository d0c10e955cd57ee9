/*
 * A checkpoint as one byte array: magic, a JSON header (free metadata and each array's name and shape), then the
 * float32 values of every array, 4-byte aligned. Kept in the evaluation store (a SQLite blob), so a checkpoint and
 * the evaluations made from it live and die in one file.
 */

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const MAGIC = 'BLOCKNAS-CKPT-1\n';

export function encodeCheckpoint(meta: unknown, arrays: readonly NamedArray[]): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ meta, arrays: arrays.map((a) => ({ name: a.name, shape: a.shape })) }));
  const magic = new TextEncoder().encode(MAGIC);
  const headerEnd = magic.length + 4 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const total = dataStart + 4 * arrays.reduce((s, a) => s + a.data.length, 0);
  const out = new Uint8Array(total);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, header.length, true);
  out.set(header, magic.length + 4);
  let offset = dataStart;
  for (const a of arrays) {
    if (a.data.length !== a.shape.reduce((p, n) => p * n, 1)) throw new Error(`checkpoint: ${a.name} has ${a.data.length} values for shape [${a.shape.join(', ')}]`);
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    offset += a.data.byteLength;
  }
  return out;
}

export function decodeCheckpoint<M>(bytes: Uint8Array): { meta: M; arrays: NamedArray[] } {
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length + 4 || !magic.every((b, i) => bytes[i] === b)) throw new Error('checkpoint: not a blocknas checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(magic.length, true);
  const headerStart = magic.length + 4;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength))) as {
    meta: M;
    arrays: { name: string; shape: number[] }[];
  };
  let offset = Math.ceil((headerStart + headerLength) / 4) * 4;
  const arrays = header.arrays.map(({ name, shape }) => {
    const n = shape.reduce((p, k) => p * k, 1);
    if (offset + 4 * n > bytes.length) throw new Error(`checkpoint: truncated at ${name}`);
    // Copy: the source may be a view into a buffer that is reused or not 4-byte aligned.
    const data = new Float32Array(bytes.slice(offset, offset + 4 * n).buffer);
    offset += 4 * n;
    return { name, shape, data };
  });
  return { meta: header.meta, arrays };
}
