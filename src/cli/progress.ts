/** " ~Ns left" at the pace so far, or nothing before the first or after the last item. */
function timeLeft(secs: number, done: number, total: number): string {
  return done > 0 && done < total ? ` ~${Math.ceil((secs / done) * (total - done))}s left` : '';
}

/** Progress on stderr: one overwritten line on a terminal; otherwise (logs, pipes) a line every 15 s and the last. */
export function progressReporter(label: string, quiet = false, unit = 'networks evaluated'): (done: number, total: number) => void {
  if (quiet) return () => {};
  const start = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < (process.stderr.isTTY ? 100 : 15_000)) return;
    last = now;
    const secs = (now - start) / 1000;
    const msg = `${label}: ${done}/${total} ${unit} (${secs.toFixed(1)}s${timeLeft(secs, done, total)})`;
    if (process.stderr.isTTY) process.stderr.write(`\r${msg}${done >= total ? '\n' : ''}`);
    else process.stderr.write(msg + '\n');
  };
}

/** Progress of an evolutionary run on stderr: evaluations, hypervolume (and its ratio to the truth), time left. */
export function stepReporter(label: string, quiet = false, trueHv?: number) {
  if (quiet) return () => {};
  const start = Date.now();
  return (s: { evaluations: number; budget: number; hypervolume: number; replayed: boolean }): void => {
    const secs = (Date.now() - start) / 1000;
    const hv = trueHv ? `${((100 * s.hypervolume) / trueHv).toFixed(2)}% of the true front's hypervolume` : `hypervolume ${s.hypervolume.toFixed(4)}`;
    const msg = `${label}: ${s.evaluations}/${s.budget} networks${s.replayed ? ' (replayed from the store)' : ''}, ${hv} (${secs.toFixed(1)}s${timeLeft(secs, s.evaluations, s.budget)})`;
    process.stderr.write(process.stderr.isTTY ? `\r${msg}\x1b[K${s.evaluations >= s.budget ? '\n' : ''}` : `${msg}\n`);
  };
}
