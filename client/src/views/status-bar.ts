/**
 * The status bar item: each runtime's state and real port; a click opens the sidebar. It shows
 * only in workspaces that have a function project.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import type { RuntimeInstance } from '../runtime/runtime-instance';
import type { RuntimeManager } from '../runtime/runtime-manager';

export const OPEN_SIDEBAR_COMMAND = 'workbench.view.extension.sinchFunctions';

export class RuntimeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sinchFunctions.runtime', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly runtimes: RuntimeManager,
    private readonly registry: EndpointRegistry,
  ) {
    this.item.name = 'Sinch Functions Runtime';
    this.item.command = OPEN_SIDEBAR_COMMAND;
    this.disposables.push(
      runtimes.onDidChange(() => this.render()),
      registry.onDidChange(() => this.render()),
    );
    this.render();
  }

  /** The text shown, exposed for tests. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const running = this.runtimes.list();
    if (running.length === 0 && this.registry.list().length === 0) {
      this.item.hide();
      return;
    }
    this.item.backgroundColor = undefined;
    if (running.length === 0) {
      this.item.text = '$(circle-outline) Sinch: stopped';
      this.item.tooltip = 'Sinch Functions runtime: stopped. Click to open the Sinch Functions sidebar.';
    } else if (running.length === 1) {
      const instance = running[0];
      this.item.text = `${iconOf(instance)} Sinch: ${stateText(instance)}${instance.label ? ` on ${instance.label}` : ''}`;
      this.item.tooltip = `${path.basename(instance.projectDir)}: ${stateText(instance)}${instance.baseUrl ? ` at ${instance.baseUrl}` : ''}`;
      if (instance.state === 'error') this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = `$(server-process) Sinch: ${running.length} runtimes`;
      this.item.tooltip = running
        .map((instance) => `${path.basename(instance.projectDir)}: ${stateText(instance)}${instance.baseUrl ? ` at ${instance.baseUrl}` : ''}`)
        .join('\n');
      if (running.some((instance) => instance.state === 'error')) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function stateText(instance: RuntimeInstance): string {
  if (instance.state === 'error') return 'load error';
  if (instance.state === 'ready' && instance.mode === 'debug') return 'debugging';
  return instance.state;
}

function iconOf(instance: RuntimeInstance): string {
  switch (instance.state) {
    case 'starting':
      return '$(sync~spin)';
    case 'error':
      return '$(warning)';
    default:
      return instance.mode === 'debug' ? '$(debug-alt)' : '$(play-circle)';
  }
}
