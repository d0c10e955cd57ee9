/**
 * A mistake by the user (bad flag, missing file, impossible limit). The CLI prints its message on one line and
 * exits non-zero; any other error is a bug and is allowed to crash loudly.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function userError(message: string): never {
  throw new UserError(message);
}
