import type { UserError } from '../errors.js';

/** Library option fields whose flag is not just the field in kebab case. */
const FLAG_OF: Readonly<Record<string, string>> = {
  graphAware: '--graph',
  timeoutMs: '--timeout',
};

/** The flag that sets a library option field: `dataDir` is `--data-dir`. */
export function flagOf(field: string): string {
  return FLAG_OF[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A library error as the CLI prints it: a leading `field:` becomes the flag's name. */
export function flagMessage(e: UserError): string {
  if (e.field === undefined || !e.message.startsWith(`${e.field}:`)) return e.message;
  return `${flagOf(e.field)}${e.message.slice(e.field.length)}`;
}
