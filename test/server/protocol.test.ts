/**
 * Protocol tests: the built language server (dist/server/server.js) runs as a child process and
 * the test speaks real JSON-RPC to it, over stdio and over Node IPC.
 */
import { spawn, spawnSync, fork } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver';
import { Commands, EndpointsChangedNotification, EndpointsRequest, type EndpointTable } from '../../common/src/protocol';
import { JsonRpcPeer } from './json-rpc-peer';
import { copyFixture, rangeOf, removeFolder, uriOf } from './server-harness';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server', 'server.js');

/** Bundles the server when dist is missing or older than any server or common source. */
function ensureBundle(): void {
  const newestSource = ['server/src', 'common/src']
    .flatMap((folder) =>
      fs.readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' }).map((file) => path.join(REPO_ROOT, folder, file)),
    )
    .map((file) => fs.statSync(file))
    .filter((stat) => stat.isFile())
    .map((stat) => stat.mtimeMs)
    .reduce((newest, time) => Math.max(newest, time), 0);
  if (fs.existsSync(SERVER_BUNDLE) && fs.statSync(SERVER_BUNDLE).mtimeMs >= newestSource) return;
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bundle.js')], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, `Bundling failed: ${result.stderr}`);
}

function isDiagnosticsFor(uri: string, version?: number) {
  return (message: { method?: string; params?: unknown }) =>
    message.method === 'textDocument/publishDiagnostics' &&
    (message.params as PublishDiagnosticsParams).uri === uri &&
    (version === undefined || (message.params as PublishDiagnosticsParams).version === version);
}

