/**
 * Starts the language server (`dist/server/server.js`) over Node IPC and keeps it alive within a
 * crash budget: crashes are restarted quietly up to `MAX_QUIET_RESTARTS` within
 * `CRASH_WINDOW_MS`; after that the server stays down and the user gets one message with a
 * button that opens the server's log.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CrashBudget } from './crash-budget';
import { errorMessage } from '../log/channels';

export const CLIENT_ID = 'sinchFunctions';
export const CLIENT_NAME = 'Sinch Functions Language Server';
export const MAX_QUIET_RESTARTS = 4;
export const CRASH_WINDOW_MS = 3 * 60 * 1000;

export interface LanguageClientHandle {
  client: LanguageClient;
  /** Resolves when the server answered `initialize`; rejects when it failed to start. */
  ready: Promise<void>;
}

/**
 * Starts the client. `serverModule` defaults to the bundled server; tests pass another script to
 * exercise the crash budget.
 */
export function startLanguageClient(
  context: vscode.ExtensionContext,
  serverLog: vscode.LogOutputChannel,
  extensionLog: vscode.LogOutputChannel,
  serverModule?: string,
): LanguageClientHandle {
  const module = serverModule ?? vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };

  const budget = new CrashBudget({ maxRestarts: MAX_QUIET_RESTARTS, windowMs: CRASH_WINDOW_MS });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', pattern: '**/sinch.json' },
    ],
    synchronize: {
      configurationSection: CLIENT_ID,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{sinch.json,.env,*.ts,*.js,*.mts,*.cts}'),
    },
    // The same LogOutputChannel carries the trace: vscode-languageclient writes trace messages
    // at the Trace level, so they show only when the channel's log level is Trace.
    outputChannel: serverLog,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationFailedHandler: (error) => {
      extensionLog.error(`The language server failed to initialize: ${errorMessage(error)}`);
      return false;
    },
    errorHandler: {
      error: (error, _message, count) => {
        extensionLog.warn(`Language server connection error (${count ?? 1}): ${errorMessage(error)}`);
        return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: () => {
        if (budget.recordCrash()) {
          extensionLog.warn(`The language server stopped; restarting it (${budget.recentCrashes} of ${MAX_QUIET_RESTARTS} quiet restarts).`);
          return { action: CloseAction.Restart, handled: true };
        }
        extensionLog.error(`The language server stopped ${budget.recentCrashes} times within ${CRASH_WINDOW_MS / 60000} minutes; it stays stopped.`);
        void reportGiveUp(serverLog, () => {
          budget.reset();
          void client.start();
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };

  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  warnWhenTraceIsHidden(context, serverLog);
  client.onDidChangeState((event) => {
    extensionLog.info(`Language server: ${State[event.oldState]} → ${State[event.newState]}`);
  });
  const ready = client.start();
  ready.catch((error: unknown) => extensionLog.error(`Could not start the language server: ${errorMessage(error)}`));
  return { client, ready };
}

async function reportGiveUp(serverLog: vscode.LogOutputChannel, restart: () => void): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    'The Sinch Functions language server keeps crashing and was stopped: diagnostics, code lenses and the endpoint list are off until it restarts.',
    'Open Log',
    'Restart',
  );
  if (choice === 'Open Log') serverLog.show(true);
  if (choice === 'Restart') restart();
}

/**
 * `sinchFunctions.trace.server` only has a visible effect when the server channel's log level is
 * Trace; say so once in the log rather than leave the setting silently without effect.
 */
function warnWhenTraceIsHidden(context: vscode.ExtensionContext, serverLog: vscode.LogOutputChannel): void {
  const check = (): void => {
    const trace = vscode.workspace.getConfiguration(CLIENT_ID).get<string>('trace.server', 'off');
    if (trace !== 'off' && serverLog.logLevel !== vscode.LogLevel.Trace) {
      serverLog.warn(
        `sinchFunctions.trace.server is "${trace}", but this channel's log level is ${vscode.LogLevel[serverLog.logLevel]}: ` +
          'set it to Trace (Output view, gear menu) to see the trace.',
      );
    }
  };
  check();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${CLIENT_ID}.trace.server`)) check();
    }),
    serverLog.onDidChangeLogLevel(() => check()),
  );
}
