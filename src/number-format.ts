/** A number as people read it in messages and tables: integers whole, others to about five significant digits. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(1);
  if (a >= 1) return x.toPrecision(digits + 1).replace(/\.?0+$/, '');
  return x.toPrecision(digits);
}
