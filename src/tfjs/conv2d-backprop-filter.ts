import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type KernelArgs, unpack, type WasmScratch, withScratch } from './wasm-kernel-utils.js';

/** Largest im2col block per matmul, in floats (32 MiB); bigger batches are split and summed. */
const MAX_BLOCK = 1 << 23;

/** Grid cells per output above which exact im2col rows (one copy per output row) beat whole-grid rows. */
const MAX_GRID_OVERHEAD = 1.2;

/**
 * dW = im2col(x)^T . dy as XNNPACK matmuls [kh*kw*C, P] x [P, K], one per chunk of images.
 *
 * x is first rearranged (one pass) into stride-phase grids, channel-major, with the padding written out:
 * grid[a][b][c][n][gy][gx] = x[n, gy*s+a-pt, gx*s+b-pl, c], gy < Ho + (kh-1)/s. Tap (ty, tx) then reads phase
 * (ty%s, tx%s) shifted by (ty/s, tx/s) cells, so im2col rows are plain copies. On large images a whole grid is one
 * copy per (tap, channel), and the cells that are not outputs are cancelled by zero rows in a dy laid on the same
 * grid; on small images, where those extra cells would cost more matmul than they save, each output row is copied.
 */
function conv2dBackpropFilter(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = unpack<Conv2DBackpropFilterAttrs>(args, 'x', 'dy');
  const [x, dy] = inputs as [TensorInfo, TensorInfo];
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight: ho, outWidth: wo } = info;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: k } = info;
  const gh = ho + Math.floor((kh - 1) / sh);
  const gw = wo + Math.floor((kw - 1) / sw);
  const cells = gh * gw;
  const exact = cells > MAX_GRID_OVERHEAD * ho * wo;
  const cols = exact ? ho * wo : cells;
  const rows = kh * kw * c;
  const slack = Math.floor((kh - 1) / sh) * gw + Math.floor((kw - 1) / sw);
  const grid = { sh, sw, c, n, gh, gw, h, w, top: info.padInfo.top, left: info.padInfo.left };

  return withScratch(backend, (s) => {
    const xg = s.alloc([sh * sw * c * n * cells + slack]);
    writePhaseGrids(s.view(x), s.view(xg), grid);
    const perChunk = Math.max(1, Math.floor(MAX_BLOCK / (rows * cols)));
    const out = s.alloc([kh, kw, c, k]);
    for (let n0 = 0; n0 < n; n0 += perChunk) {
      const nb = Math.min(perChunk, n - n0);
      const len = nb * cols;
      const a = s.alloc([rows, len]);
      const b = exact && nb === n ? s.reshape(dy, [len, k]) : s.alloc([len, k]);
      const av = s.view(a);
      const xgv = s.view(xg);
      for (let ty = 0; ty < kh; ty++) {
        for (let tx = 0; tx < kw; tx++) {
          const phase = (ty % sh) * sw + (tx % sw);
          const dyCells = Math.floor(ty / sh);
          const dxCells = Math.floor(tx / sw);
          for (let ci = 0; ci < c; ci++) {
            const plane = (phase * c + ci) * n * cells;
            const to = ((ty * kw + tx) * c + ci) * len;
            if (!exact) {
              const from = plane + n0 * cells + dyCells * gw + dxCells;
              av.set(xgv.subarray(from, from + len), to);
              continue;
            }
            copyRows(xgv, plane + (n0 * gh + dyCells) * gw + dxCells, av, to, { images: nb, ho, wo, gh, gw });
          }
        }
      }
      const dv = s.view(dy);
      if (!exact) writeDyGrid(dv, s.view(b), { n0, nb, ho, wo, gh, gw, k });
      else if (nb !== n) s.view(b).set(dv.subarray(n0 * ho * wo * k, (n0 + nb) * ho * wo * k));
      const part = s.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
      accumulate(s, out, part, n0 === 0);
      for (const t of [a, b, part]) s.free(t);
    }
    return out;
  });
}

interface GridShape {
  sh: number;
  sw: number;
  c: number;
  n: number;
  gh: number;
  gw: number;
  h: number;
  w: number;
  top: number;
  left: number;
}

function writePhaseGrids(xv: Float32Array, gv: Float32Array, g: GridShape): void {
  const cells = g.gh * g.gw;
  const cStride = g.n * cells;
  gv.fill(0);
  for (let a = 0; a < g.sh; a++) {
    for (let b = 0; b < g.sw; b++) {
      const phaseBase = (a * g.sw + b) * g.c * cStride;
      for (let ni = 0; ni < g.n; ni++) {
        for (let gy = 0; gy < g.gh; gy++) {
          const iy = gy * g.sh + a - g.top;
          if (iy < 0 || iy >= g.h) continue;
          for (let gx = 0; gx < g.gw; gx++) {
            const ix = gx * g.sw + b - g.left;
            if (ix < 0 || ix >= g.w) continue;
            const src = ((ni * g.h + iy) * g.w + ix) * g.c;
            let dst = phaseBase + ni * cells + gy * g.gw + gx;
            for (let ci = 0; ci < g.c; ci++, dst += cStride) gv[dst] = xv[src + ci]!;
          }
        }
      }
    }
  }
}

/** dy rows of images [n0, n0+nb) laid on the gh x gw grid, zero on the cells that are not outputs. */
function writeDyGrid(
  dv: Float32Array,
  bv: Float32Array,
  d: { n0: number; nb: number; ho: number; wo: number; gh: number; gw: number; k: number },
): void {
  bv.fill(0);
  const rowLen = d.wo * d.k;
  for (let ni = 0; ni < d.nb; ni++) {
    for (let oy = 0; oy < d.ho; oy++) {
      const from = ((d.n0 + ni) * d.ho + oy) * rowLen;
      bv.set(dv.subarray(from, from + rowLen), ((ni * d.gh + oy) * d.gw) * d.k);
    }
  }
}

/** The ho x wo output window of each image's gh x gw grid, packed. Rows are short: a loop beats a subarray each. */
function copyRows(
  src: Float32Array,
  from: number,
  dst: Float32Array,
  to: number,
  g: { images: number; ho: number; wo: number; gh: number; gw: number },
): void {
  for (let i = 0; i < g.images; i++) {
    for (let oy = 0; oy < g.ho; oy++) {
      const row = from + (i * g.gh + oy) * g.gw;
      for (let ox = 0; ox < g.wo; ox++) dst[to++] = src[row + ox]!;
    }
  }
}

function accumulate(s: WasmScratch, out: TensorInfo, part: TensorInfo, first: boolean): void {
  const ov = s.view(out);
  const pv = s.view(part);
  if (first) ov.set(pv);
  else for (let i = 0; i < ov.length; i++) ov[i]! += pv[i]!;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
