/**
 * The `sinch-functions` debug type: launch.json snippets, F5 with no launch.json, and the
 * resolution of a `sinch-functions` configuration into a JavaScript-debugger launch of the
 * runtime (see `launch-config.ts` for the mapping itself).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { errorMessage } from '../log/channels';
import { findProjectRoot } from '../runtime/project-root';
import { TrustRequiredError, type RuntimeManager } from '../runtime/runtime-manager';
import { readRuntimeSettings } from '../settings';
import {
  completeConfiguration,
  isImplicitConfiguration,
  defaultSinchConfiguration,
  resolveLaunch,
  type SinchLaunchConfiguration,
} from './launch-config';

export class SinchDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly runtimeCliPath: string,
    private readonly runtimes: RuntimeManager,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [defaultSinchConfiguration()];
  }

  /**
   * Resolves a `sinch-functions` configuration (F5 with no launch.json included) into the
   * js-debug launch. The type changes to `node` here, in the first resolution step, because the
   * editor looks up the debug adapter of a changed type only at this step. `${workspaceFolder}`
   * in `projectDir` is expanded here; VS Code substitutes other variables afterwards.
   */
  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined | null> {
    const complete = completeConfiguration(config as Partial<SinchLaunchConfiguration>);
    if (!complete) return config;
    if (isImplicitConfiguration(config as Partial<SinchLaunchConfiguration>)) {
      // With no launch.json, debug the function project of the active editor when there is one.
      const active = vscode.window.activeTextEditor?.document.uri;
      const root = active && folder ? findProjectRoot(active.fsPath, folder.uri.fsPath) : undefined;
      if (root) complete.projectDir = root;
    }

    const settings = readRuntimeSettings(folder?.uri);
    const first = resolveLaunch(complete, {
      runtimeCliPath: this.runtimeCliPath,
      workspaceFolder: folder?.uri.fsPath,
      settings,
      statusFile: os.tmpdir(),
    });
    if (!first.ok) {
      this.log.error(first.error);
      void vscode.window.showErrorMessage(first.error, 'Open launch.json').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.debug.configure');
      });
      return undefined;
    }

    let prepared: { port: number; statusFile: string } | undefined;
    try {
      prepared = await this.runtimes.prepareDebugLaunch(first.config.sinchProjectDir, first.config.sinchPort, first.config.sinchHost);
    } catch (error) {
      if (error instanceof TrustRequiredError) {
        void showTrustMessage(error.message);
      } else {
        this.log.error(`Could not prepare the debug session: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(errorMessage(error));
      }
      return undefined;
    }
    // Returning undefined cancels the launch quietly: the user dismissed the busy-port message.
    if (!prepared) return undefined;

    const final = resolveLaunch(
      { ...complete, projectDir: first.config.sinchProjectDir, port: prepared.port },
      { runtimeCliPath: this.runtimeCliPath, workspaceFolder: folder?.uri.fsPath, settings, statusFile: prepared.statusFile },
    );
    if (!final.ok) return undefined;
    this.log.info(`Debugging ${final.config.sinchProjectDir} with ${this.runtimeCliPath} ${final.config.args.join(' ')}`);
    return final.config;
  }
}

export async function showTrustMessage(message: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, 'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}
