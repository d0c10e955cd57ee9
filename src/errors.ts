/**
 * A mistake by the user (bad option, missing file, impossible limit). The CLI prints its message on one line and
 * exits non-zero; any other error is a bug and is allowed to crash loudly.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /**
   * The option field the mistake is in (`dataset`, `budget`, `confidence`), when it is one: the message then begins
   * with `field:`, which the CLI rewrites to the flag that sets it (`--dataset:`). The library never names flags.
   */
  readonly field?: string;

  constructor(message: string, options?: { readonly field?: string }) {
    super(message);
    if (options?.field !== undefined) this.field = options.field;
  }
}

export function userError(message: string): never {
  throw new UserError(message);
}

/** A mistake in one option field: `field: message`, which the CLI shows under the flag's name. */
export function fieldError(field: string, message: string): UserError {
  return new UserError(`${field}: ${message}`, { field });
}
