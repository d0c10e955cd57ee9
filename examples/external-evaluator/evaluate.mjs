#!/usr/bin/env node
// A blocknas external evaluator: architectures in as JSON on stdin, metrics out as JSON on stdout.
//
// Each input line is one architecture:
//   {"space":"mbv3-mini","arch":"k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1","genome":[...],"blocks":["k5e4","d3",...]}
// and for each one this prints one line with a JSON object of metrics. In blocknas's per-arch mode stdin holds one
// line; in batch mode one line per architecture, answered in order. Logs go to stderr, never to stdout.
//
// The "metrics" below are a toy (no dependencies, instant): replace score() with a call into your own trainer.
import { createInterface } from 'node:readline';

function score(request) {
  // Every number in the block ids (kernel 5, expansion 4, depth 3, ...) makes the toy network bigger.
  const size = request.blocks.flatMap((id) => id.match(/\d+/g) ?? []).reduce((sum, n) => sum + Number(n), 0);
  return {
    'accuracy:toy': Number((90 + 8 * (1 - Math.exp(-size / 40))).toFixed(3)),
    'latency:toy': Number((0.5 + 0.05 * size).toFixed(3)),
  };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const request = JSON.parse(line);
  console.error(`evaluating ${request.arch}`);
  process.stdout.write(JSON.stringify(score(request)) + '\n');
}
