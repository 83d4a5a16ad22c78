/**
 * Recent requests and their responses, newest first, kept per workspace. The store writes through
 * a key-value interface that `vscode.Memento` satisfies, so tests run it on a plain map.
 */
import type { ResponseRecord } from './http-client';
import type { RequestSpec } from './request-spec';

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryEntry {
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** The function project folder the request went to. */
  projectDir: string;
  /** The export the request was meant for, when it was sent from an endpoint. */
  exportName?: string;
  baseUrl: string;
  request: RequestSpec;
  response?: ResponseRecord;
  /** Why no response arrived (timeout, refused connection). */
  error?: string;
}

export const HISTORY_KEY = 'sinchFunctions.history';
export const DEFAULT_HISTORY_LIMIT = 50;
/** Stored response bodies are cut to this many characters so the workspace state stays small. */
export const STORED_BODY_LIMIT = 64 * 1024;

export class HistoryStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStore,
    private readonly limit: number = DEFAULT_HISTORY_LIMIT,
  ) {}

  list(): HistoryEntry[] {
    const entries = this.storage.get<HistoryEntry[]>(HISTORY_KEY);
    return Array.isArray(entries) ? entries : [];
  }

  get(id: string): HistoryEntry | undefined {
    return this.list().find((entry) => entry.id === id);
  }

  async add(entry: Omit<HistoryEntry, 'id'>): Promise<HistoryEntry> {
    const stored: HistoryEntry = { ...entry, id: `${entry.time.toString(36)}-${randomSuffix()}` };
    // Credentials are secrets: the history keeps the request without them.
    stored.request = { ...entry.request, credentials: null };
    if (stored.response && stored.response.body.length > STORED_BODY_LIMIT) {
      stored.response = { ...stored.response, body: stored.response.body.slice(0, STORED_BODY_LIMIT), truncated: true };
    }
    const entries = [stored, ...this.list()].slice(0, this.limit);
    await this.storage.update(HISTORY_KEY, entries);
    this.fire();
    return stored;
  }

  async remove(id: string): Promise<void> {
    await this.storage.update(
      HISTORY_KEY,
      this.list().filter((entry) => entry.id !== id),
    );
    this.fire();
  }

  async clear(): Promise<void> {
    await this.storage.update(HISTORY_KEY, []);
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
}
