import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLink, applyLinkExtended } from '../src/predict/link.js';
import { blockRidge } from '../src/surrogate/block-ridge.js';

test('extended link: equal to the isotonic link inside the observed scores, linear beyond them', () => {
  const link = { x: [0, 1, 3], y: [10, 20, 22] };
  for (const s of [0, 0.5, 1, 2, 3]) assert.equal(applyLinkExtended(link, s), applyLink(link, s));
  // end-to-end slope (22 - 10) / 3 = 4
  assert.equal(applyLinkExtended(link, 4), 26);
  assert.equal(applyLinkExtended(link, -1), 6);
  assert.equal(applyLink(link, 4), 22, 'the plain link is flat beyond the range');
});

test('an extrapolating block ridge can predict a network better than every one it was fitted on', () => {
  // additive truth over 3 nodes x 3 blocks; fit on networks that never combine the best blocks
  const value = (g: readonly number[]) => g.reduce((s, b, i) => s + b * (i + 1), 0);
  const x = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [2, 0, 0], [0, 2, 0], [0, 0, 2], [1, 1, 0], [0, 1, 1], [1, 0, 1], [2, 1, 0], [0, 2, 1]];
  const y = x.map(value);
  const best = [2, 2, 2];
  const flat = blockRidge({ radix: [3, 3, 3], seed: 0, candidates: [{ pairs: false, mainPenalty: 0.01, pairPenalty: 0, rankTarget: true }] });
  const ext = blockRidge({ radix: [3, 3, 3], seed: 0, candidates: [{ pairs: false, mainPenalty: 0.01, pairPenalty: 0, rankTarget: true }], extrapolate: true });
  flat.fit(x, y);
  ext.fit(x, y);
  const maxSeen = Math.max(...y);
  assert.equal(flat.predict([best])[0], maxSeen, 'the flat link ties the best unseen network with the best seen one');
  assert.ok(ext.predict([best])[0]! > maxSeen, `extrapolated ${ext.predict([best])[0]} should exceed ${maxSeen}`);
});
