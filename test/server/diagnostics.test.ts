/** In-process tests of the diagnostics and quick fixes, over the fixture projects. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { LineIndex } from '../../server/src/text/line-index';
import { byCode, copyFixture, createServer, messageOf, removeFolder, FIXTURE_ROOT, openFile, rangeOf, uriOf } from './server-harness';

function fixture(...parts: string[]): string {
  return path.join(FIXTURE_ROOT, ...parts);
}

/** Applies LSP text edits to a text (edits must not overlap). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + result.slice(lines.offsetAt(edit.range.end));
  }
  return result;
}

function single(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = byCode(diagnostics, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics.map((item) => item.code))}`);
  return found[0];
}

describe('reserved voice names', () => {
  it('warns on notify written as a custom endpoint', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('named-exports', 'function.ts'));
    const warning = single(client.diagnosticsOf(uri), 'reserved-voice-name');
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(warning.range, rangeOf(text, 'notify', 0));
    assert.match(messageOf(warning), /always receives the Voice API NOTIFY event/);
  });

  it('renames the export and its uses with the quick fix', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('named-exports', 'function.ts'));
    const warning = single(client.diagnosticsOf(uri), 'reserved-voice-name');
    const actions = core.codeActions(uri, warning.range, [warning]);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Rename "notify" to "notifyEndpoint"');
    const edited = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.match(edited, /export async function notifyEndpoint\(/);
    assert.match(edited, /return notifyEndpoint;/);
    assert.doesNotMatch(edited, /\bnotify\b/);
  });

  it('notes a reserved name whose intent is unclear', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('default-object', 'function.ts'));
    const note = single(client.diagnosticsOf(uri), 'reserved-voice-name-unclear');
    assert.equal(note.severity, DiagnosticSeverity.Information);
    assert.deepEqual(note.range, rangeOf(text, 'dice'));
  });

  it('reports names from export * and aliases with related information', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('re-exports', 'function.ts'));
    const warnings = byCode(client.diagnosticsOf(uri), 'reserved-voice-name');
    assert.equal(warnings.length, 2);

    const fromStar = warnings.find((warning) => messageOf(warning).includes('"notify"'));
    assert.ok(fromStar);
    assert.deepEqual(fromStar.range, rangeOf(text, "'./voice.js'"));
    assert.equal(fromStar.relatedInformation?.[0].location.uri, uriOf(fixture('re-exports', 'voice.ts')));
    assert.equal(fromStar.relatedInformation?.[0].location.range.start.line, 2);
    assert.equal(fromStar.data, undefined, 'no rename fix for a name declared in another file');

    const fromAlias = warnings.find((warning) => messageOf(warning).includes('"pie"'));
    assert.ok(fromAlias);
    assert.deepEqual(fromAlias.range, rangeOf(text, 'pie'));
    assert.equal(fromAlias.relatedInformation?.[0].location.uri, uriOf(fixture('re-exports', 'endpoints.ts')));
    const actions = core.codeActions(uri, fromAlias.range, [fromAlias]);
    const edited = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.match(edited, /renamed as pieEndpoint/);
  });
});

describe('diagnostics in re-exported files', () => {
  it('reports an export * name at its declaration too', async () => {
    const { core, client } = createServer();
    const entry = await openFile(core, fixture('re-exports', 'function.ts'));
    const voice = await openFile(core, fixture('re-exports', 'voice.ts'));
    const warning = single(client.diagnosticsOf(voice.uri), 'reserved-voice-name');
    assert.deepEqual(warning.range, rangeOf(voice.text, 'notify'));
    assert.equal(warning.relatedInformation?.[0].location.uri, entry.uri);
    assert.deepEqual(warning.relatedInformation?.[0].location.range, rangeOf(entry.text, "'./voice.js'"));

    const actions = core.codeActions(voice.uri, warning.range, [warning]);
    const edited = applyEdits(voice.text, actions[0].edit!.changes![voice.uri]);
    assert.match(edited, /export async function notifyEndpoint\(/);
  });

  it('reports there while the entry file is closed', async () => {
    const { core, client } = createServer();
    const voice = await openFile(core, fixture('re-exports', 'voice.ts'));
    assert.equal(byCode(client.diagnosticsOf(voice.uri), 'named-voice-callback').length, 1);
    assert.equal(client.diagnosticsOf(uriOf(fixture('re-exports', 'function.ts'))).length, 0);
  });

  it('reports members of an imported default object there', async () => {
    const { core, client } = createServer();
    const folder = copyFixture('default-import');
    try {
      const handlers = path.join(folder, 'handlers.ts');
      fs.writeFileSync(handlers, fs.readFileSync(handlers, 'utf8').replace('status: async', 'notify: async (context: unknown, request: { body: unknown }) => request.body,\n  status: async'));
      const entry = await openFile(core, path.join(folder, 'function.ts'));
      const declaring = await openFile(core, handlers);
      const atEntry = single(client.diagnosticsOf(entry.uri), 'reserved-voice-name');
      assert.deepEqual(atEntry.range, rangeOf(entry.text, 'default', 1));
      const atDeclaration = single(client.diagnosticsOf(declaring.uri), 'reserved-voice-name');
      assert.deepEqual(atDeclaration.range, rangeOf(declaring.text, 'notify'));
      const actions = core.codeActions(declaring.uri, atDeclaration.range, [atDeclaration]);
      assert.match(applyEdits(declaring.text, actions[0].edit!.changes![declaring.uri]), /notifyEndpoint: async/);
    } finally {
      removeFolder(folder);
    }
  });

  it('does not report aliased names at the declaration', async () => {
    const { core, client } = createServer();
    await openFile(core, fixture('re-exports', 'function.ts'));
    const endpoints = await openFile(core, fixture('re-exports', 'endpoints.ts'));
    assert.deepEqual(client.diagnosticsOf(endpoints.uri), []);
  });
});

describe('voice callback placement and letter case', () => {
  it('hints at named voice exports, accepted by this runtime', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('named-exports', 'function.ts'));
    const hint = single(client.diagnosticsOf(uri), 'named-voice-callback');
    assert.equal(hint.severity, DiagnosticSeverity.Information);
    const start = rangeOf(text, 'ice(').start;
    assert.deepEqual(hint.range, { start, end: { line: start.line, character: start.character + 3 } });
  });

  it('warns on ICE and offers the exact name', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('named-exports', 'function.ts'));
    const warning = single(client.diagnosticsOf(uri), 'voice-name-case');
    assert.deepEqual(warning.range, rangeOf(text, 'ICE'));
    // `ice` already exists, so renaming would collide: no quick fix.
    assert.equal(warning.data, undefined);
  });

  it('does not hint at members of the default object', async () => {
    const { core, client } = createServer();
    const { uri } = await openFile(core, fixture('default-object', 'function.ts'));
    assert.equal(byCode(client.diagnosticsOf(uri), 'named-voice-callback').length, 0);
  });
});

describe('route collisions', () => {
  it('reports a named export and a default member on one route', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('default-object', 'function.ts'));
    const collisions = byCode(client.diagnosticsOf(uri), 'route-collision');
    assert.equal(collisions.length, 2);
    const named = collisions.find((item) => item.range.start.line === rangeOf(text, 'export function status').start.line);
    assert.ok(named);
    assert.match(messageOf(named), /This one is served/);
    assert.equal(named.relatedInformation?.[0].location.range.start.line, rangeOf(text, 'status: async').start.line);
  });

  it('reports conversation where conversationWebhook was meant', async () => {
    const { core, client } = createServer();
    const { uri } = await openFile(core, fixture('default-object', 'function.ts'));
    const warning = single(client.diagnosticsOf(uri), 'webhook-name');
    assert.match(messageOf(warning), /\/webhook\/conversation/);
    assert.deepEqual(warning.data, { fix: 'rename', name: 'conversation', newName: 'conversationWebhook' });
  });

  it('reports default and home together', async () => {
    const { core, client } = createServer();
    const folder = fixture('default-object');
    const text = "export default function () { return 'root'; }\nexport function home() { return 'home'; }\n";
    const uri = uriOf(path.join(folder, 'function.ts'));
    core.openDocument(uri, 1, text);
    await core.whenIdle();
    const warnings = byCode(client.diagnosticsOf(uri), 'root-collision');
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((warning) => warning.relatedInformation?.length === 1));
    assert.deepEqual(warnings[0].range, rangeOf(text, 'home'));
    assert.deepEqual(warnings[1].range, rangeOf(text, 'default'));
  });

  it('reports a name that two export * statements provide', async () => {
    const { core, client } = createServer();
    const { uri } = await openFile(core, fixture('re-exports', 'function.ts'));
    const ambiguous = byCode(client.diagnosticsOf(uri), 'ambiguous-star-export');
    assert.equal(ambiguous.length, 2);
    assert.equal(ambiguous[0].relatedInformation?.length, 2);
  });

  it('reports an export * of a missing file', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('re-exports', 'function.ts'));
    const warning = single(client.diagnosticsOf(uri), 'module-not-found');
    assert.deepEqual(warning.range, rangeOf(text, "'./missing.js'"));
  });
});

describe('auth configuration', () => {
  it('reports entries that protect nothing', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('auth-config', 'function.ts'));
    const diagnostics = client.diagnosticsOf(uri);
    const unknown = byCode(diagnostics, 'auth-unknown-entry');
    assert.deepEqual(
      unknown.map((item) => item.range),
      [rangeOf(text, "'missing'"), rangeOf(text, "'public/absent.html'")],
    );
    const neverGated = byCode(diagnostics, 'auth-never-gated');
    assert.deepEqual(
      neverGated.map((item) => item.range),
      [rangeOf(text, "'health'"), rangeOf(text, "'ice'")],
    );
    assert.equal(diagnostics.filter((item) => item.range.start.line === 2 && /admin/.test(messageOf(item))).length, 0);
  });

  it('removes an entry with the quick fix', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('auth-config', 'function.ts'));
    const missing = byCode(client.diagnosticsOf(uri), 'auth-unknown-entry')[0];
    const actions = core.codeActions(uri, missing.range, [missing]);
    assert.equal(actions[0].title, 'Remove "missing" from auth');
    const edited = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.match(edited, /\['admin', 'health', 'ice', 'public\/admin.html', 'public\/absent.html'\]/);
  });

  it('notes a login export', async () => {
    const { core, client } = createServer();
    const { uri, text } = await openFile(core, fixture('auth-config', 'function.ts'));
    const note = single(client.diagnosticsOf(uri), 'auth-page-export');
    assert.deepEqual(note.range, rangeOf(text, 'login'));
  });

  it('marks listed endpoints as protected', async () => {
    const { core } = createServer();
    await openFile(core, fixture('auth-config', 'function.ts'));
    const table = core.endpoints(uriOf(fixture('auth-config')));
    const protectedNames = table.endpoints.filter((endpoint) => endpoint.protected).map((endpoint) => endpoint.exportName);
    assert.deepEqual(protectedNames, ['admin']);
  });
});
