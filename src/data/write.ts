import { renameSync, writeFileSync } from 'node:fs';

/** Writes via a temporary file and a rename, so a crash or a reader never sees half a file. */
export function writeTextAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** JSON (one space of indentation, a final newline) written atomically: a crash never leaves half a file. */
export function writeJsonAtomic(file: string, data: unknown): void {
  writeTextAtomic(file, JSON.stringify(data, null, 1) + '\n');
}