describe('language server over stdio', () => {
  let folder: string;
  let peer: JsonRpcPeer;
  let exited: Promise<number | null>;

  before(() => {
    ensureBundle();
    folder = copyFixture('named-exports');
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { cwd: folder, stdio: 'pipe' });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    peer = new JsonRpcPeer(child);
    peer.requestHandlers.set('workspace/configuration', () => [{ runtime: { port: 4123 } }]);
    peer.requestHandlers.set('client/registerCapability', () => null);
  });

  after(() => removeFolder(folder));

  it('answers initialize with its capabilities', async () => {
    const result = await peer.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: uriOf(folder),
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      workspaceFolders: [{ uri: uriOf(folder), name: 'fixture' }],
    });
    assert.ok(result.capabilities.codeLensProvider);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.ok(result.capabilities.codeActionProvider);
    peer.notify('initialized', {});
    await peer.waitFor((message) => message.method === 'workspace/configuration', 'the settings request', 15000, true);
    await peer.waitFor(
      (message) => message.method === 'window/logMessage' && /language server started/.test((message.params as { message: string }).message),
      'the start log line',
      15000,
      true,
    );
  });

  const entry = () => path.join(folder, 'function.ts');

  it('publishes diagnostics for the opened entry file', async () => {
    const text = fs.readFileSync(entry(), 'utf8');
    const uri = uriOf(entry());
    const published = peer.waitFor(isDiagnosticsFor(uri, 1), 'diagnostics of function.ts');
    const changed = peer.waitFor((message) => message.method === EndpointsChangedNotification.method, 'endpointsChanged');
    peer.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });

    const diagnostics = ((await published).params as PublishDiagnosticsParams).diagnostics;
    const reserved = diagnostics.filter((diagnostic) => diagnostic.code === 'reserved-voice-name');
    assert.equal(reserved.length, 1);
    assert.deepEqual(reserved[0].range, rangeOf(text, 'notify', 0));
    const table = (await changed).params as EndpointTable;
    assert.ok(table.endpoints.some((endpoint) => endpoint.exportName === 'status'));
  });

  it('returns the rename quick fix', async () => {
    const uri = uriOf(entry());
    const text = fs.readFileSync(entry(), 'utf8');
    const diagnostics = (peer.received.find(isDiagnosticsFor(uri, 1))?.params as PublishDiagnosticsParams).diagnostics;
    const reserved = diagnostics.filter((diagnostic) => diagnostic.code === 'reserved-voice-name');
    const actions = await peer.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: reserved[0].range,
      context: { diagnostics: reserved },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'quickfix');
    const edits = actions[0].edit?.changes?.[uri] ?? [];
    assert.ok(edits.some((edit) => edit.newText === 'notifyEndpoint' && edit.range.start.line === rangeOf(text, 'notify').start.line));
  });

  it('returns code lenses with the run and debug commands', async () => {
    const uri = uriOf(entry());
    const lenses = await peer.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const run = lenses.find((lens) => lens.command?.command === Commands.runEndpoint && lens.command.arguments?.[0]?.exportName === 'status');
    assert.ok(run, 'a Run lens over status');
    assert.deepEqual(run.command?.arguments, [{ uri, exportName: 'status' }]);
    assert.ok(lenses.some((lens) => lens.command?.command === Commands.debugEndpoint));
    assert.ok(lenses.some((lens) => lens.command?.command === Commands.simulateCall));
  });

  it('answers the endpoints request', async () => {
    const table = await peer.request<EndpointTable>(EndpointsRequest.method, { folderUri: uriOf(folder) });
    assert.equal(table.entryUri, uriOf(entry()));
    const ice = table.endpoints.find((endpoint) => endpoint.exportName === 'ice');
    assert.equal(ice?.route, '/ice');
    assert.equal(ice?.kind, 'voice-callback');
    assert.equal(ice?.method, 'POST');
  });

  it('rejects an endpoints request without a folder', async () => {
    await assert.rejects(peer.request(EndpointsRequest.method, {}), /folderUri/);
  });

  it('follows incremental changes of the buffer', async () => {
    const uri = uriOf(entry());
    const text = fs.readFileSync(entry(), 'utf8');
    const published = peer.waitFor(isDiagnosticsFor(uri, 2), 'diagnostics after the edit');
    const changed = peer.waitFor((message) => message.method === EndpointsChangedNotification.method, 'endpointsChanged after the edit');
    peer.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: rangeOf(text, 'notify', 0), text: 'notifyUser' }],
    });
    const diagnostics = ((await published).params as PublishDiagnosticsParams).diagnostics as Diagnostic[];
    assert.equal(diagnostics.filter((diagnostic) => diagnostic.code === 'reserved-voice-name').length, 0);
    const table = (await changed).params as EndpointTable;
    assert.ok(table.endpoints.some((endpoint) => endpoint.exportName === 'notifyUser'));
  });

  it('answers hover with the route and a curl line on the configured port', async () => {
    const uri = uriOf(entry());
    const text = fs.readFileSync(entry(), 'utf8');
    const hover = await peer.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: rangeOf(text, 'status', 0).start,
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /GET \/status/);
    assert.match(value, /curl -u "\$ADMIN_USER:\$ADMIN_PASSWORD" 'http:\/\/127\.0\.0\.1:4123\/status'/);
  });

  it('clears diagnostics when the document closes', async () => {
    const uri = uriOf(entry());
    const cleared = peer.waitFor(
      (message) => isDiagnosticsFor(uri)(message) && (message.params as PublishDiagnosticsParams).diagnostics.length === 0,
      'cleared diagnostics',
    );
    peer.notify('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  });

  it('rejects params without a document', async () => {
    for (const method of ['textDocument/codeLens', 'textDocument/hover', 'textDocument/codeAction']) {
      await assert.rejects(peer.request(method, {}), /needs params with textDocument\.uri/, method);
    }
  });

  it('shuts down and exits with code 0', async () => {
    await peer.request('shutdown', null);
    peer.notify('exit', null);
    assert.equal(await exited, 0);
    assert.doesNotMatch(peer.stderr, /failed|Unexpected error/);
  });
});

describe('language server over node IPC', () => {
  it('initializes and exits', async () => {
    ensureBundle();
    const child = fork(SERVER_BUNDLE, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const responses = new Map<number, { result?: unknown }>();
    const waiting = new Map<number, (message: { result?: unknown }) => void>();
    child.on('message', (message: { id?: number; result?: unknown; method?: string }) => {
      if (typeof message.id === 'number' && message.method === undefined) {
        responses.set(message.id, message);
        waiting.get(message.id)?.(message);
      }
    });
    const request = (id: number, method: string, params: unknown) =>
      new Promise<{ result?: unknown }>((resolve) => {
        waiting.set(id, resolve);
        child.send({ jsonrpc: '2.0', id, method, params });
      });

    const initialized = await request(1, 'initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok((initialized.result as { capabilities: unknown }).capabilities);
    await request(2, 'shutdown', null);
    child.send({ jsonrpc: '2.0', method: 'exit', params: null });
    assert.equal(await exited, 0);
    assert.equal(stdout, '', 'the server writes nothing to stdout');
  });
});
