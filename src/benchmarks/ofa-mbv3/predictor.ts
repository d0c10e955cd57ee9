import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../errors.js';
import { EXPANDS, KERNELS, LAYERS, SLOTS, STAGES, type OfaSubnet } from './arch.js';

export const PREDICTOR_FILE = 'ofa_mbv3/ofa_acc_predictor_mlp.json.gz';

/*
 * The once-for-all tutorial's accuracy predictor (tutorial/accuracy_predictor.py): an MLP 128-400-400-400-1 with
 * ReLU, on a 128-long one-hot encoding of {ks, e, d, r}. Its output is a fraction: predicted top-1 on OFA's 10k-image
 * holdout, not the official validation set.
 */
const INPUTS = 128;
const HIDDEN = 400;
const EXPAND_OFFSET = 3 * LAYERS;
const RES_OFFSET = 6 * LAYERS;
const RES_SLOTS = 8;

export interface AccuracyPredictor {
  /** Predicted top-1 as a fraction (the MLP's own output). */
  predict(net: OfaSubnet): number;
}

/**
 * Indices of the 1s in OFA's `spec2feats`: per active layer i (4s + j, j < d[s]) a kernel one-hot at 3i + k and an
 * expand one-hot at 60 + 3i + e; unused slots are all zero; the resolution one-hot at 120 + (r - 112) // 16.
 */
export function featureIndices(net: OfaSubnet): number[] {
  const on: number[] = [];
  for (let s = 0; s < STAGES; s++) {
    for (let j = 0; j < net.d[s]!; j++) {
      const i = s * SLOTS + j;
      const k = KERNELS.indexOf(net.ks[i]! as (typeof KERNELS)[number]);
      const e = EXPANDS.indexOf(net.e[i]! as (typeof EXPANDS)[number]);
      if (k < 0 || e < 0) throw new UserError(`ofa predictor: layer ${i} has kernel ${net.ks[i]} / expand ${net.e[i]}`);
      on.push(3 * i + k, EXPAND_OFFSET + 3 * i + e);
    }
  }
  const r = Math.floor((net.r - 112) / 16);
  if (r < 0 || r >= RES_SLOTS) throw new UserError(`ofa predictor: resolution ${net.r} is outside 112-239 px`);
  on.push(RES_OFFSET + r);
  return on;
}

function matrix(w: unknown, rows: number, cols: number, name: string): Float64Array {
  const ok = Array.isArray(w) && w.length === rows && w.every((r) => Array.isArray(r) && r.length === cols);
  if (!ok) throw new UserError(`${PREDICTOR_FILE}: weights.${name} is not ${rows} x ${cols}`);
  return Float64Array.from((w as number[][]).flat());
}

function vector(b: unknown, n: number, name: string): Float64Array {
  if (!Array.isArray(b) || b.length !== n) throw new UserError(`${PREDICTOR_FILE}: weights.${name} is not ${n} long`);
  return Float64Array.from(b as number[]);
}

/** y = relu(W x + b) for a dense W (row-major, out x in). */
function dense(w: Float64Array, b: Float64Array, x: Float64Array, relu: boolean): Float64Array {
  const n = b.length;
  const m = x.length;
  const y = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    let s = b[o]!;
    const row = o * m;
    for (let i = 0; i < m; i++) s += w[row + i]! * x[i]!;
    y[o] = relu && s < 0 ? 0 : s;
  }
  return y;
}

/** Loads the predictor's weights from the gzipped JSON of the data directory. */
export function loadAccuracyPredictor(dataDir: string): AccuracyPredictor {
  const file = join(dataDir, PREDICTOR_FILE);
  if (!existsSync(file)) throw new UserError(`missing data file ${PREDICTOR_FILE} in ${dataDir}`);
  let raw: { weights?: Record<string, unknown> };
  try {
    raw = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  } catch (e) {
    throw new UserError(`${PREDICTOR_FILE}: not gzipped JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const w = raw.weights ?? {};
  const w1 = matrix(w['0.weight'], HIDDEN, INPUTS, '0.weight');
  const b1 = vector(w['0.bias'], HIDDEN, '0.bias');
  const w2 = matrix(w['2.weight'], HIDDEN, HIDDEN, '2.weight');
  const b2 = vector(w['2.bias'], HIDDEN, '2.bias');
  const w3 = matrix(w['4.weight'], HIDDEN, HIDDEN, '4.weight');
  const b3 = vector(w['4.bias'], HIDDEN, '4.bias');
  const w4 = matrix(w['6.weight'], 1, HIDDEN, '6.weight');
  const b4 = vector(w['6.bias'], 1, '6.bias');
  // The input is 0/1 and sparse (at most 41 ones): the first layer adds the columns of the ones, stored contiguous.
  const w1t = new Float64Array(INPUTS * HIDDEN);
  for (let o = 0; o < HIDDEN; o++) for (let i = 0; i < INPUTS; i++) w1t[i * HIDDEN + o] = w1[o * INPUTS + i]!;
  return {
    predict(net) {
      const h1 = Float64Array.from(b1);
      for (const i of featureIndices(net)) for (let o = 0; o < HIDDEN; o++) h1[o] = h1[o]! + w1t[i * HIDDEN + o]!;
      for (let o = 0; o < HIDDEN; o++) if (h1[o]! < 0) h1[o] = 0;
      const h3 = dense(w3, b3, dense(w2, b2, h1, true), true);
      return dense(w4, b4, h3, false)[0]!;
    },
  };
}
