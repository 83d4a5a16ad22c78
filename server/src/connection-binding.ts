/**
 * Binds an LSP connection to the server core: capabilities, notifications, requests and
 * settings. No other module imports the connection.
 */
import ts = require('typescript');
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import {
  EndpointsChangedNotification,
  EndpointsRequest,
  type EndpointsParams,
  type EndpointTable,
} from '../../common/src/protocol';
import { DEFAULT_SETTINGS, ServerCore, type FileChangeType as CoreFileChangeType, type ServerSettings } from './server-core';

const SETTINGS_SECTION = 'sinchFunctions';
const WATCHED_FILES = '**/{*.ts,*.mts,*.cts,*.tsx,*.js,*.mjs,*.cjs,*.jsx,sinch.json}';
const SOURCE_FILTER = { scheme: 'file', pattern: { glob: '**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx}' } };

export function bindConnection(connection: Connection): ServerCore {
  const core = new ServerCore({
    publishDiagnostics: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }),
    endpointsChanged: (table: EndpointTable) => void connection.sendNotification(EndpointsChangedNotification.method, table),
    log: (message) => connection.console.log(message),
    error: (message) => connection.console.error(message),
  });

  let canPullConfiguration = false;
  let canRegisterWatchers = false;
  let canRegisterConfiguration = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const workspace = params.capabilities.workspace;
    canPullConfiguration = workspace?.configuration === true;
    canRegisterWatchers = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    core.updateSettings(settingsFrom(params.initializationOptions));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: {
          fileOperations: { didRename: { filters: [SOURCE_FILTER] }, didDelete: { filters: [SOURCE_FILTER] } },
        },
      },
      serverInfo: { name: 'sinch-functions-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    connection.console.log(
      `Sinch Functions language server started (pid ${process.pid}, Node ${process.version}, TypeScript ${ts.version}).`,
    );
    if (canRegisterWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: WATCHED_FILES }],
      });
    }
    if (canRegisterConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    void pullSettings();
  });

  async function pullSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const value: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      core.updateSettings(settingsFrom(value));
    } catch (error) {
      connection.console.error(`Reading the ${SETTINGS_SECTION} settings failed: ${String(error)}`);
    }
  }

  connection.onDidChangeConfiguration((change) => {
    if (canPullConfiguration) {
      void pullSettings();
      return;
    }
    const settings = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    core.updateSettings(settingsFrom(settings));
  });

  connection.onDidOpenTextDocument(({ textDocument }) =>
    core.openDocument(textDocument.uri, textDocument.version, textDocument.text),
  );
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
    core.changeDocument(textDocument.uri, textDocument.version, contentChanges),
  );
  connection.onDidCloseTextDocument(({ textDocument }) => core.closeDocument(textDocument.uri));
  connection.onDidChangeWatchedFiles(({ changes }) =>
    core.filesChanged(changes.map((change) => ({ uri: change.uri, type: changeTypeOf(change.type) }))),
  );
  connection.workspace.onDidRenameFiles(({ files }) => core.filesRenamed(files));
  connection.workspace.onDidDeleteFiles(({ files }) =>
    core.filesChanged(files.map((file) => ({ uri: file.uri, type: 'deleted' as const }))),
  );

  connection.onShutdown(() => connection.console.log('Sinch Functions language server shutting down.'));

  connection.onCodeLens((params) => core.codeLenses(documentUriOf(params, 'textDocument/codeLens')));
  connection.onHover((params) => {
    const uri = documentUriOf(params, 'textDocument/hover');
    if (!params.position) throw invalidParams('textDocument/hover', 'position');
    return core.hover(uri, params.position);
  });
  connection.onCodeAction((params) => {
    const uri = documentUriOf(params, 'textDocument/codeAction');
    if (!params.range || !params.context) throw invalidParams('textDocument/codeAction', 'range and context');
    return core.codeActions(uri, params.range, params.context.diagnostics ?? []);
  });
  connection.onRequest(EndpointsRequest.method, (params: EndpointsParams) => {
    if (!params || typeof params.folderUri !== 'string') {
      throw new Error('sinchFunctions/endpoints needs { folderUri: string }, such as { "folderUri": "file:///home/me/my-function" }.');
    }
    return core.endpoints(params.folderUri);
  });

  return core;
}

/** An LSP InvalidParams error naming the request and the members it lacks. */
function invalidParams(method: string, missing: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method} needs params with ${missing}.`);
}

/** Returns `params.textDocument.uri`, or throws InvalidParams when a client sent no document. */
function documentUriOf(params: { textDocument?: { uri?: unknown } } | null | undefined, method: string): string {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') throw invalidParams(method, 'textDocument.uri');
  return uri;
}

function changeTypeOf(type: FileChangeType): CoreFileChangeType {
  if (type === FileChangeType.Created) return 'created';
  if (type === FileChangeType.Deleted) return 'deleted';
  return 'changed';
}

/**
 * Reads the server settings from the `sinchFunctions` section or from initialization options:
 * the entry file from `runtime.entry` (the extension's setting) or `entry`, and the runtime's
 * base URL from `runtimeUrl`, else from `runtime.host` and `runtime.port`.
 */
export function settingsFrom(value: unknown): Partial<ServerSettings> {
  if (!value || typeof value !== 'object') return DEFAULT_SETTINGS;
  const record = value as Record<string, unknown>;
  const runtime = (record.runtime && typeof record.runtime === 'object' ? record.runtime : {}) as Record<string, unknown>;
  const settings: Partial<ServerSettings> = {};

  const entry = nonEmptyString(runtime.entry) ?? nonEmptyString(record.entry);
  if (entry !== undefined) settings.entry = entry;

  const runtimeUrl = nonEmptyString(record.runtimeUrl);
  if (runtimeUrl !== undefined) {
    settings.runtimeUrl = runtimeUrl;
  } else if (typeof runtime.port === 'number' && Number.isInteger(runtime.port) && runtime.port > 0 && runtime.port < 65536) {
    // Port 0 means "any free port", which a curl line cannot name, so it keeps the default URL.
    const host = nonEmptyString(runtime.host) ?? '127.0.0.1';
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    settings.runtimeUrl = `http://${urlHost}:${runtime.port}`;
  }
  return settings;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}
