/**
 * One function project's runtime: either a child process (Run) or a program under the JavaScript
 * debugger (Debug). It tracks the runtime's state from the runtime's own reports (IPC messages
 * for a child process, the status file for a debug session) and forwards its log lines.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseLogLine, type LineLevel } from './log-lines';
import { parseStateMessage, parseStatus, type RuntimeStatus } from './status-document';

export type RuntimeMode = 'run' | 'debug';
export type InstanceState = 'starting' | 'ready' | 'error' | 'stopped';

/** How often the status file is polled during a debug session, in milliseconds. */
const STATUS_POLL_MS = 150;
/** Lines of stderr kept to explain a runtime that exits before it is ready. */
const STDERR_TAIL = 20;

export class RuntimeExitedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

export class RuntimeInstance implements vscode.Disposable {
  state: InstanceState = 'starting';
  status: RuntimeStatus | undefined;
  child: ChildProcess | undefined;
  session: vscode.DebugSession | undefined;
  exitCode: number | null = null;
  private readonly stderrTail: string[] = [];
  private readonly changed = new vscode.EventEmitter<RuntimeInstance>();
  private watching = false;
  private readonly statusFileListener = (): void => this.readStatusFile();
  private lastLevel: LineLevel = 'info';
  private exited: Promise<void> | undefined;
  readonly onDidChange = this.changed.event;

  constructor(
    readonly projectDir: string,
    readonly mode: RuntimeMode,
    readonly statusFile: string,
    /** The port the runtime was asked to use; the status document has the real one. */
    readonly requestedPort: number,
    readonly host: string,
    private readonly output: (level: LineLevel, text: string) => void,
  ) {
    fs.rmSync(statusFile, { force: true });
  }

  /** The URL the runtime really listens on, once it reported it. */
  get baseUrl(): string | undefined {
    return this.status?.url || undefined;
  }

  get label(): string {
    return this.status && Number.isFinite(this.status.port) ? `:${this.status.port}` : '';
  }

