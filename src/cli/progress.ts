/** Progress on stderr, one overwritten line on a terminal, at most one line a second otherwise. */
export function progressReporter(label: string, quiet = false): (done: number, total: number) => void {
  if (quiet) return () => {};
  const start = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < (process.stderr.isTTY ? 100 : 1000)) return;
    last = now;
    const secs = (now - start) / 1000;
    const eta = done > 0 && done < total ? ` ~${Math.ceil((secs / done) * (total - done))}s left` : '';
    const msg = `${label}: ${done}/${total} networks evaluated (${secs.toFixed(1)}s${eta})`;
    if (process.stderr.isTTY) process.stderr.write(`\r${msg}${done >= total ? '\n' : ''}`);
    else if (done >= total) process.stderr.write(msg + '\n');
  };
}
