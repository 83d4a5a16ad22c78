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

/**
 * Describes a value that user code threw, for a log line or an error response. Any value can be
 * thrown, including `null`, objects without a prototype and errors whose `message` getter
 * throws, so this never throws itself.
 */
export function describeThrownValue(value: unknown): { message: string; stack: string | undefined } {
  try {
    if (value instanceof Error) {
      const stack = typeof value.stack === 'string' ? value.stack : undefined;
      return { message: `${value.name}: ${value.message}`, stack };
    }
    return { message: `a non-Error value: ${String(value)}`, stack: undefined };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown reason';
    return { message: `a value that cannot be shown (${reason})`, stack: undefined };
  }
}
