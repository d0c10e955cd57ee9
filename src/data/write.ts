import { renameSync, writeFileSync } from 'node:fs';

/** Writes via a temporary file and a rename, so a crash or a reader never sees half a file. */
export function writeTextAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
