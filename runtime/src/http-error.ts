/**
 * Errors that become JSON responses. Every error the runtime answers with has a status, a
 * message that names the problem, and where it helps, a `fix` that says what to change.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { error: this.message, status: this.status, ...this.details };
  }
}
