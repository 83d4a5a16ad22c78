/**
 * Starts the runtime for a project folder as a child process on a free port, so the simulator
 * talks to it over HTTP exactly as to a runtime started by hand. The child's output is passed to
 * a sink line by line; `stop` ends the child by its pid and waits for it to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface LaunchedRuntime {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  cliPath: string;
  projectDir: string;
  inspect?: string;
  timeoutSeconds?: number;
  /** Receives each line the runtime prints. */
  onLine?: (line: string) => void;
}

/** Seconds a handler may run under the inspector, so a breakpoint does not end the request. */
export const INSPECT_TIMEOUT_SECONDS = 3600;

export function launchRuntime(options: LaunchOptions): Promise<LaunchedRuntime> {
  const args = [options.cliPath, options.projectDir, '--port', '0', '--host', '127.0.0.1'];
  if (options.inspect !== undefined) args.push(options.inspect === '' ? '--inspect' : `--inspect=${options.inspect}`);
  const timeout = options.timeoutSeconds ?? (options.inspect !== undefined ? INSPECT_TIMEOUT_SECONDS : undefined);
  if (timeout !== undefined) args.push('--timeout', String(timeout));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  return new Promise((resolve, reject) => {
    let output = '';
    const before: string[] = [];
    let url: string | undefined;
    let inRouteTable = false;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    const onChunk = (chunk: Buffer) => {
      output += chunk.toString();
      let newline = output.indexOf('\n');
      while (newline !== -1) {
        const line = output.slice(0, newline);
        output = output.slice(newline + 1);
        const listening = /^Listening on (http:\/\/\S+)/.exec(line);
        if (url === undefined && listening !== null) {
          url = listening[1];
          inRouteTable = true;
          resolve({ url, child, stop });
        } else if (url === undefined) {
          before.push(line);
        } else if (!(inRouteTable && /^\s/.test(line))) {
          // The route table printed right after the ready line is left out; the log follows.
          inRouteTable = false;
          options.onLine?.(line);
        }
        newline = output.indexOf('\n');
      }
    };
    child.stdout!.on('data', onChunk);
    child.stderr!.on('data', onChunk);
    child.once('error', (error) => reject(new Error(`Cannot start the runtime: ${error.message}`)));
    child.once('exit', (code) => {
      if (url === undefined) reject(new Error(`The runtime for ${options.projectDir} exited with code ${code} before it listened. ${[...before, output].join('\n').trim()}`));
    });
  });
}
