/**
 * The runtime's command line, built from the extension's settings. Both ways of starting the
 * runtime (a child process for Run, a JavaScript-debugger launch for Debug) use these arguments,
 * so the two cannot drift apart. No `vscode` import: the settings arrive as plain data.
 */

export type AuthBehaviour = 'fromEnv' | 'ask' | 'none';

export interface RuntimeSettings {
  /** TCP port for the first runtime; another function folder gets the next free port. */
  port: number;
  host: string;
  /** Entry file relative to the project; empty means the runtime's own search order. */
  entry: string;
  /** Seconds a handler may run before the runtime answers 504. */
  requestTimeoutSeconds: number;
  /** Where credentials for endpoints listed in `export const auth` come from. */
  auth: AuthBehaviour;
}

export const DEFAULT_SETTINGS: RuntimeSettings = {
  port: 3000,
  host: '127.0.0.1',
  entry: '',
  requestTimeoutSeconds: 30,
  auth: 'fromEnv',
};

export interface RuntimeLaunchOptions {
  projectDir: string;
  port: number;
  host: string;
  entry?: string;
  requestTimeoutSeconds?: number;
  statusFile: string;
}

/** Checks settings read from the user's configuration; returns a message naming the bad value. */
export function validateSettings(settings: RuntimeSettings): string | undefined {
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) {
    return `Invalid sinchFunctions.runtime.port ${settings.port}: use a whole number from 0 to 65535 (0 picks a free port).`;
  }
  if (settings.host.trim() === '') {
    return 'Invalid sinchFunctions.runtime.host: it is empty; use 127.0.0.1.';
  }
  if (!(settings.requestTimeoutSeconds > 0)) {
    return `Invalid sinchFunctions.requestTimeout ${settings.requestTimeoutSeconds}: use a number of seconds above 0.`;
  }
  if (settings.entry.includes('..')) {
    return `Invalid sinchFunctions.runtime.entry "${settings.entry}": name a file inside the project.`;
  }
  return undefined;
}

/** Returns the arguments that follow the runtime's script path. */
export function runtimeArgs(options: RuntimeLaunchOptions): string[] {
  const args = [
    options.projectDir,
    '--port',
    String(options.port),
    '--host',
    options.host,
    '--status-file',
    options.statusFile,
    '--log-format',
    'text',
  ];
  if (options.entry) args.push('--entry', options.entry);
  if (options.requestTimeoutSeconds !== undefined) args.push('--timeout', String(options.requestTimeoutSeconds));
  return args;
}

/** The URL clients use to reach a runtime; IPv6 literals get brackets. */
export function baseUrlOf(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  // 0.0.0.0 and :: are bind-all addresses, not addresses to connect to.
  const target = bracketed === '0.0.0.0' ? '127.0.0.1' : bracketed === '[::]' ? '[::1]' : bracketed;
  return `http://${target}:${port}`;
}
