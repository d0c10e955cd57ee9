import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';
import { parseBlockTable } from '../src/core/block-table.js';
import { PUBLISHED_TABLE_NOTE } from '../src/targets/published.js';
import { runCli } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData('mathnas/mathnas_tables.json', 'mathnas/mathnas_results.json', 'hat/hat_latency_dataset.csv');

const cli = runCli;

test('estimate on a MathNAS table space writes the published block table, marked as such', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-estimate-'));
  for (const [space, device] of [['mobilenetv3', 'raspberrypi'], ['supertransformer', 'xeon'], ['supervit', undefined]] as const) {
    const file = join(dir, `${space}.json`);
    const r = cli(['estimate', space, ...(device ? ['--device', device] : []), '-o', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`mathnas-published on ${space} .*: 0 networks evaluated`));
    assert.match(r.out, new RegExp(`written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const written = parseBlockTable(JSON.parse(readFileSync(file, 'utf8')), file);
    const published = mathnasTable(DATA_DIR, space, device).table;
    // Through JSON, as the file went: -0 in the released tables is written as 0.
    assert.deepEqual(written.metrics, JSON.parse(JSON.stringify(published.metrics)), `${space}: the metrics are the published ones`);
    assert.deepEqual(written.base, published.base, `${space}: base`);
    assert.equal(written.estimator, 'mathnas-published');
    assert.equal(written.evaluated, 0);
    assert.deepEqual(written.notes, [PUBLISHED_TABLE_NOTE, ...(published.notes ?? [])], `${space}: notes`);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['mobilenetv3.json', 'supertransformer.json', 'supervit.json'], 'no temp file left behind');
  // The written table is one that --table reads back.
  const s = cli(['search', 'mobilenetv3', '--table', join(dir, 'mobilenetv3.json'), '--max-latency', '1200', '--json']);
  assert.equal(s.code, 0, s.err);
  assert.ok(JSON.parse(s.out).chosen.predicted['latency:raspberrypi'] <= 1200 + 1e-9, 'latency limit from the written table');
});

test('estimate on a MathNAS table space: --json, and flags that need an evaluator are refused by name', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-estimate-'));
  const file = join(dir, 'gpu.json');
  const r = cli(['estimate', 'mobilenetv3', '--device', 'tx2gpu', '-o', file, '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j, {
    file,
    estimator: 'mathnas-published',
    evaluated: 0,
    metrics: ['accuracy:imagenet', 'latency:tx2gpu'],
    notes: [PUBLISHED_TABLE_NOTE, 'MathNAS released OFA-MobileNetV3 tables, GPU candidate set; latency excludes stem and head'],
  });
  const refused = [
    [['--budget', '50'], /^blocknas: --budget: space mobilenetv3 comes with MathNAS's published block table/],
    [['--estimator', 'regression'], /^blocknas: --estimator: space mobilenetv3 comes with MathNAS's published block table/],
    [['--device', 'pixel3'], /^blocknas: --device: "pixel3" is not a mobilenetv3 device/],
  ] as const;
  for (const [flags, pattern] of refused) {
    const bad = cli(['estimate', 'mobilenetv3', ...flags, '-o', join(dir, 'bad.json')]);
    assert.equal(bad.code, 2, bad.err);
    assert.equal(bad.err.trim().split('\n').length, 1, `one line: ${bad.err}`);
    assert.match(bad.err, pattern);
  }
  assert.deepEqual(readdirSync(dir), ['gpu.json'], 'a refused estimate writes nothing');
});
