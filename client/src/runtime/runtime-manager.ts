/**
 * Owns one runtime per function project folder (multi-root: each folder gets its own runtime and
 * port). Run starts a child process; Debug starts, or reuses, a JavaScript-debugger session whose
 * configuration the debug provider builds from `prepareDebugLaunch`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../debug/launch-config';
import { readRuntimeSettings } from '../settings';
import { findFreePort, isPortFree } from './ports';
import { RuntimeInstance, RuntimeExitedError, type RuntimeMode } from './runtime-instance';
import { runtimeArgs, validateSettings } from './runtime-options';
import type { RuntimeStatus } from './status-document';
import type { LineLevel } from './log-lines';

/** How long a runtime may take from start to its first status report. */
export const START_TIMEOUT_MS = 30_000;
/** The debugger adds the adapter's start-up; allow it more time. */
export const DEBUG_START_TIMEOUT_MS = 60_000;
/** How long a stopped runtime may take to exit before it is signalled, per signal. */
const EXIT_GRACE_MS = 3000;
/** The runtime's exit code for a port that is already in use. */
const EXIT_PORT_IN_USE = 2;

export interface BusyPortEvent {
  projectDir: string;
  host: string;
  port: number;
  freePort: number;
}

export class TrustRequiredError extends Error {}
export class StartCancelledError extends Error {}

