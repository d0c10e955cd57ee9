import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import { UserError } from '../src/errors.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData(NB201_FILES.accuracy, NB201_FILES.latency);

test('NB201 loads all 15,625 cells with NB201 indices, datasets and 27 devices', { skip }, async () => {
  const b = loadNb201(DATA_DIR);
  assert.equal(b.genomes.length, 15625);
  // index 0 and 6111 as printed in the data README
  assert.equal(b.space.format(b.genomes[0]!), '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|');
  const best = b.space.parse('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|');
  assert.equal(b.indexOf(best), 6111);
  const c10 = b.values('accuracy:cifar10');
  let argmax = 0;
  c10.forEach((v, i) => (v > c10[argmax]! ? (argmax = i) : 0));
  assert.equal(argmax, 6111);
  assertClose(c10[6111]!, 94.373, 1e-3);
  assert.deepEqual([...b.datasets], ['cifar10', 'cifar10-valid', 'cifar100', 'imagenet16-120']);
  assert.equal(b.devices.length, 27);
  for (const d of ['fpga', 'eyeriss', 'pixel3', 'raspi4', '1080ti_1', 'titanxp_256', 'samsung_s7']) assert.ok(b.devices.includes(d), d);
  // HW-NAS-Bench FPGA latency of arch 0, printed by HW-NAS-Bench itself
  assertClose(b.values('latency:fpga')[0]!, 2.57296, 1e-9);
  assertClose(b.values('energy:fpga')[0]!, 7 * 2.57296, 1e-9);
  const [m] = await b.evaluator(['accuracy:imagenet16-120', 'latency:pixel3']).evaluate([b.genomes[1]!]);
  assertClose(m!['accuracy:imagenet16-120']!, 44.033333, 1e-6);
  assertClose(m!['latency:pixel3']!, 17.2381, 1e-6);
});

test('FLOPs come from blocknas\'s own count and are exactly additive', { skip }, () => {
  const b = loadNb201(DATA_DIR);
  const flops = b.values('flops:cifar10');
  // all-conv3x3 cell: 222.861 MFLOPs (NASLib convention), the base of MathNAS's NB201 tables
  assertClose(flops[b.indexOf([3, 3, 3, 3, 3, 3])]!, 222.861, 1e-3);
});

function dataCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-data-'));
  mkdirSync(join(dir, 'nb201'));
  return dir;
}

test('a missing data file is named in the error', { skip }, () => {
  const dir = dataCopy();
  copyFileSync(join(DATA_DIR, NB201_FILES.accuracy), join(dir, NB201_FILES.accuracy));
  assert.throws(() => loadNb201(dir), (e: unknown) => e instanceof UserError && e.message.includes(`missing data file ${NB201_FILES.latency}`));
});

test('a missing column is named in the error', { skip }, () => {
  const dir = dataCopy();
  const text = readFileSync(join(DATA_DIR, NB201_FILES.accuracy), 'utf8').replace('imagenet16_120_test', 'in16_renamed');
  writeFileSync(join(dir, NB201_FILES.accuracy), text);
  copyFileSync(join(DATA_DIR, NB201_FILES.latency), join(dir, NB201_FILES.latency));
  assert.throws(() => loadNb201(dir), (e: unknown) => e instanceof UserError && /lacks column imagenet16_120_test/.test(e.message));
});

test('a non-numeric cell is named with its row and column', { skip }, () => {
  const dir = dataCopy();
  const lines = readFileSync(join(DATA_DIR, NB201_FILES.accuracy), 'utf8').split('\n');
  const col = lines[0]!.split(',').indexOf('cifar100_test');
  const cells = lines[3]!.split(',');
  cells[col] = 'oops';
  lines[3] = cells.join(',');
  writeFileSync(join(dir, NB201_FILES.accuracy), lines.join('\n'));
  copyFileSync(join(DATA_DIR, NB201_FILES.latency), join(dir, NB201_FILES.latency));
  assert.throws(() => loadNb201(dir), (e: unknown) => e instanceof UserError && /row 4, column cifar100_test: "oops" is not a number/.test(e.message));
});
