/**
 * Command-line parsing for `sinch-functions-dev`. Parsing never exits the process: it returns
 * the options or throws a `UsageError` whose message names the bad value and the fix.
 */

export type LogFormat = 'text' | 'json';

export interface CliOptions {
  projectDir: string;
  port: number;
  host: string;
  entry?: string;
  inspect?: { host: string; port: number };
  logFormat: LogFormat;
  /** Seconds a handler may run before the request answers 504. */
  timeoutSeconds: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  statusFile?: string;
  help: boolean;
}

export class UsageError extends Error {}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_BODY_LIMIT = '1mb';
const DEFAULT_INSPECT_PORT = 9229;
/** Largest timeout a Node timer can hold (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export const HELP_TEXT = `Usage: sinch-functions-dev [projectDir] [options]

Serves a Sinch Functions project (function.ts or function.js) on localhost the way the
platform does, and reloads it on every save.

       sinch-functions-dev simulate <projectDir|url> [options]

Plays a phone call against the project's voice function; see simulate --help.

Options:
  --port <n>               TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host <address>         address to bind (default ${DEFAULT_HOST})
  --entry <file>           entry file, relative to the project (default function.ts,
                           else function.js, else "entry" in sinch.json)
  --inspect[=[host:]port]  start the Node inspector (default port ${DEFAULT_INSPECT_PORT})
  --log-format text|json   one text line or one JSON object per log record (default text)
  --timeout <seconds>      time a handler may run before the request answers 504 (default ${DEFAULT_TIMEOUT_SECONDS})
  --body-limit <size>      largest request body, such as 100kb or 2mb (default ${DEFAULT_BODY_LIMIT})
  --status-file <path>     write the runtime's state (port, routes, errors) as JSON to this file
  --help                   print this help and exit
`;

/** Parses a size such as `1mb`, `100kb` or `512` (bytes) into bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) {
    throw new UsageError(`Invalid size "${text}": use a number of bytes or a value such as 100kb or 2mb.`);
  }
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Math.floor(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
}

function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`Invalid ${flag} "${text}": use a whole number from 0 to 65535.`);
  }
  return port;
}

function parseInspect(value: string | undefined): { host: string; port: number } {
  if (value === undefined || value === '') return { host: DEFAULT_HOST, port: DEFAULT_INSPECT_PORT };
  const separator = value.lastIndexOf(':');
  if (separator === -1) return { host: DEFAULT_HOST, port: parsePort(value, '--inspect port') };
  return {
    host: value.slice(0, separator) || DEFAULT_HOST,
    port: parsePort(value.slice(separator + 1), '--inspect port'),
  };
}

const KNOWN_OPTIONS = ['--port', '--host', '--entry', '--inspect', '--log-format', '--timeout', '--body-limit', '--status-file', '--help'];

/** Number of single-character edits that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known option within two edits of `flag` (a typo such as `--prot`), if there is one. */
function closestOption(flag: string): string | undefined {
  let best: { option: string; distance: number } | undefined;
  for (const option of KNOWN_OPTIONS) {
    const distance = editDistance(flag, option);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { option, distance };
  }
  return best?.option;
}

/** One command-line argument, split into its flag and an inline `--flag=value` value. */
export interface ArgumentReader {
  arg: string;
  flag: string;
  inlineValue: string | undefined;
  /** Returns the flag's value, inline or from the next argument, which it then consumes. */
  takeValue(): string;
}

/**
 * Walks `argv` one argument at a time. `helpName` is the help option named in the error for a
 * flag whose value is missing, such as `--help` or `simulate --help`.
 */
export function* readArguments(argv: readonly string[], helpName: string): Generator<ArgumentReader> {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    const inlineValue = arg.startsWith('--') && equals !== -1 ? arg.slice(equals + 1) : undefined;
    const takeValue = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`Missing value for ${flag}: see ${helpName}.`);
      }
      index++;
      return next;
    };
    yield { arg, flag, inlineValue, takeValue };
  }
}

/** Parses `argv` (without the node and script paths). */
export function parseArgs(argv: readonly string[], cwd: string = process.cwd()): CliOptions {
  const options: CliOptions = {
    projectDir: cwd,
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    logFormat: 'text',
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    bodyLimitBytes: parseSize(DEFAULT_BODY_LIMIT),
    help: false,
  };
  let projectDirSeen = false;

  for (const { arg, flag, inlineValue, takeValue } of readArguments(argv, '--help')) {
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--port':
        options.port = parsePort(takeValue(), '--port');
        break;
      case '--host': {
        const host = takeValue().trim();
        // Node binds an empty host to every interface, which is the opposite of the local default.
        if (host === '') throw new UsageError('Invalid --host "": give an address such as 127.0.0.1.');
        options.host = host;
        break;
      }
      case '--entry':
        options.entry = takeValue();
        break;
      case '--inspect':
        options.inspect = parseInspect(inlineValue);
        break;
      case '--log-format': {
        const format = takeValue();
        if (format !== 'text' && format !== 'json') {
          throw new UsageError(`Invalid --log-format "${format}": use text or json.`);
        }
        options.logFormat = format;
        break;
      }
      case '--timeout': {
        const text = takeValue();
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
          throw new UsageError(`Invalid --timeout "${text}": use a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}.`);
        }
        options.timeoutSeconds = seconds;
        break;
      }
      case '--body-limit':
        options.bodyLimitBytes = parseSize(takeValue());
        break;
      case '--status-file':
        options.statusFile = takeValue();
        break;
      default:
        if (arg.startsWith('-')) {
          const suggestion = closestOption(flag);
          throw new UsageError(`Unknown option ${arg}: ${suggestion ? `did you mean ${suggestion}? ` : ''}See --help.`);
        }
        if (projectDirSeen) {
          throw new UsageError(`Unexpected argument "${arg}": give one project folder at most.`);
        }
        options.projectDir = arg;
        projectDirSeen = true;
    }
  }
  return options;
}
