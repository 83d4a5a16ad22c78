/**
 * In-process tests of code lenses, hover, positions and the document and file lifecycle, driven
 * through the server core with a recording client.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver';
import { Commands } from '../../common/src/protocol';
import { LineIndex } from '../../server/src/text/line-index';
import { byCode, copyFixture, createServer, FIXTURE_ROOT, openFile, rangeOf, removeFolder, uriOf } from './server-harness';

function lensTitlesByLine(lenses: readonly CodeLens[]): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const lens of lenses) {
    const list = byLine.get(lens.range.start.line) ?? [];
    list.push(lens.command?.title ?? '');
    byLine.set(lens.range.start.line, list);
  }
  return byLine;
}

describe('code lenses', () => {
  it('shows the route, Run and Debug over each handler', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    const byLine = lensTitlesByLine(core.codeLenses(uri));
    assert.deepEqual(byLine.get(rangeOf(text, 'export async function status').start.line), ['GET /status (auth)', 'Run', 'Debug']);
    assert.deepEqual(byLine.get(rangeOf(text, 'export const conversationWebhook').start.line), [
      'POST /webhook/conversation',
      'Run',
      'Debug',
    ]);
    assert.deepEqual(byLine.get(rangeOf(text, 'export async function ice').start.line), [
      'POST /ice',
      'Send ICE',
      'Debug ICE',
      'Simulate call',
    ]);
  });

  it('passes the document URI and export name to the commands', async () => {
    const { core } = createServer();
    const { uri } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    const lenses = core.codeLenses(uri);
    const send = lenses.find((lens) => lens.command?.title === 'Send ICE');
    assert.equal(send?.command?.command, Commands.runEndpoint);
    assert.deepEqual(send?.command?.arguments, [{ uri, exportName: 'ice' }]);
    const simulate = lenses.find((lens) => lens.command?.command === Commands.simulateCall);
    assert.deepEqual(simulate?.command?.arguments, [{ uri, exportName: 'ice' }]);
  });

  it('shows no lens over types, constants, auth or setup', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    const lines = new Set(core.codeLenses(uri).map((lens) => lens.range.start.line));
    for (const snippet of ['export interface Settings', 'export type Mode', 'export enum Color', 'export const port', 'export class NotServed', 'export const setup', 'export const auth', 'function internalHelper', "const text = 'export function"]) {
      assert.ok(!lines.has(rangeOf(text, snippet).start.line), `no lens at ${snippet}`);
    }
  });

  it('shows lenses in a file that export * brings in', async () => {
    const { core } = createServer();
    await openFile(core, path.join(FIXTURE_ROOT, 're-exports', 'function.ts'));
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 're-exports', 'voice.ts'));
    const byLine = lensTitlesByLine(core.codeLenses(uri));
    assert.deepEqual(byLine.get(rangeOf(text, 'export async function ace').start.line), ['POST /ace', 'Send ACE', 'Debug ACE']);
    // The entry file's own localOnly shadows this one, and export * never passes on the default export.
    assert.equal(byLine.get(rangeOf(text, 'export const localOnly').start.line), undefined);
    assert.equal(byLine.get(rangeOf(text, 'export default function').start.line), undefined);
  });

  it('keeps moved lenses while unparsable', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    const before = core.codeLenses(uri);
    const statusLine = rangeOf(text, 'export async function status').start.line;

    // Three new lines above everything, then an unfinished statement: the file no longer parses.
    core.changeDocument(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n\n\n' }]);
    core.changeDocument(uri, 3, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'export const broken = {{ (' }]);
    const during = core.codeLenses(uri);
    assert.equal(during.length, before.length);
    assert.ok(during.some((lens) => lens.range.start.line === statusLine + 3 && lens.command?.title === 'Run'));

    // Fixing the syntax returns fresh results at the same places.
    core.changeDocument(uri, 4, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 26 } }, text: '' }]);
    const after = core.codeLenses(uri);
    assert.deepEqual(after.map((lens) => lens.range), during.map((lens) => lens.range));
  });

  it('follows the unsaved buffer', async () => {
    const { core } = createServer();
    const { uri } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    core.changeDocument(uri, 2, [{ text: 'export function onlyThis(context, request) { return request.body; }\n' }]);
    const lenses = core.codeLenses(uri);
    // The new handler returns `request.body`, so its route reads POST.
    assert.deepEqual(lenses.map((lens) => lens.command?.title), ['POST /onlyThis', 'Run', 'Debug']);
  });
});

describe('hover', () => {
  it('shows route, kind, what it receives and a curl line', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'default-object', 'function.ts'));
    const hover = core.hover(uri, rangeOf(text, 'pie,').start);
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /\*\*POST \/pie\*\*/);
    assert.match(value, /voice callback/);
    assert.match(value, /PIE callback JSON/);
    assert.match(value, /curl -X POST 'http:\/\/127\.0\.0\.1:3000\/pie' -H 'Content-Type: application\/json' -d '\{"event":"pie"/);
  });

  it('describes a custom endpoint with a GET curl line', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'default-object', 'function.ts'));
    const value = (core.hover(uri, rangeOf(text, 'lazy()').start)?.contents as { value: string }).value;
    assert.match(value, /FunctionRequest/);
    assert.match(value, /curl 'http:\/\/127\.0\.0\.1:3000\/lazy'/);
  });

  it('describes a body-reading endpoint with a POST curl line', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'default-object', 'function.ts'));
    const value = (core.hover(uri, rangeOf(text, "'quoted-route'").start)?.contents as { value: string }).value;
    // The handler returns `request.body` whole, so the curl line posts an empty JSON object.
    assert.match(value, /curl -X POST 'http:\/\/127\.0\.0\.1:3000\/quoted-route' -H 'Content-Type: application\/json' -d '\{\}'/);
  });

  it('posts to custom handlers that read the body', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-body-'));
    try {
      const entry = path.join(folder, 'function.ts');
      fs.writeFileSync(
        entry,
        [
          "import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';",
          'export async function inbound(context: FunctionContext, request: FunctionRequest) {',
          '  const body = request.body as { message?: string } | undefined;',
          '  return { statusCode: 200, body: { received: body?.message } };',
          '}',
          'export const direct = async (context: FunctionContext, req: FunctionRequest) => ({ statusCode: 200, body: req.body?.name });',
          'export async function destructured(context: FunctionContext, request: FunctionRequest) {',
          '  const { user, id: key } = request.body as { user: string; id: string };',
          '  return { statusCode: 200, body: { user, key } };',
          '}',
          'export async function status(context: FunctionContext, request: FunctionRequest) {',
          '  return { statusCode: 200, body: { method: request.method } };',
          '}',
          '',
        ].join('\n'),
      );
      const { core } = createServer();
      const { uri, text } = await openFile(core, entry);
      const endpoints = new Map(core.endpoints(uriOf(folder)).endpoints.map((endpoint) => [endpoint.exportName, endpoint]));
      assert.equal(endpoints.get('inbound')?.method, 'POST');
      assert.deepEqual(endpoints.get('inbound')?.bodyFields, ['message']);
      assert.equal(endpoints.get('direct')?.method, 'POST');
      assert.deepEqual(endpoints.get('direct')?.bodyFields, ['name']);
      assert.deepEqual(endpoints.get('destructured')?.bodyFields, ['user', 'id']);
      assert.equal(endpoints.get('status')?.method, 'GET');
      assert.equal(endpoints.get('status')?.bodyFields, undefined);

      const byLine = lensTitlesByLine(core.codeLenses(uri));
      assert.deepEqual(byLine.get(rangeOf(text, 'export async function inbound').start.line), ['POST /inbound', 'Run', 'Debug']);
      const hover = (core.hover(uri, rangeOf(text, 'inbound(').start)?.contents as { value: string }).value;
      assert.match(hover, /curl -X POST 'http:\/\/127\.0\.0\.1:3000\/inbound' -H 'Content-Type: application\/json' -d '\{"message":"example"\}'/);
    } finally {
      removeFolder(folder);
    }
  });

  it('lists what an export * brings in', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 're-exports', 'function.ts'));
    const value = (core.hover(uri, rangeOf(text, "'./voice.js'").start)?.contents as { value: string }).value;
    assert.match(value, /POST \/notify/);
    assert.match(value, /POST \/ace/);
  });

  it('returns nothing outside exports', async () => {
    const { core } = createServer();
    const { uri, text } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    assert.equal(core.hover(uri, rangeOf(text, 'internalHelper() {').start), null);
  });
});

