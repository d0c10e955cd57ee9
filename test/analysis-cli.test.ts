import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSIS_FILES } from '../src/analysis/data.js';
import { MATHNAS_TABLES } from '../src/benchmarks/mathnas-nb201.js';
import { runCli } from './helpers/cli.js';
import { needsData } from './helpers/data.js';

const skip = needsData(ANALYSIS_FILES.zc, ANALYSIS_FILES.nb201, ANALYSIS_FILES.tnbMicroFull);
const skipMathnas = needsData(MATHNAS_TABLES);

const cli = runCli;

function assertOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.equal(r.code, 2, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, pattern);
}

test('analyze writes analysis.json and the radar chart and prints the JSON it wrote', { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), 'blocknas-analyze-'));
  const r = cli(['analyze', 'nb201', 'tnb101-macro', '--out-dir', out, '--json']);
  assert.equal(r.code, 0, r.err);
  const printed = JSON.parse(r.out);
  const written = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
  assert.deepEqual(printed, written);
  assert.deepEqual(written.spaces.map((s: { name: string }) => s.name), ['nb201', 'tnb101-macro']);
  assert.equal(written.pdsVariant, 'robust');
  assert.equal(written.radar.series.length, 2);
  assert.match(readFileSync(join(out, 'analysis-radar.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*<\/svg>\n$/);
  // Atomic writes leave no temporary files behind.
  assert.deepEqual(readdirSync(out).sort(), ['analysis-radar.svg', 'analysis.json']);
});

test('analyze prints a comparison table with one row per space', { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), 'blocknas-analyze-'));
  const r = cli(['analyze', 'nb301', 'tnb101-micro', '--out-dir', out, '--pds', 'minmax']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0]!, /^space +archs +unique +PDS minmax/);
  assert.match(lines[2]!, /^nb301 +1\.077e\+18 +n\/a /);
  assert.match(lines[3]!, /^tnb101-micro +4096 +n\/a .* full 4096 +7$/);
  assert.match(r.out, /nb301: size\.unique not available: /);
  assert.ok(existsSync(join(out, 'analysis-radar.svg')), 'radar chart written');
});

test('MathNAS spaces: n/a for PDS and Kendall with the reason, the task named, a note under the chart', { skip: skipMathnas }, () => {
  const out = mkdtempSync(join(tmpdir(), 'blocknas-analyze-'));
  const r = cli(['analyze', 'mobilenetv3', 'supervit', '--out-dir', out]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[2]!, /^mobilenetv3 +3125 +3125 +n\/a +n\/a +n\/a +0\.04180 +full 3125 +1$/);
  assert.match(lines[3]!, /^supervit +4\.816e\+10 +4\.816e\+10 +n\/a +n\/a +n\/a +0\.004197 +sample 10000 +1$/);
  assert.match(r.out, /supervit: performanceDiversity not available: the data has no zero-cost proxy scores/);
  assert.match(r.out, /mobilenetv3: tasks: imagenet, from the accuracy metric of MathNAS's block table \(accuracy:imagenet\)/);
  assert.doesNotMatch(r.out, /CHECK FAILED/);
  const svg = readFileSync(join(out, 'analysis-radar.svg'), 'utf8');
  assert.match(svg, />mobilenetv3 \(n\/a: pds\)</);
  assert.match(svg, /hollow marker at the centre: not available/);
});

test('unknown space or PDS variant: one line naming the choices, exit 2', () => {
  assertOneLineError(
    cli(['analyze', 'nb201', 'nb999']),
    /unknown space "nb999" \(known: mbv3-mini, nb201, mobilenetv3, supertransformer, supervit, ofa-mbv3, nb101, nb301, tnb101-micro, tnb101-macro\)/,
  );
  assertOneLineError(cli(['analyze', 'mbv3-mini']), /space mbv3-mini cannot be analysed .*spaces that can: nb201, mobilenetv3, supertransformer, supervit, nb101, nb301, tnb101-micro, tnb101-macro$/m);
  assertOneLineError(cli(['analyze', 'nb201', '--pds', 'sd']), /--pds: expected one of minmax, robust, rank, got "sd"/);
});
