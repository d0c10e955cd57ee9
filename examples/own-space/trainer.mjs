#!/usr/bin/env node
// The "trainer" of the own-space example: a blocknas external evaluator for space.json (tiny-convnet).
//
// Each stdin line is one architecture, {"space":"tiny-convnet","arch":"c24:mb5:fused:mb3:mlp","genome":[1,1,2,0,1],
// "blocks":["c24","mb5","fused","mb3","mlp"]}, answered by one stdout line of metrics, {"accuracy:val":..,
// "latency:cpu":..}. One line in per-arch mode, many in batch mode. Logs go to stderr, never to stdout.
//
// Nothing is trained (no dependencies, instant, deterministic): accuracy and latency are made from the blocks the
// way a real network's are, mostly a sum of what each block brings, with diminishing returns, a few interactions
// between neighbouring blocks and noise fixed by the architecture and OWN_SPACE_SEED (a "training seed"). Replace
// measure() with your training and timing.
//
// Faults on demand, to see how blocknas records them: OWN_SPACE_FAULT=crash|hang|garbage|nan|huge|flaky makes the
// architectures whose arch string contains OWN_SPACE_FAULT_MATCH (default: about one in ten, picked by a hash)
//   crash: exit 1 with a message on stderr;   hang: never answer;   garbage: print a line that is not JSON;
//   nan: report accuracy NaN (as Python's json.dumps would);   huge: print 2 MiB without a newline;
//   flaky: crash on the first try of each architecture and answer on the next (state in OWN_SPACE_FAULT_DIR).
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STEM = { c16: [0, 0.3], c24: [0.6, 0.42], c32: [0.9, 0.55] };
const STAGE = { mb3: [1.2, 0.8], mb5: [1.8, 1.3], fused: [1.5, 1.0], skip: [0, 0.05] };
const HEAD = { fc: [0, 0.1], mlp: [0.7, 0.25], attn: [1.1, 0.6] };
// Deeper stages matter more for accuracy and run on smaller feature maps.
const STAGE_ACC = [1.0, 1.25, 1.5];
const STAGE_LAT = [1.0, 0.85, 0.7];

const seed = Number(process.env.OWN_SPACE_SEED ?? 0);

/** A number in [0, 1) fixed by the text (FNV-1a, then a xorshift mix). */
function unit(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

function measure(blocks) {
  const [stem, s1, s2, s3, head] = blocks;
  const stages = [s1, s2, s3];
  let gain = STEM[stem][0] + HEAD[head][0];
  let latency = 0.2 + STEM[stem][1] + HEAD[head][1];
  stages.forEach((b, k) => {
    gain += STAGE[b][0] * STAGE_ACC[k];
    latency += STAGE[b][1] * STAGE_LAT[k];
  });
  for (let k = 0; k + 1 < 3; k++) {
    if (stages[k] === 'mb5' && stages[k + 1] === 'mb5') gain += 0.25; // wide receptive field builds up
    if (stages[k] === 'fused' && stages[k + 1] === 'mb5') latency += 0.12; // a layout change between the kernels
  }
  if (head === 'attn' && s3 === 'skip') gain -= 0.5; // attention pooling on a coarse map helps less
  const arch = blocks.join(':');
  const accuracy = 68 + 12 * (1 - Math.exp(-gain / 8)) + 0.3 * (unit(`acc/${seed}/${arch}`) - 0.5);
  latency += 0.02 * (unit(`lat/${seed}/${arch}`) - 0.5);
  return { 'accuracy:val': Number(accuracy.toFixed(3)), 'latency:cpu': Number(latency.toFixed(4)) };
}

const fault = process.env.OWN_SPACE_FAULT ?? '';
const match = process.env.OWN_SPACE_FAULT_MATCH;
const faulty = (arch) => fault !== '' && (match !== undefined ? arch.includes(match) : unit(`fault/${arch}`) < 0.1);

function answer(request) {
  const blocks = request.blocks;
  const known = [STEM, STAGE, STAGE, STAGE, HEAD];
  if (!Array.isArray(blocks) || blocks.length !== 5 || blocks.some((b, i) => !(b in known[i]))) {
    console.error(`trainer.mjs: not a tiny-convnet architecture: ${JSON.stringify(request.arch)}`);
    process.exit(2);
  }
  const arch = blocks.join(':');
  if (faulty(arch)) {
    switch (fault) {
      case 'crash':
        console.error(`trainer.mjs: simulated crash on ${arch}`);
        process.exit(1);
      case 'hang':
        return null;
      case 'garbage':
        return `loss=0.42 acc=0.9 (${arch})\n`;
      case 'nan':
        return JSON.stringify({ ...measure(blocks), 'accuracy:val': 0 }).replace(/("accuracy:val":)0/, '$1NaN') + '\n';
      case 'huge':
        return 'x'.repeat(2 << 20);
      case 'flaky': {
        const dir = process.env.OWN_SPACE_FAULT_DIR ?? join(tmpdir(), 'own-space-flaky');
        mkdirSync(dir, { recursive: true });
        const mark = join(dir, arch.replace(/:/g, '_'));
        if (!existsSync(mark)) {
          writeFileSync(mark, '');
          console.error(`trainer.mjs: simulated first-try crash on ${arch}`);
          process.exit(1);
        }
        break;
      }
      default:
        console.error(`trainer.mjs: unknown OWN_SPACE_FAULT=${fault} (crash, hang, garbage, nan, huge, flaky)`);
        process.exit(2);
    }
  }
  return JSON.stringify(measure(blocks)) + '\n';
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const request = JSON.parse(line);
  console.error(`training ${request.arch}`);
  const out = answer(request);
  if (out === null) await new Promise(() => setInterval(() => {}, 1 << 30)); // hang: never answer
  process.stdout.write(out);
}