describe('positions', () => {
  const body = [
    '// 😀 a comment with an emoji and 日本語',
    "const greeting = '👋🏽 hello';",
    '/* 🚀 */ export async function notify(context, request) {',
    '  return { statusCode: 200, body: request.body };',
    '}',
    '',
  ];

  for (const [label, lineBreak, bom] of [
    ['LF', '\n', ''],
    ['CRLF', '\r\n', ''],
    ['CRLF with a byte order mark', '\r\n', '\uFEFF'],
  ] as const) {
    it(`counts UTF-16 units with ${label}`, async () => {
      const folder = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'sinch-ls-positions-'));
      try {
        const text = body.join(lineBreak);
        const entry = path.join(folder, 'function.ts');
        fs.writeFileSync(entry, bom + text, 'utf8');
        const { core, client } = createServer();
        const expected = rangeOf(text, 'notify');
        assert.deepEqual(expected.start, { line: 2, character: 31 });

        // Closed file read from disk: the byte order mark is not a character for the editor.
        const table = core.endpoints(uriOf(folder));
        assert.deepEqual(table.endpoints[0].range, expected);

        // Open document with the editor's text.
        const uri = uriOf(entry);
        core.openDocument(uri, 1, text);
        await core.whenIdle();
        assert.deepEqual(byCode(client.diagnosticsOf(uri), 'reserved-voice-name')[0].range, expected);
        assert.deepEqual(core.codeLenses(uri)[0].range, expected);
        assert.ok(core.hover(uri, { line: 2, character: 33 }));
      } finally {
        removeFolder(folder);
      }
    });
  }

  it('treats a lone carriage return as a line break', () => {
    const lines = new LineIndex('a\rb\r\nc\nd');
    assert.deepEqual(lines.positionAt(2), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(5), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(4), { line: 1, character: 1 }, 'an offset between \\r and \\n stays on the line');
    assert.equal(lines.offsetAt({ line: 1, character: 99 }), 3);
  });
});

