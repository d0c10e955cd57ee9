import type { AnalysisReport, SpaceReport } from './analyze.js';

/** One spoke of the chart: a property read from a space's report; null where the property is not available. */
export interface RadarAxis {
  readonly key: string;
  readonly label: string;
  /** What is measured, printed under the label. */
  readonly detail: string;
  value(s: SpaceReport): number | null;
}

const finiteOrNull = (x: number | undefined | null) => (x !== undefined && x !== null && Number.isFinite(x) ? x : null);

export function radarAxes(report: AnalysisReport): RadarAxis[] {
  return [
    {
      key: 'size',
      label: 'size',
      detail: 'log10 archs, unique where known',
      value: (s) => s.size.log10Unique ?? s.size.log10Total,
    },
    {
      key: 'pds',
      label: 'performance diversity',
      detail: `PDS ${report.pdsVariant}, mean over tasks`,
      value: (s) => finiteOrNull(s.performanceDiversity?.pds[report.pdsVariant]),
    },
    {
      key: 'arch',
      label: 'architecture diversity',
      detail: 'total variance of the layer mix',
      value: (s) => finiteOrNull(s.architectureDiversity.totalVariance),
    },
    { key: 'tasks', label: 'multi-task', detail: 'datasets or tasks with results', value: (s) => s.multiTask.count },
  ];
}

export interface RadarData {
  readonly axes: readonly { readonly key: string; readonly label: string; readonly detail: string; readonly max: number | null }[];
  /** Per space, per axis: the value divided by the axis maximum over the compared spaces, or null. */
  readonly series: readonly { readonly name: string; readonly raw: readonly (number | null)[]; readonly scaled: readonly (number | null)[] }[];
}

/**
 * Scales each axis by its largest value among the compared spaces. Division by the maximum rather than min-max keeps
 * 0 meaning "none of this property" and never puts a space at the centre just for being the smallest of those compared.
 */
export function radarData(report: AnalysisReport): RadarData {
  const axes = radarAxes(report);
  const raw = report.spaces.map((s) => axes.map((a) => a.value(s)));
  const max = axes.map((_, j) => {
    const vals = raw.map((r) => r[j]).filter((v): v is number => v !== null);
    return vals.length ? Math.max(...vals) : null;
  });
  return {
    axes: axes.map((a, j) => ({ key: a.key, label: a.label, detail: a.detail, max: max[j]! })),
    series: report.spaces.map((s, i) => ({
      name: s.name,
      raw: raw[i]!,
      scaled: raw[i]!.map((v, j) => (v === null ? null : max[j]! > 0 ? v / max[j]! : 0)),
    })),
  };
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Number.isInteger(x) || Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** Spider chart of the report as a standalone SVG document. */
export function radarSvg(report: AnalysisReport): string {
  const d = radarData(report);
  const W = 1040;
  const H = 560;
  const cx = 390;
  const cy = 300;
  const R = 170;
  const n = d.axes.length;
  // First spoke points up; the rest go clockwise.
  const at = (j: number, r: number): [number, number] => {
    const t = -Math.PI / 2 + (2 * Math.PI * j) / n;
    return [cx + r * R * Math.cos(t), cy + r * R * Math.sin(t)];
  };
  const pts = (rs: readonly number[]) => rs.map((r, j) => at(j, r).map((v) => v.toFixed(1)).join(',')).join(' ');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Search-space comparison</text>`,
    `<text x="${W / 2}" y="42" text-anchor="middle" fill="#555">each axis divided by its largest value among the compared spaces</text>`,
  ];
  for (const r of [0.25, 0.5, 0.75, 1]) {
    out.push(`<polygon points="${pts(d.axes.map(() => r))}" fill="none" stroke="#ccc"/>`);
  }
  d.axes.forEach((a, j) => {
    const [x, y] = at(j, 1);
    const [lx, ly] = at(j, 1.12);
    const anchor = Math.abs(lx - cx) < 1 ? 'middle' : lx > cx ? 'start' : 'end';
    // Three lines of text: above the tip at the top, below it at the bottom, centred on it at the sides.
    const top = ly < cy - 1 ? ly - 32 : ly > cy + 1 ? ly + 6 : ly - 14;
    out.push(`<line x1="${cx}" y1="${cy}" x2="${x.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#999"/>`);
    const lines = [a.label, a.detail, `max ${a.max === null ? 'n/a' : num(a.max)}`];
    lines.forEach((text, k) => {
      const style = k === 0 ? ' font-weight="bold"' : ' fill="#555"';
      out.push(`<text x="${lx.toFixed(1)}" y="${(top + 14 * k).toFixed(1)}" text-anchor="${anchor}"${style}>${esc(text)}</text>`);
    });
  });
  d.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const rs = s.scaled.map((v) => v ?? 0);
    out.push(`<polygon points="${pts(rs)}" fill="${color}" fill-opacity="0.12" stroke="${color}" stroke-width="2"/>`);
    rs.forEach((r, j) => {
      const [x, y] = at(j, r);
      const missing = s.scaled[j] === null;
      out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${missing ? 'white' : color}" stroke="${color}"/>`);
    });
  });
  const lx = 770;
  out.push(`<text x="${lx}" y="80" font-weight="bold">spaces</text>`);
  d.series.forEach((s, i) => {
    const y = 102 + i * 36;
    const color = COLORS[i % COLORS.length]!;
    const na = d.axes.filter((_, j) => s.raw[j] === null).map((a) => a.key);
    out.push(`<rect x="${lx}" y="${y - 10}" width="14" height="10" fill="${color}" fill-opacity="0.5" stroke="${color}"/>`);
    out.push(`<text x="${lx + 20}" y="${y}">${esc(s.name)}${na.length ? ` (n/a: ${esc(na.join(', '))})` : ''}</text>`);
    const values = s.raw.map((v, j) => `${d.axes[j]!.key} ${v === null ? 'n/a' : num(v)}`).join(' · ');
    out.push(`<text x="${lx + 20}" y="${y + 14}" fill="#555" font-size="10">${esc(values)}</text>`);
  });
  // A property that is not available is drawn at the centre with a hollow marker; say so, so it is not read as 0.
  if (d.series.some((s) => s.raw.some((v) => v === null))) {
    out.push(
      `<text x="${W / 2}" y="${H - 14}" text-anchor="middle" fill="#555">hollow marker at the centre: not available for that space (n/a in the legend), not a measured 0; reasons in analysis.json notAvailable</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
