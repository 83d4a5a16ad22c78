/**
 * Start, stop and restart the runtime of a function project, with or without the debugger.
 * Failures the user must act on (trust, a busy port, a runtime that will not start) get one
 * message with the action that helps; the rest goes to the log.
 */
import * as vscode from 'vscode';
import { showTrustMessage } from '../debug/debug-provider';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import { errorMessage } from '../log/channels';
import { StartCancelledError, TrustRequiredError, type RuntimeManager } from '../runtime/runtime-manager';
import { resolveProjectDir } from './targets';

export function registerRuntimeCommands(
  runtimes: RuntimeManager,
  registry: EndpointRegistry,
  runtimeLog: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const withProject = (action: (projectDir: string) => Promise<unknown>) => async (arg?: unknown) => {
    const projectDir = await resolveProjectDir(registry, arg);
    if (!projectDir) return undefined;
    try {
      return await action(projectDir);
    } catch (error) {
      await reportStartFailure(error, runtimeLog);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand(
      'sinchFunctions.startRuntime',
      withProject(async (dir) => (await runtimes.ensureRunning(dir)).status),
    ),
    vscode.commands.registerCommand(
      'sinchFunctions.debugRuntime',
      withProject(async (dir) => (await runtimes.ensureDebugging(dir)).status),
    ),
    vscode.commands.registerCommand(
      'sinchFunctions.restartRuntime',
      withProject(async (dir) => (await runtimes.restart(dir)).status),
    ),
    vscode.commands.registerCommand('sinchFunctions.stopRuntime', async (arg?: unknown) => {
      const running = runtimes.list();
      if (arg === undefined && running.length === 1) return runtimes.stop(running[0].projectDir);
      const projectDir = await resolveProjectDir(registry, arg);
      if (projectDir) await runtimes.stop(projectDir);
    }),
    vscode.commands.registerCommand('sinchFunctions.showRuntimeLog', () => runtimeLog.show(true)),
  ];
}

/** Tells the user why the runtime did not start, when they can do something about it. */
export async function reportStartFailure(error: unknown, runtimeLog: vscode.LogOutputChannel): Promise<void> {
  if (error instanceof TrustRequiredError) {
    await showTrustMessage(error.message);
    return;
  }
  // The user already answered the busy-port message.
  if (error instanceof StartCancelledError) return;
  runtimeLog.error(errorMessage(error));
  const choice = await vscode.window.showErrorMessage(errorMessage(error), 'Open Log');
  if (choice) runtimeLog.show(true);
}