export class RuntimeManager implements vscode.Disposable {
  private readonly instances = new Map<string, RuntimeInstance>();
  private readonly statusFiles = new StatusFolder();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly busyPort = new vscode.EventEmitter<BusyPortEvent>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.busyPort];
  readonly onDidChange = this.changed.event;
  /** Fires when another program uses a runtime's port, just before the user is asked what to do. */
  readonly onDidFindBusyPort = this.busyPort.event;

  constructor(
    private readonly cliPath: string,
    private readonly runtimeLog: vscode.LogOutputChannel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((session) => this.onSessionStarted(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.onSessionEnded(session)),
    );
  }

  get(projectDir: string): RuntimeInstance | undefined {
    const instance = this.instances.get(path.resolve(projectDir));
    return instance && instance.state !== 'stopped' ? instance : undefined;
  }

  list(): RuntimeInstance[] {
    return [...this.instances.values()].filter((instance) => instance.state !== 'stopped');
  }

  /** Returns a started runtime for the folder, starting a child process when none runs. */
  async ensureRunning(projectDir: string): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    const existing = this.get(projectDir);
    if (existing) return { instance: existing, status: await existing.whenStarted(timeoutFor(existing.mode)) };
    return this.start(projectDir, 'run');
  }

  /** Returns a runtime under the debugger, replacing a runtime that runs without it. */
  async ensureDebugging(projectDir: string): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    const existing = this.get(projectDir);
    if (existing?.mode === 'debug') return { instance: existing, status: await existing.whenStarted(DEBUG_START_TIMEOUT_MS) };
    return this.start(projectDir, 'debug');
  }

  async start(projectDir: string, mode: RuntimeMode): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    requireTrust();
    const dir = path.resolve(projectDir);
    await this.stop(dir);
    if (mode === 'debug') return this.startDebugSession(dir);

    const plan = await this.planLaunch(dir);
    const instance = this.register(new RuntimeInstance(dir, 'run', plan.statusFile, plan.port, plan.host, this.output(dir)));
    this.log.info(`Starting the runtime for ${dir} on ${plan.host}:${plan.port}.`);
    instance.startProcess(this.cliPath, runtimeArgs({ projectDir: dir, ...plan }));
    try {
      const status = await instance.whenStarted(START_TIMEOUT_MS);
      this.log.info(`The runtime for ${dir} is ${status.state} at ${status.url}.`);
      return { instance, status };
    } catch (error) {
      if (error instanceof RuntimeExitedError && isPortInUse(error)) {
        // Another program took the port between the check and the start.
        const retry = await this.offerFreePort(dir, plan.host, plan.port);
        if (retry !== undefined) return this.startWithPort(dir, retry);
        throw new StartCancelledError(`Port ${plan.port} on ${plan.host} is in use.`);
      }
      await instance.stop();
      throw error;
    }
  }

  /**
   * Stops the folder's runtime and waits until its process has exited, also when a debug session
   * already ended without it, so the port is free for the next start.
   */
  async stop(projectDir: string): Promise<void> {
    const instance = this.instances.get(path.resolve(projectDir));
    if (!instance) return;
    if (instance.state !== 'stopped') {
      this.log.info(`Stopping the runtime for ${instance.projectDir}.`);
      await instance.stop();
    }
    await instance.waitForExit(EXIT_GRACE_MS);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((instance) => instance.stop()));
  }

  async restart(projectDir: string): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    const mode = this.get(projectDir)?.mode ?? 'run';
    return this.start(projectDir, mode);
  }

  /**
   * Called by the debug provider while it resolves a `sinch-functions` configuration: stops a
   * runtime that runs without the debugger, picks the port, and registers the instance that the
   * coming debug session reports into. Returns undefined when the user cancelled.
   */
  async prepareDebugLaunch(projectDir: string, port: number, host: string): Promise<{ port: number; statusFile: string } | undefined> {
    requireTrust();
    const dir = path.resolve(projectDir);
    await this.stop(dir);
    const chosen = await this.choosePort(dir, host, port);
    if (chosen === undefined) return undefined;
    const instance = this.register(new RuntimeInstance(dir, 'debug', this.statusFiles.fileFor(dir), chosen, host, this.output(dir)));
    instance.watchStatusFile();
    // A launch that never produces a session (the debugger failed to start Node, the user
    // cancelled) must not leave the runtime shown as starting.
    instance.whenStarted(DEBUG_START_TIMEOUT_MS).catch((error: unknown) => {
      if (instance.session) return;
      this.log.warn(`The debug session for ${dir} did not start: ${error instanceof Error ? error.message : String(error)}`);
      instance.markStopped(null);
    });
    return { port: chosen, statusFile: instance.statusFile };
  }

  /** Routes a line of debug output to the runtime of the session's project. */
  writeDebugOutput(projectDir: string, text: string): void {
    const instance = this.get(projectDir);
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) {
      if (instance) instance.writeLine(line);
      else this.runtimeLog.info(line);
    }
  }

  private async startWithPort(dir: string, port: number): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    const plan = { ...(await this.planLaunch(dir, port)) };
    const instance = this.register(new RuntimeInstance(dir, 'run', plan.statusFile, plan.port, plan.host, this.output(dir)));
    instance.startProcess(this.cliPath, runtimeArgs({ projectDir: dir, ...plan }));
    return { instance, status: await instance.whenStarted(START_TIMEOUT_MS) };
  }

  private async startDebugSession(dir: string): Promise<{ instance: RuntimeInstance; status: RuntimeStatus }> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
    const configuration = {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Debug ${path.basename(dir)}`,
      projectDir: dir,
    };
    const started = await vscode.debug.startDebugging(folder, configuration);
    const instance = this.get(dir);
    if (!started || !instance) {
      instance?.markStopped(null);
      throw new StartCancelledError(`The debug session for ${dir} did not start: see the Debug Console.`);
    }
    return { instance, status: await instance.whenStarted(DEBUG_START_TIMEOUT_MS) };
  }

  private async planLaunch(dir: string, forcedPort?: number) {
    const settings = readRuntimeSettings(vscode.Uri.file(dir));
    const invalid = validateSettings(settings);
    if (invalid) throw new Error(invalid);
    const port = forcedPort ?? (await this.choosePort(dir, settings.host, settings.port));
    if (port === undefined) throw new StartCancelledError(`Port ${settings.port} on ${settings.host} is in use.`);
    return {
      port,
      host: settings.host,
      entry: settings.entry || undefined,
      requestTimeoutSeconds: settings.requestTimeoutSeconds,
      statusFile: this.statusFiles.fileFor(dir),
    };
  }

  /**
   * Picks the port for a folder: the configured one, the next free one when another of our
   * runtimes has it, or, when another program uses it, the port the user accepts.
   */
  private async choosePort(dir: string, host: string, port: number): Promise<number | undefined> {
    if (port === 0) return 0;
    const ours = this.list().some((instance) => instance.projectDir !== dir && (instance.status?.port ?? instance.requestedPort) === port);
    if (ours) {
      const free = await findFreePort(host);
      this.log.info(`Port ${port} is used by another function folder's runtime; ${dir} uses port ${free}.`);
      return free;
    }
    if (await isPortFree(host, port)) return port;
    return this.offerFreePort(dir, host, port);
  }

  private async offerFreePort(dir: string, host: string, port: number): Promise<number | undefined> {
    const free = await findFreePort(host);
    this.log.warn(`Port ${port} on ${host} is in use by another program; offering port ${free} for ${dir}.`);
    this.output(dir)('warn', `Port ${port} on ${host} is in use by another program; the runtime did not start. Port ${free} is free.`);
    this.busyPort.fire({ projectDir: dir, host, port, freePort: free });
    const useFree = `Use Port ${free}`;
    const choice = await vscode.window.showWarningMessage(
      `Port ${port} on ${host} is already in use by another program, so the Sinch Functions runtime for ${path.basename(dir)} cannot listen there.`,
      useFree,
      'Change Setting',
    );
    if (choice === useFree) return free;
    if (choice === 'Change Setting') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'sinchFunctions.runtime.port');
    }
    return undefined;
  }

  private register(instance: RuntimeInstance): RuntimeInstance {
    this.instances.get(instance.projectDir)?.dispose();
    this.instances.set(instance.projectDir, instance);
    instance.onDidChange(() => {
      if (instance.state === 'stopped') this.log.info(`The runtime for ${instance.projectDir} stopped.`);
      else if (instance.state === 'error' && instance.status?.error) {
        const error = instance.status.error;
        const where = error.file ? ` (${error.file}${error.line ? `:${error.line}` : ''})` : '';
        this.log.warn(`The runtime for ${instance.projectDir} could not load the function${where}: ${error.message}`);
      }
      this.changed.fire();
    });
    this.changed.fire();
    return instance;
  }

  private output(dir: string): (level: LineLevel, text: string) => void {
    return (level, text) => {
      // Counting only the other folders' runtimes keeps the prefix on this runtime's last lines,
      // which arrive after it reported itself stopped.
      const othersRunning = this.list().some((instance) => instance.projectDir !== dir);
      const prefix = othersRunning ? `[${path.basename(dir)}] ` : '';
      const line = `${prefix}${text}`;
      if (level === 'error') this.runtimeLog.error(line);
      else if (level === 'warn') this.runtimeLog.warn(line);
      else if (level === 'debug') this.runtimeLog.debug(line);
      else this.runtimeLog.info(line);
    };
  }

  private onSessionStarted(session: vscode.DebugSession): void {
    const dir = projectDirOfSession(session);
    if (!dir || projectDirOfSession(session.parentSession)) return;
    const instance = this.get(dir);
    if (instance?.mode === 'debug' && !instance.session) instance.attachSession(session);
  }

  private onSessionEnded(session: vscode.DebugSession): void {
    for (const instance of this.instances.values()) {
      if (instance.session?.id !== session.id) continue;
      instance.markStopped(null);
      // The runtime may outlive its session for a moment; the next start waits for this.
      void instance.waitForExit(EXIT_GRACE_MS);
    }
  }

  /** The folder of this manager's status files, once the first runtime started. */
  get statusFolder(): string | undefined {
    return this.statusFiles.path;
  }

  dispose(): void {
    for (const instance of this.instances.values()) instance.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.statusFiles.remove();
  }
}

