/**
 * Secret redaction for everything the runtime writes out. A value counts as secret when its
 * variable comes from `.env` (the platform keeps secrets there) or when its name looks like a
 * credential. `sinch.json` variables are not secret: the platform shows them in logs.
 */
import { format } from 'node:util';

export const REDACTED = '[redacted]';

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE|CREDENTIAL)/i;

// NOTE: values shorter than this are not redacted, because replacing every "1" or "on" in a log
// line would garble it. Such short values are not protected.
export const MIN_REDACTED_LENGTH = 4;

export class SecretRedactor {
  private readonly secrets: string[];

  constructor(secretValues: Iterable<string>) {
    const unique = new Set<string>();
    for (const value of secretValues) {
      if (value.length >= MIN_REDACTED_LENGTH) unique.add(value);
    }
    // Longer secrets first, so a secret that contains another is replaced whole.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.secrets.length;
  }

  redactText(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** Returns a copy of `value` with secrets replaced in every string; other values are kept. */
  redactValue<T>(value: T): T {
    // With no secrets there is nothing to replace, and the copy would cost every log record.
    if (this.secrets.length === 0) return value;
    return this.redactAny(value, new WeakSet()) as T;
  }

  private redactAny(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return value;
    seen.add(value);
    if (value instanceof Error) {
      const copy = new Error(this.redactText(value.message));
      copy.name = value.name;
      if (value.stack !== undefined) copy.stack = this.redactText(value.stack);
      return copy;
    }
    if (Array.isArray(value)) return value.map((item) => this.redactAny(item, seen));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = this.redactAny(item, seen);
    return copy;
  }
}

/** Picks the secret values out of the merged environment. */
export function collectSecretValues(
  env: Record<string, string | undefined>,
  dotenvNames: Iterable<string>,
): string[] {
  const names = new Set(dotenvNames);
  for (const name of Object.keys(env)) {
    if (SECRET_NAME.test(name)) names.add(name);
  }
  const values: string[] = [];
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.length > 0) values.push(value);
  }
  return values;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Routes `console.log` and its siblings through `redact`, so that what handlers print cannot
 * leak a secret into the runtime's output. Returns a function that restores the originals.
 * Only for the runtime's own process: it changes the global console.
 */
export function redactConsole(redact: (text: string) => string, target: Console = console): () => void {
  const originals = CONSOLE_METHODS.map((method) => [method, target[method]] as const);
  for (const [method, original] of originals) {
    target[method] = (...args: unknown[]) => original.call(target, redact(format(...args)));
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}
