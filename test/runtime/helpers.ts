/**
 * Helpers for runtime tests: throwaway projects on disk, a runtime driven without a socket, and
 * the built CLI started as a real process on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import inject = require('light-my-request');
import { Runtime, type RuntimeOptions, type RuntimeStatus } from '../../runtime/src/app';
import { createLogger } from '../../runtime/src/log';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'runtime', 'cli.js');
export const examplesDir = path.join(repoRoot, 'examples');

/** Creates a project folder from a map of relative paths to file contents. */
export function makeProject(files: Record<string, string>, folderName = 'project'): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sfd-test-'));
  const dir = path.join(base, folderName);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export interface TestRuntime {
  runtime: Runtime;
  lines: string[];
  request(options: inject.InjectOptions): Promise<inject.Response>;
  close(): Promise<void>;
}

/** Starts a runtime on a project without opening a socket; requests go through `inject`. */
export async function startRuntime(dir: string, options: Partial<RuntimeOptions> = {}): Promise<TestRuntime> {
  const lines: string[] = [];
  const runtime = new Runtime({
    projectDir: dir,
    logger: createLogger({ format: 'text', sink: (line) => lines.push(line) }),
    timeoutSeconds: 30,
    bodyLimitBytes: 1024 * 1024,
    watch: false,
    ...options,
  });
  await runtime.start();
  return {
    runtime,
    lines,
    request: (requestOptions) => inject(runtime.app, requestOptions),
    close: () => runtime.close(),
  };
}

export interface RuntimeProcess {
  child: ChildProcess;
  statusFile: string;
  output: () => string;
  url: string;
  status(): RuntimeStatus;
  /** Resolves when the output contains `text` (checked on every chunk), or rejects on timeout. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** Starts the built CLI on a project with `--port 0` and waits until it listens. */
export async function startCli(dir: string, args: string[] = []): Promise<RuntimeProcess> {
  const statusFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfd-status-')), 'status.json');
  const child = spawn(process.execPath, [cliPath, dir, '--port', '0', '--status-file', statusFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    for (const waiter of [...waiters]) waiter();
  });

  const waitForOutput = (text: string | RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const matches = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      const check = () => {
        if (matches()) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        } else if (exited) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`Runtime exited before printing ${text}. Output:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`Timed out waiting for ${text}. Output:\n${output}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  await waitForOutput(/Listening on (http:\/\/\S+)/);
  const url = /Listening on (http:\/\/\S+)/.exec(output)![1];
  return {
    child,
    statusFile,
    output: () => output,
    url,
    status: () => JSON.parse(fs.readFileSync(statusFile, 'utf8')) as RuntimeStatus,
    waitForOutput,
    stop: () =>
      new Promise((resolve) => {
        if (exited) {
          resolve(child.exitCode);
          return;
        }
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Runs the built CLI to completion and returns its exit code and output. */
export function runCli(args: string[], timeoutMs = 10_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export function postJson(url: string, body: unknown): Promise<globalThis.Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
