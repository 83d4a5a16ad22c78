/**
 * The runtime's status document (written to `--status-file`, sent over IPC and served at
 * `GET /_sinch/status`), parsed defensively: the file may be read mid-write on platforms where
 * rename is not atomic, and an older runtime may lack fields.
 */

export type RuntimeState = 'starting' | 'ready' | 'error' | 'stopped';

export interface RuntimeRoute {
  path: string;
  exportName: string;
  kind: string;
  method: string;
}

export interface RuntimeLoadError {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface RuntimeStatus {
  pid: number;
  state: RuntimeState;
  url: string;
  host: string;
  port: number;
  projectDir: string;
  entry: string;
  generation: number;
  routes: RuntimeRoute[];
  error: RuntimeLoadError | null;
}

const STATES: readonly string[] = ['starting', 'ready', 'error', 'stopped'];

/** Parses a status document from JSON text or an IPC message; returns undefined when malformed. */
export function parseStatus(input: unknown): RuntimeStatus | undefined {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.state !== 'string' || !STATES.includes(record.state)) return undefined;
  const port = typeof record.port === 'number' ? record.port : Number.NaN;
  const routes = Array.isArray(record.routes)
    ? record.routes.filter(isRoute).map((route) => ({ ...route }))
    : [];
  return {
    pid: typeof record.pid === 'number' ? record.pid : 0,
    state: record.state as RuntimeState,
    url: typeof record.url === 'string' ? record.url : '',
    host: typeof record.host === 'string' ? record.host : '',
    port,
    projectDir: typeof record.projectDir === 'string' ? record.projectDir : '',
    entry: typeof record.entry === 'string' ? record.entry : '',
    generation: typeof record.generation === 'number' ? record.generation : 0,
    routes,
    error: parseLoadError(record.error),
  };
}

/** Recognises the runtime's IPC message `{ type: 'sinch-runtime:state', ...status }`. */
export function parseStateMessage(message: unknown): RuntimeStatus | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  if ((message as { type?: unknown }).type !== 'sinch-runtime:state') return undefined;
  return parseStatus(message);
}

function isRoute(value: unknown): value is RuntimeRoute {
  if (value === null || typeof value !== 'object') return false;
  const route = value as Record<string, unknown>;
  return typeof route.path === 'string' && typeof route.exportName === 'string';
}

function parseLoadError(value: unknown): RuntimeLoadError | null {
  if (value === null || typeof value !== 'object') return null;
  const error = value as Record<string, unknown>;
  if (typeof error.message !== 'string') return null;
  return {
    message: error.message,
    file: typeof error.file === 'string' ? error.file : undefined,
    line: typeof error.line === 'number' ? error.line : undefined,
    column: typeof error.column === 'number' ? error.column : undefined,
  };
}