/** Returns the project folder that the debug provider recorded in a session's configuration. */
export function projectDirOfSession(session: vscode.DebugSession | undefined): string | undefined {
  const value = session?.configuration.sinchProjectDir;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Status files live in one folder per manager under the system's temporary folder, so disposing
 * the manager (the extension deactivating) removes whatever a killed runtime left behind.
 */
class StatusFolder {
  private folder: string | undefined;
  private count = 0;

  /** Returns a fresh file path for one runtime of a project; each start gets its own file. */
  fileFor(projectDir: string): string {
    this.folder ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-functions-'));
    const hash = createHash('sha256').update(projectDir).digest('hex').slice(0, 12);
    this.count++;
    return path.join(this.folder, `${hash}-${this.count}.json`);
  }

  /** The folder, once a status file was handed out. */
  get path(): string | undefined {
    return this.folder;
  }

  remove(): void {
    if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }
}

/**
 * True when the runtime stopped because its port was taken: exit code 2 as documented, or the
 * runtime's "already in use" message, which some versions print with exit code 1.
 */
function isPortInUse(error: RuntimeExitedError): boolean {
  return error.exitCode === EXIT_PORT_IN_USE || /already in use|EADDRINUSE/.test(error.message);
}

function timeoutFor(mode: RuntimeMode): number {
  return mode === 'debug' ? DEBUG_START_TIMEOUT_MS : START_TIMEOUT_MS;
}

function requireTrust(): void {
  if (!vscode.workspace.isTrusted) {
    throw new TrustRequiredError(
      'Starting the Sinch Functions runtime runs this folder\'s code, so it needs a trusted workspace. Diagnostics, lenses and the endpoint list work without trust.',
    );
  }
}