  startProcess(cliPath: string, args: string[]): void {
    const child = fork(cliPath, args, {
      cwd: this.projectDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NO_COLOR: '1' },
      execArgv: [],
    });
    this.child = child;
    child.on('message', (message) => {
      const status = parseStateMessage(message);
      if (status) this.applyStatus(status);
    });
    forEachLine(child.stdout, (line) => this.writeLine(line));
    forEachLine(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      this.output('error', line);
    });
    child.on('error', (error) => {
      this.output('error', `The runtime process failed: ${error.message}`);
      this.markStopped(null);
    });
    child.on('exit', (code) => this.markStopped(code));
  }

  /** Follows the status file that a runtime under the debugger writes. */
  watchStatusFile(): void {
    if (this.watching) return;
    this.watching = true;
    fs.watchFile(this.statusFile, { interval: STATUS_POLL_MS }, this.statusFileListener);
  }

  attachSession(session: vscode.DebugSession): void {
    this.session = session;
  }

  /** Feeds one line of the runtime's output (stdout from a child, or debug output events). */
  writeLine(line: string): void {
    const parsed = parseLogLine(line, this.lastLevel);
    this.lastLevel = parsed.level;
    this.output(parsed.level, parsed.text);
  }

  stderrSummary(): string {
    return this.stderrTail.slice(-5).join('\n');
  }

  /** Resolves once the runtime is ready or reported a load error; rejects when it stops first. */
  whenStarted(timeoutMs: number): Promise<RuntimeStatus> {
    if (this.isListening() && this.status) return Promise.resolve(this.status);
    if (this.state === 'stopped') return Promise.reject(this.exitError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`The runtime for ${this.projectDir} did not report ready within ${timeoutMs / 1000} s: see the Sinch Functions Runtime log.`));
      }, timeoutMs);
      const listener = this.onDidChange(() => {
        if (this.isListening() && this.status) {
          clearTimeout(timer);
          listener.dispose();
          resolve(this.status);
        } else if (this.state === 'stopped') {
          clearTimeout(timer);
          listener.dispose();
          reject(this.exitError());
        }
      });
    });
  }

  /**
   * True once the runtime serves requests: its state is ready (or error, which still serves the
   * previous code) and it reported the address it listens on. The runtime reports `ready` once
   * before it binds the port, with no URL, so the state alone is not enough.
   */
  isListening(): boolean {
    const status = this.status;
    return (this.state === 'ready' || this.state === 'error') && status !== undefined && status.url !== '' && Number.isFinite(status.port);
  }

  /** Stops the runtime and resolves when it is gone. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.session) {
      await vscode.debug.stopDebugging(this.session);
    } else if (this.child && this.child.exitCode === null) {
      const child = this.child;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    this.markStopped(this.exitCode);
  }

  /**
   * Resolves once the runtime's process is gone, so its port is free for the next start. A
   * debug session can end while the runtime it launched still shuts down, or keeps running: that
   * process (the pid from its status) gets SIGTERM after `graceMs`, then SIGKILL after as long.
   * The first call decides: later calls return its promise, so a pid checked once is never
   * signalled again after the system may have reused it.
   */
  waitForExit(graceMs: number): Promise<void> {
    this.exited ??= this.awaitExit(graceMs);
    return this.exited;
  }

  private async awaitExit(graceMs: number): Promise<void> {
    if (this.child) {
      const child = this.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return;
    }
    const pid = this.status?.pid;
    if (this.mode !== 'debug' || !pid || pid === process.pid) return;
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (await waitUntilGone(pid, graceMs)) return;
      this.output('warn', `The runtime process ${pid} is still running after its debug session ended; sending ${signal}.`);
      try {
        process.kill(pid, signal);
      } catch {
        return;
      }
    }
    await waitUntilGone(pid, graceMs);
  }

  markStopped(code: number | null): void {
    // The runtime reports "stopped" itself before it exits, so the file goes even when the
    // state already reads stopped.
    fs.rmSync(this.statusFile, { force: true });
    if (this.state === 'stopped') return;
    this.exitCode = code;
    this.state = 'stopped';
    this.unwatch();
    this.changed.fire(this);
  }

  private exitError(): RuntimeExitedError {
    const detail = this.stderrSummary();
    const message =
      `The runtime for ${this.projectDir} stopped before it was ready` +
      (this.exitCode !== null ? ` (exit code ${this.exitCode})` : '') +
      (detail ? `: ${detail}` : '.');
    return new RuntimeExitedError(message, this.exitCode);
  }

  private readStatusFile(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.statusFile, 'utf8');
    } catch {
      return;
    }
    const status = parseStatus(text);
    if (status) this.applyStatus(status);
  }

  private applyStatus(status: RuntimeStatus): void {
    if (this.state === 'stopped') return;
    const previous = this.status;
    this.status = status;
    this.state = status.state;
    if (status.state === 'stopped') this.unwatch();
    if (previous?.state !== status.state || previous?.generation !== status.generation || previous?.port !== status.port) {
      this.changed.fire(this);
    }
  }

  private unwatch(): void {
    if (!this.watching) return;
    this.watching = false;
    // Only this instance's listener: a newer instance for the same folder watches the same path.
    fs.unwatchFile(this.statusFile, this.statusFileListener);
  }

  dispose(): void {
    this.unwatch();
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    this.changed.dispose();
    fs.rmSync(this.statusFile, { force: true });
  }
}

/** How often `waitUntilGone` checks a process, in milliseconds. */
const EXIT_POLL_MS = 50;

/** Resolves true once no process has `pid`, or false after `timeoutMs`. */
async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      // EPERM means a process exists that we may not signal, so it is not ours any more.
      return (error as NodeJS.ErrnoException).code === 'ESRCH' || (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
  }
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
  });
}
