/**
 * "Run endpoint" and "Debug endpoint" (the code lens and tree commands), and "Compose Request".
 * Run starts the runtime without the debugger when none runs; Debug starts or reuses a debug
 * session. Both send the endpoint's saved request, or its default, and show the response in the
 * Request view. The command returns the outcome, which tests and other extensions can read.
 */
import * as vscode from 'vscode';
import { Commands } from '../../../common/src/protocol';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import type { RequestController, SendMode, SendOutcome } from '../request/request-controller';
import type { RequestViewProvider } from '../views/request-view';
import { reportStartFailure } from './runtime-commands';
import { resolveEndpointTarget } from './targets';

export function registerEndpointCommands(
  registry: EndpointRegistry,
  requests: RequestController,
  requestView: RequestViewProvider,
  runtimeLog: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const run = (mode: SendMode) => async (arg?: unknown): Promise<SendOutcome | undefined> => {
    const target = await resolveEndpointTarget(registry, arg);
    if (!target) return undefined;
    void requestView.reveal();
    try {
      return await requests.runEndpoint(target.projectDir, target.exportName, mode);
    } catch (error) {
      await reportStartFailure(error, runtimeLog);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand(Commands.runEndpoint, run('run')),
    vscode.commands.registerCommand(Commands.debugEndpoint, run('debug')),
    vscode.commands.registerCommand('sinchFunctions.composeRequest', async (arg?: unknown) => {
      const target = await resolveEndpointTarget(registry, arg);
      if (!target) return;
      await requests.selectEndpoint(target.projectDir, target.exportName);
      await requestView.reveal();
    }),
    vscode.commands.registerCommand('sinchFunctions.refreshEndpoints', () => registry.refreshAll()),
  ];
}
