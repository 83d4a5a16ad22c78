/**
 * The runtime's log: one fixed text line, or one JSON object, per record. The sink is injectable
 * so that tests can assert exact lines and the extension can read the same stream.
 */
import type { LogFormat } from './args';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  /** The export that handled the request, or a built-in such as `(health)`, or `-`. */
  exportName: string;
  status: number;
  durationMs: number;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  request(record: RequestRecord): void;
  log(level: LogLevel, message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// Captured before the runtime wraps the global timers for user code, so a flush never belongs
// to (or is cleared with) a generation of user code.
const scheduleImmediate = setImmediate;
let pendingLines: string[] = [];
let flushScheduled = false;

function flushStdout(): void {
  flushScheduled = false;
  if (pendingLines.length === 0) return;
  const text = `${pendingLines.join('\n')}\n`;
  pendingLines = [];
  process.stdout.write(text);
}

/**
 * Writes lines to stdout once per turn of the event loop. Under load this turns hundreds of
 * write system calls into one, and lines keep their order. Lines still pending at exit are
 * written then.
 */
function stdoutSink(): LogSink {
  process.once('exit', flushStdout);
  return (line) => {
    pendingLines.push(line);
    if (!flushScheduled) {
      flushScheduled = true;
      scheduleImmediate(flushStdout);
    }
  };
}

export interface LoggerOptions {
  format: LogFormat;
  /** Records below this level are dropped; default `info`. */
  minLevel?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
}

function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || key === 'stack') continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  const stack = typeof fields.stack === 'string' ? `\n${fields.stack}` : '';
  return (parts.length > 0 ? ` ${parts.join(' ')}` : '') + stack;
}

/**
 * Creates a logger. Text request lines read
 * `2026-12-04T20:31:00.123Z POST /ice ice 200 12ms req=3f2a9c1b04de`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const sink = options.sink ?? stdoutSink();
  const now = options.now ?? (() => new Date());

  const minRank = LEVEL_RANK[options.minLevel ?? 'info'];
  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < minRank) return;
    const time = now().toISOString();
    if (options.format === 'json') {
      sink(JSON.stringify({ time, level, msg: message, ...fields }));
    } else {
      sink(`${time} ${level.toUpperCase().padEnd(5)} ${message}${formatFields(fields)}`);
    }
  };

  return {
    request(record) {
      const time = now().toISOString();
      const duration = Math.round(record.durationMs);
      if (options.format === 'json') {
        sink(JSON.stringify({ time, level: 'info', msg: 'request', ...record, durationMs: duration }));
      } else {
        sink(
          `${time} ${record.method} ${record.path} ${record.exportName} ${record.status} ` +
            `${duration}ms req=${record.requestId}`,
        );
      }
    },
    log,
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
