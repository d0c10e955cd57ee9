import { fmt } from './number-format.js';

/** Plain-text table for people: right-aligned numbers, left-aligned text. */
export function renderTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const numeric = header.map((_, j) => rows.every((r) => typeof r[j] === 'number'));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
