/**
 * The in-memory `context.cache`. Values are stored as JSON text, so they come back as plain data
 * (a `Date` as a string, a class instance as an object), as on the platform. Entries expire
 * after their TTL (default 3600 s) and live as long as the runtime process, across hot reloads.
 */
import type { IFunctionCache } from '../../functions-runtime/src/types';

export const DEFAULT_TTL_SECONDS = 3600;

interface Entry {
  json: string;
  /** Expiry time in milliseconds since the epoch. */
  expiresAt: number;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`Cache keys must be non-empty strings; got ${JSON.stringify(key) ?? String(key)}.`);
  }
  return key;
}

function checkSeconds(name: string, seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(`Cache ${name} must be a finite number of seconds, 0 or more; got ${String(seconds)}.`);
  }
  return seconds;
}

function toJson(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`Cache value for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
  }
  if (json === undefined) {
    throw new TypeError(`Cache value for "${key}" cannot be stored as JSON (${typeof value}); store null or an object instead.`);
  }
  return json;
}

/**
 * Tests a key against a glob with `*` (any run of characters) and `?` (one character). Runs in
 * O(pattern length × key length) time: when a literal fails, only the last `*` takes one more
 * character, so a pattern such as `*a*a*a*a*b` cannot make it backtrack exponentially.
 */
export function globMatches(pattern: string, key: string): boolean {
  const glob = [...pattern];
  const text = [...key];
  let globIndex = 0;
  let textIndex = 0;
  let lastStar = -1;
  let starTextIndex = 0;
  while (textIndex < text.length) {
    const token = glob[globIndex];
    if (globIndex < glob.length && token !== '*' && (token === '?' || token === text[textIndex])) {
      globIndex++;
      textIndex++;
    } else if (token === '*' && globIndex < glob.length) {
      lastStar = globIndex++;
      starTextIndex = textIndex;
    } else if (lastStar !== -1) {
      globIndex = lastStar + 1;
      textIndex = ++starTextIndex;
    } else {
      return false;
    }
  }
  while (glob[globIndex] === '*') globIndex++;
  return globIndex === glob.length;
}

/**
 * Converts a glob with `*` (any run of characters) and `?` (one character) to a RegExp.
 * NOTE: the RegExp backtracks exponentially on patterns with many `*`, so `keys` uses
 * `globMatches` instead.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const character of pattern) {
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export class MemoryCache implements IFunctionCache {
  private readonly entries = new Map<string, Entry>();

  /** `now` returns the time in milliseconds; tests pass a controllable clock. */
  constructor(private readonly now: () => number = Date.now) {}

  async set<T>(key: string, value: T, ttlSeconds: number = DEFAULT_TTL_SECONDS): Promise<void> {
    checkKey(key);
    checkSeconds('TTL', ttlSeconds);
    this.entries.set(key, { json: toJson(key, value), expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async get<T>(key: string): Promise<T | null> {
    const entry = this.live(checkKey(key));
    return entry === undefined ? null : (JSON.parse(entry.json) as T);
  }

  async has(key: string): Promise<boolean> {
    return this.live(checkKey(key)) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.live(checkKey(key)) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  /** Adds `seconds` to the remaining lifetime of a live key. */
  async extend(key: string, seconds: number): Promise<boolean> {
    checkSeconds('extension', seconds);
    const entry = this.live(checkKey(key));
    if (entry === undefined) return false;
    entry.expiresAt += seconds * 1000;
    return true;
  }

  async keys(pattern?: string): Promise<string[]> {
    const found: string[] = [];
    for (const key of [...this.entries.keys()]) {
      if (this.live(key) !== undefined && (pattern === undefined || globMatches(pattern, key))) found.push(key);
    }
    return found.sort();
  }

  async getMany<T>(keys: string[]): Promise<Record<string, T | null>> {
    if (!Array.isArray(keys)) throw new TypeError('cache.getMany expects an array of keys.');
    const values: Record<string, T | null> = Object.create(null) as Record<string, T | null>;
    for (const key of keys) values[key] = await this.get<T>(key);
    return values;
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
