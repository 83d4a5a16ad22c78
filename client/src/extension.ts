/**
 * Entry point of the Sinch Functions extension. Activation only wires objects together and starts
 * the language server without waiting for it; runtimes start on demand. `activate` returns an API
 * object that the extension-host tests use to observe state.
 */
import * as vscode from 'vscode';
import { registerEndpointCommands } from './commands/endpoint-commands';
import { registerHistoryCommands } from './commands/history-commands';
import { registerReplayCallsCommand } from './simulator/replay-calls-command';
import { registerSimulateCallCommand } from './simulator/simulate-call-command';
import { registerRuntimeCommands } from './commands/runtime-commands';
import { registerDebugOutputTracker } from './debug/debug-output-tracker';
import { SinchDebugConfigurationProvider } from './debug/debug-provider';
import { DEBUG_TYPE } from './debug/launch-config';
import { EndpointRegistry } from './endpoints/endpoint-registry';
import { createChannels, errorMessage } from './log/channels';
import * as path from 'node:path';
import type { LanguageClientHandle } from './lsp/language-client';
import { HistoryStore } from './request/history-store';
import { RequestController } from './request/request-controller';
import { createRuntimeSampleCatalog } from './request/runtime-samples';
import { RuntimeManager } from './runtime/runtime-manager';
import { EndpointsTreeProvider } from './views/endpoints-tree';
import { HistoryTreeProvider } from './views/history-tree';
import { REQUEST_VIEW_ID, RequestViewProvider } from './views/request-view';
import { registerRuntimeLogLinks } from './views/runtime-log-links';
import { RuntimeStatusBar } from './views/status-bar';

export interface SinchFunctionsApi {
  runtimes: RuntimeManager;
  endpoints: EndpointRegistry;
  requests: RequestController;
  statusBar: RuntimeStatusBar;
  endpointsTree: EndpointsTreeProvider;
  /** Resolves when the language server is initialised and the endpoint tables are loaded. */
  ready: Promise<void>;
}

let languageClient: LanguageClientHandle | undefined;
let runtimeManager: RuntimeManager | undefined;

export function activate(context: vscode.ExtensionContext): SinchFunctionsApi {
  const started = performance.now();
  const channels = createChannels(context);
  const runtimeCliPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'runtime', 'cli.js').fsPath;

  const registry = new EndpointRegistry(channels.extension);
  const runtimes = new RuntimeManager(runtimeCliPath, channels.runtime, channels.extension);
  runtimeManager = runtimes;
  const history = new HistoryStore(context.workspaceState);
  const requests = new RequestController(runtimes, registry, history, createRuntimeSampleCatalog(), context.secrets, channels.extension);
  const requestView = new RequestViewProvider(context.extensionUri, requests);
  const endpointsTree = new EndpointsTreeProvider(registry, runtimes);
  const statusBar = new RuntimeStatusBar(runtimes, registry);

  const endpointsView = vscode.window.createTreeView('sinchFunctions.endpoints', { treeDataProvider: endpointsTree, showCollapseAll: true });
  const updateDescription = (): void => {
    endpointsView.description = endpointsTree.summary();
  };
  const updateContext = (): void => {
    void vscode.commands.executeCommand('setContext', 'sinchFunctions.hasProject', registry.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'sinchFunctions.runtimeRunning', runtimes.list().length > 0);
  };

  const simulatorDependencies = { state: context.workspaceState, runtimes, registry, log: channels.extension, runtimeLog: channels.runtime };
  context.subscriptions.push(
    registry,
    runtimes,
    requests,
    requestView,
    endpointsTree,
    statusBar,
    endpointsView,
    registry.onDidChange(() => {
      updateDescription();
      updateContext();
    }),
    runtimes.onDidChange(() => {
      updateDescription();
      updateContext();
    }),
    vscode.window.registerTreeDataProvider('sinchFunctions.history', new HistoryTreeProvider(history)),
    vscode.window.registerWebviewViewProvider(REQUEST_VIEW_ID, requestView, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new SinchDebugConfigurationProvider(runtimeCliPath, runtimes, channels.extension)),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug Sinch Function', projectDir: '${workspaceFolder}' }] },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    registerDebugOutputTracker(runtimes),
    registerRuntimeLogLinks(registry),
    ...registerRuntimeCommands(runtimes, registry, channels.runtime),
    ...registerEndpointCommands(registry, requests, requestView, channels.runtime),
    ...registerHistoryCommands(history, requests, requestView),
    registerSimulateCallCommand(simulatorDependencies),
    registerReplayCallsCommand(simulatorDependencies),
  );
  updateContext();

  const ready = startLanguageClientSoon(context, channels).then(async (handle) => {
    languageClient = handle;
    await handle.ready;
    await registry.attach(handle.client);
  });
  ready.catch((error: unknown) => channels.extension.error(`The endpoint list is unavailable: ${errorMessage(error)}`));

  channels.extension.info(
    `Activated in ${(performance.now() - started).toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'in Restricted Mode'}).`,
  );
  return { runtimes, endpoints: registry, requests, statusBar, endpointsTree, ready };
}

/**
 * Loads the language client from its own bundle after activation returns: parsing
 * vscode-languageclient takes longer than the rest of activation together.
 */
function startLanguageClientSoon(context: vscode.ExtensionContext, channels: ReturnType<typeof createChannels>): Promise<LanguageClientHandle> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        const bundled = path.join(__dirname, 'language-client.js');
        // Under tsc output (unit tests, no bundle) the module sits next to this one in lsp/.
        const modulePath = __filename.endsWith(path.join('client', 'extension.js')) ? bundled : './lsp/language-client';
        const module = require(modulePath) as typeof import('./lsp/language-client');
        resolve(module.startLanguageClient(context, channels.server, channels.extension));
      } catch (error) {
        reject(error);
      }
    });
  });
}

export async function deactivate(): Promise<void> {
  await runtimeManager?.stopAll();
  if (languageClient?.client.isRunning()) await languageClient.client.stop();
}