describe('document and file lifecycle', () => {
  it('refreshes when a file that export * follows changes on disk', async () => {
    const folder = copyFixture('re-exports');
    try {
      const { core, client } = createServer();
      const { uri } = await openFile(core, path.join(folder, 'function.ts'));
      assert.equal(byCode(client.diagnosticsOf(uri), 'reserved-voice-name').length, 2);
      const tablesBefore = client.tables.length;

      const voice = path.join(folder, 'voice.ts');
      fs.writeFileSync(voice, fs.readFileSync(voice, 'utf8').replace('function notify', 'function notifyUser'));
      core.filesChanged([{ uri: uriOf(voice), type: 'changed' }]);
      await core.whenIdle();
      assert.equal(byCode(client.diagnosticsOf(uri), 'reserved-voice-name').length, 1);
      assert.equal(client.tables.length, tablesBefore + 1);
      assert.ok(client.tables.at(-1)?.endpoints.some((endpoint) => endpoint.exportName === 'notifyUser'));
    } finally {
      removeFolder(folder);
    }
  });

  it('sends moved ranges after a quiet period', async () => {
    const { core, client } = createServer();
    const { uri } = await openFile(core, path.join(FIXTURE_ROOT, 'named-exports', 'function.ts'));
    const before = client.tables.at(-1)!;
    const sent = client.tables.length;
    const next = client.nextTable();

    core.changeDocument(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await core.whenIdle();
    assert.equal(client.tables.length, sent, 'a range-only change is not sent at once');

    const moved = await next;
    assert.equal(moved.endpoints[0].range.start.line, before.endpoints[0].range.start.line + 1);
  });

  it('refreshes when an open re-exported file is edited', async () => {
    const { core, client } = createServer();
    const { uri } = await openFile(core, path.join(FIXTURE_ROOT, 're-exports', 'function.ts'));
    const voice = await openFile(core, path.join(FIXTURE_ROOT, 're-exports', 'voice.ts'));
    core.changeDocument(voice.uri, 2, [{ range: rangeOf(voice.text, 'notify'), text: 'notifyUser' }]);
    await core.whenIdle();
    assert.equal(byCode(client.diagnosticsOf(uri), 'reserved-voice-name').length, 1);
  });

  it('refreshes when a missing re-exported file is created', async () => {
    const folder = copyFixture('re-exports');
    try {
      const { core, client } = createServer();
      const { uri } = await openFile(core, path.join(folder, 'function.ts'));
      const missing = path.join(folder, 'missing.ts');
      fs.writeFileSync(missing, 'export function created() { return 1; }\n');
      core.filesChanged([{ uri: uriOf(missing), type: 'created' }]);
      await core.whenIdle();
      assert.equal(byCode(client.diagnosticsOf(uri), 'module-not-found').length, 0);
      assert.ok(client.tables.at(-1)?.endpoints.some((endpoint) => endpoint.exportName === 'created'));
    } finally {
      removeFolder(folder);
    }
  });

  it('clears diagnostics when the entry is deleted, renamed or replaced', async () => {
    const folder = copyFixture('commonjs');
    try {
      const { core, client } = createServer();
      const jsEntry = path.join(folder, 'function.js');
      const { uri: jsUri } = await openFile(core, jsEntry);
      assert.ok(client.diagnosticsOf(jsUri).length > 0);

      // function.ts takes precedence over function.js, so function.js is no longer the entry.
      const tsEntry = path.join(folder, 'function.ts');
      fs.writeFileSync(tsEntry, 'export function status() { return 1; }\n');
      core.filesChanged([{ uri: uriOf(tsEntry), type: 'created' }]);
      await core.whenIdle();
      assert.deepEqual(client.diagnosticsOf(jsUri), []);

      // Renamed back: function.js is the entry again.
      fs.renameSync(tsEntry, path.join(folder, 'other.ts'));
      core.filesRenamed([{ oldUri: uriOf(tsEntry), newUri: uriOf(path.join(folder, 'other.ts')) }]);
      await core.whenIdle();
      assert.ok(client.diagnosticsOf(jsUri).length > 0);

      fs.rmSync(jsEntry);
      core.filesChanged([{ uri: jsUri, type: 'deleted' }]);
      await core.whenIdle();
      assert.deepEqual(client.diagnosticsOf(jsUri), []);
    } finally {
      removeFolder(folder);
    }
  });

  it('uses the entry from sinch.json and from the setting', async () => {
    const folder = copyFixture('commonjs');
    try {
      fs.renameSync(path.join(folder, 'function.js'), path.join(folder, 'main.js'));
      fs.writeFileSync(path.join(folder, 'sinch.json'), JSON.stringify({ name: 'demo', entry: 'main.js' }));
      const { core } = createServer();
      const fromManifest = core.endpoints(uriOf(folder));
      assert.equal(fromManifest.entryUri, uriOf(path.join(folder, 'main.js')));
      assert.ok(fromManifest.endpoints.some((endpoint) => endpoint.exportName === 'orders'));

      core.updateSettings({ entry: 'module-exports.js' });
      await core.whenIdle();
      const fromSetting = core.endpoints(uriOf(folder));
      assert.equal(fromSetting.entryUri, uriOf(path.join(folder, 'module-exports.js')));
      assert.deepEqual(fromSetting.endpoints.map((endpoint) => endpoint.exportName), ['ice', 'status']);
    } finally {
      removeFolder(folder);
    }
  });

  it('follows an unsaved sinch.json', async () => {
    const folder = copyFixture('commonjs');
    try {
      fs.renameSync(path.join(folder, 'function.js'), path.join(folder, 'main.js'));
      const manifest = path.join(folder, 'sinch.json');
      fs.writeFileSync(manifest, JSON.stringify({ name: 'demo', entry: 'main.js' }));
      const { core, client } = createServer();
      assert.equal(core.endpoints(uriOf(folder)).entryUri, uriOf(path.join(folder, 'main.js')));

      core.openDocument(uriOf(manifest), 1, JSON.stringify({ name: 'demo', entry: 'module-exports.js' }));
      await core.whenIdle();
      assert.equal(client.tables.at(-1)?.entryUri, uriOf(path.join(folder, 'module-exports.js')));
    } finally {
      removeFolder(folder);
    }
  });

  it('follows a default export imported from another file', () => {
    const { core } = createServer();
    const folder = path.join(FIXTURE_ROOT, 'default-import');
    const table = core.endpoints(uriOf(folder));
    const rows = table.endpoints.map((endpoint) => `${endpoint.exportName} ${endpoint.route} ${path.basename(endpoint.uri)}`);
    assert.deepEqual(rows.sort(), ['ice /ice handlers.ts', 'legacy /legacy legacy.ts', 'status /status handlers.ts']);
  });

  it('returns an empty table for a folder without an entry', () => {
    const { core } = createServer();
    const folder = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'sinch-ls-empty-'));
    try {
      assert.deepEqual(core.endpoints(uriOf(folder)), { folderUri: uriOf(folder), entryUri: null, endpoints: [] });
    } finally {
      removeFolder(folder);
    }
  });

  it('ignores documents that are not files and changes of unknown documents', async () => {
    const { core, client } = createServer();
    core.openDocument('untitled:Untitled-1', 1, 'export function status() {}');
    core.changeDocument('file:///nowhere/function.ts', 2, [{ text: 'x' }]);
    assert.deepEqual(core.codeLenses('untitled:Untitled-1'), []);
    assert.equal(core.hover('file:///nowhere/function.ts', { line: 0, character: 0 }), null);
    await core.whenIdle();
    assert.deepEqual(client.errors, []);
  });
});
