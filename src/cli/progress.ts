/** " ~Ns left" at the pace so far, or nothing before the first or after the last item. */
function timeLeft(secs: number, done: number, total: number): string {
  return done > 0 && done < total ? ` ~${Math.ceil((secs / done) * (total - done))}s left` : '';
}

/** Progress on stderr: one overwritten line on a terminal; otherwise (logs, pipes) a line every 15 s and the last. */
export function progressReporter(label: string, quiet = false, unit = 'networks evaluated'): (done: number, total: number) => void {
  if (quiet) return () => {};
  const start = Date.now();
  let last = 0;
  // The pace is measured from the first report: work before it (a super-network's training) says nothing about it.
  let first: { at: number; done: number } | null = null;
  return (done, total) => {
    const now = Date.now();
    first ??= { at: now, done };
    if (done < total && now - last < (process.stderr.isTTY ? 100 : 15_000)) return;
    last = now;
    const secs = (now - start) / 1000;
    const left = timeLeft((now - first.at) / 1000, done - first.done, total - first.done);
    const msg = `${label}: ${done}/${total} ${unit} (${secs.toFixed(1)}s${left})`;
    if (process.stderr.isTTY) process.stderr.write(`\r${msg}${done >= total ? '\n' : ''}`);
    else process.stderr.write(msg + '\n');
  };
}

/** Progress of an evolutionary run on stderr: evaluations, hypervolume (and its ratio to the truth), time left; sparse when piped. */
export function stepReporter(label: string, quiet = false, trueHv?: number) {
  if (quiet) return () => {};
  const start = Date.now();
  let last = 0;
  let lastTenth = -1;
  return (s: { evaluations: number; budget: number; hypervolume: number; replayed: boolean }): void => {
    const now = Date.now();
    // On a terminal every step rewrites the line; in a log, a line per tenth of the budget, every 15 s at most apart.
    const tenth = Math.floor((10 * s.evaluations) / s.budget);
    if (!process.stderr.isTTY && s.evaluations < s.budget && tenth === lastTenth && now - last < 15_000) return;
    last = now;
    lastTenth = tenth;
    const secs = (now - start) / 1000;
    const hv = trueHv ? `${((100 * s.hypervolume) / trueHv).toFixed(2)}% of the true front's hypervolume` : `hypervolume ${s.hypervolume.toFixed(4)}`;
    const msg = `${label}: ${s.evaluations}/${s.budget} networks${s.replayed ? ' (replayed from the store)' : ''}, ${hv} (${secs.toFixed(1)}s${timeLeft(secs, s.evaluations, s.budget)})`;
    process.stderr.write(process.stderr.isTTY ? `\r${msg}\x1b[K${s.evaluations >= s.budget ? '\n' : ''}` : `${msg}\n`);
  };
}
