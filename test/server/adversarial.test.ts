/**
 * Hostile input for the language server core: documents and requests an editor should never
 * send, but a broken client, a half-written file or a file system race can. Each case checks
 * that the core responds without reporting an internal error and that every range it returns
 * lies inside the document.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Range } from 'vscode-languageserver';
import { LineIndex } from '../../server/src/text/line-index';
import { createServer, removeFolder, uriOf } from './server-harness';

function makeFolder(files: Record<string, string | Buffer>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-ls-adversarial-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return folder;
}

function assertInside(lines: LineIndex, range: Range, what: string): void {
  for (const position of [range.start, range.end]) {
    assert.ok(Number.isInteger(position.line), `${what}: line ${position.line}`);
    assert.ok(position.line >= 0, `${what}: line ${position.line}`);
    assert.ok(position.line < lines.lineCount, `${what}: line ${position.line} of ${lines.lineCount}`);
    const length = lines.lineEnd(position.line) - lines.offsetAt({ line: position.line, character: 0 });
    assert.ok(position.character >= 0, `${what}: character ${position.character}`);
    assert.ok(position.character <= length, `${what}: character ${position.character} of ${length}`);
  }
}

/** Runs every feature over an open document and checks the ranges of the results. */
async function exerciseDocument(uri: string, text: string, folderUri: string): Promise<void> {
  const { core, client } = createServer();
  core.openDocument(uri, 1, text);
  await core.whenIdle();
  const lines = new LineIndex(text);
  for (const lens of core.codeLenses(uri)) assertInside(lines, lens.range, 'code lens');
  for (const { diagnostics } of client.published) {
    for (const diagnostic of diagnostics) assertInside(lines, diagnostic.range, `diagnostic ${diagnostic.code}`);
  }
  const positions = [
    { line: 0, character: 0 },
    { line: -1, character: -5 },
    { line: lines.lineCount + 10, character: 0 },
    { line: 0, character: 1e9 },
    { line: Math.floor(lines.lineCount / 2), character: 3 },
  ];
  for (const position of positions) {
    const hover = core.hover(uri, position);
    if (hover?.range) assertInside(lines, hover.range, 'hover');
  }
  core.endpoints(folderUri);
  assert.deepEqual(client.errors, []);
}

describe('language server on hostile input', () => {
  test('binary and truncated documents', async () => {
    const folder = makeFolder({ 'sinch.json': '{}' });
    try {
      const entry = path.join(folder, 'function.ts');
      const binary = Buffer.from(Array.from({ length: 4096 }, (_unused, index) => (index * 7919) % 256)).toString('latin1');
      const samples = [
        binary,
        '\0\0\0export function status() {}',
        'export function status(context, request) { return request.body',
        'export default { ice(context, event) { return { action: { name: "hangup" } } }, pie',
        'export * from',
        'export { a as',
        '\uFEFF\r\nexport function héllo😀() {}\r\n',
        '\uD800export function status() {}\uDFFF',
        'export function status() {}\u2028export function other() {}\r',
      ];
      for (const text of samples) {
        fs.writeFileSync(entry, text);
        await exerciseDocument(uriOf(entry), text, uriOf(folder));
      }
    } finally {
      removeFolder(folder);
    }
  });

  test('huge document in bounded time', async () => {
    const folder = makeFolder({});
    try {
      const entry = path.join(folder, 'function.ts');
      const body = Array.from({ length: 20_000 }, (_unused, index) => `export function handler${index}(context, request) { return request.body; }`);
      const text = body.join('\n');
      fs.writeFileSync(entry, text);
      const started = performance.now();
      await exerciseDocument(uriOf(entry), text, uriOf(folder));
      assert.ok(performance.now() - started < 60_000, 'analysis of 20 000 exports took over a minute');
    } finally {
      removeFolder(folder);
    }
  });

  test('export * cycles and self re-exports', async () => {
    const folder = makeFolder({
      'a.ts': "export * from './b.js';\nexport * from './a.js';\nexport function fromA() {}\n",
      'b.ts': "export * from './a.js';\nexport * from './b.js';\nexport function fromB() {}\n",
    });
    try {
      const entry = path.join(folder, 'function.ts');
      const text = "export * from './a.js';\nexport * from './function.js';\nexport { fromA as again } from './function.js';\n";
      fs.writeFileSync(entry, text);
      const { core, client } = createServer();
      core.openDocument(uriOf(entry), 1, text);
      await core.whenIdle();
      const table = core.endpoints(uriOf(folder));
      assert.deepEqual(client.errors, []);
      const names = table.endpoints.map((endpoint) => endpoint.exportName).sort();
      assert.ok(names.includes('fromA'), `endpoints: ${names.join(', ')}`);
      assert.ok(names.includes('fromB'), `endpoints: ${names.join(', ')}`);
    } finally {
      removeFolder(folder);
    }
  });

  test('long export * chains', async () => {
    const files: Record<string, string> = {};
    const length = 60;
    for (let index = 0; index < length; index++) {
      files[`m${index}.ts`] = `export * from './m${index + 1}.js';\nexport function handler${index}() {}\n`;
    }
    files[`m${length}.ts`] = 'export function last() {}\n';
    const folder = makeFolder(files);
    try {
      const entry = path.join(folder, 'function.ts');
      const text = "export * from './m0.js';\n";
      fs.writeFileSync(entry, text);
      const { core, client } = createServer();
      core.openDocument(uriOf(entry), 1, text);
      await core.whenIdle();
      const names = core.endpoints(uriOf(folder)).endpoints.map((endpoint) => endpoint.exportName);
      assert.equal(names.length, length + 1);
      assert.ok(names.includes('last'), 'the end of the chain is missing');
      assert.deepEqual(client.errors, []);
    } finally {
      removeFolder(folder);
    }
  });

  test('file change floods stay cheap', async () => {
    const folder = makeFolder({ 'function.ts': 'export function status() {}\n' });
    try {
      const entry = path.join(folder, 'function.ts');
      const { core, client } = createServer();
      core.openDocument(uriOf(entry), 1, 'export function status() {}\n');
      await core.whenIdle();
      // What an npm install reports: many new source files that no editor has open.
      const changes = Array.from({ length: 40_000 }, (_unused, index) => ({
        uri: uriOf(path.join(folder, 'node_modules', `package${index % 200}`, 'lib', 'deep', `file${index}.js`)),
        type: 'created' as const,
      }));
      const started = performance.now();
      core.filesChanged(changes);
      await core.whenIdle();
      const elapsed = performance.now() - started;
      // Looking up the project folder of every file took about 5 s here (2-core VM); skipping
      // files that are not open takes about 0.15 s.
      assert.ok(elapsed < 2_000, `40 000 file changes took ${Math.round(elapsed)} ms`);
      assert.equal(core.endpoints(uriOf(folder)).endpoints.length, 1);
      assert.deepEqual(client.errors, []);
    } finally {
      removeFolder(folder);
    }
  });

  test('edits with ranges outside the document', async () => {
    const folder = makeFolder({});
    try {
      const entry = path.join(folder, 'function.ts');
      const text = 'export function status(context, request) {\n  return request.body;\n}\n';
      fs.writeFileSync(entry, text);
      const uri = uriOf(entry);
      const { core, client } = createServer();
      core.openDocument(uri, 1, text);
      await core.whenIdle();
      const far = { line: 10_000, character: 10_000 };
      core.changeDocument(uri, 2, [{ range: { start: far, end: far }, text: '\nexport function tail() {}\n' }]);
      core.changeDocument(uri, 3, [{ range: { start: { line: -3, character: -3 }, end: { line: 0, character: 0 } }, text: '// head\n' }]);
      core.changeDocument(uri, 4, [{ range: { start: { line: 2, character: 5 }, end: { line: 0, character: 1 } }, text: '' }]);
      core.changeDocument(uri, 5, [{ range: { start: { line: 0.5, character: 1.5 }, end: { line: 0.5, character: 1.5 } }, text: 'x' }]);
      await core.whenIdle();
      for (const lens of core.codeLenses(uri)) assert.ok(lens.range.start.line >= 0);
      core.hover(uri, { line: 1.5, character: 2.5 });
      assert.deepEqual(client.errors, []);
      // Unknown documents get empty results.
      assert.deepEqual(core.codeLenses('file:///nowhere/function.ts'), []);
      assert.equal(core.hover('untitled:Untitled-1', { line: 0, character: 0 }), null);
      core.changeDocument('file:///nowhere/function.ts', 2, [{ text: 'x' }]);
      core.closeDocument('file:///nowhere/function.ts');
      assert.deepEqual(client.errors, []);
    } finally {
      removeFolder(folder);
    }
  });

  test('odd URIs and folders', async () => {
    const { core, client } = createServer();
    for (const uri of ['', 'not a uri', 'file:', 'file:///%00', 'file://server/share/function.ts', 'http://example.invalid/function.ts', 'untitled:Untitled-1', 'file:///%E0%A4%A']) {
      core.openDocument(uri, 1, 'export function status() {}');
      core.endpoints(uri);
      core.filesChanged([{ uri, type: 'deleted' }]);
      core.filesRenamed([{ oldUri: uri, newUri: uri }]);
      core.closeDocument(uri);
    }
    await core.whenIdle();
    assert.deepEqual(client.errors, []);
  });

  test('files deleted while open and invalid sinch.json', async () => {
    const folder = makeFolder({
      'sinch.json': '{ "entry": ',
      'voice.ts': 'export function ice(context, event) { return {}; }\n',
    });
    try {
      const entry = path.join(folder, 'function.ts');
      const text = "export * from './voice.js';\nexport function status() {}\n";
      fs.writeFileSync(entry, text);
      const uri = uriOf(entry);
      const { core, client } = createServer();
      core.openDocument(uri, 1, text);
      await core.whenIdle();
      assert.ok(core.endpoints(uriOf(folder)).endpoints.some((endpoint) => endpoint.exportName === 'ice'));

      fs.rmSync(path.join(folder, 'voice.ts'));
      core.filesChanged([{ uri: uriOf(path.join(folder, 'voice.ts')), type: 'deleted' }]);
      fs.rmSync(entry);
      core.filesChanged([{ uri, type: 'deleted' }]);
      fs.writeFileSync(path.join(folder, 'sinch.json'), '\uFEFF[1, 2');
      core.filesChanged([{ uri: uriOf(path.join(folder, 'sinch.json')), type: 'changed' }]);
      await core.whenIdle();
      core.codeLenses(uri);
      core.hover(uri, { line: 0, character: 3 });
      core.endpoints(uriOf(folder));

      fs.rmSync(folder, { recursive: true, force: true });
      core.filesChanged([{ uri: uriOf(folder), type: 'deleted' }]);
      await core.whenIdle();
      core.endpoints(uriOf(folder));
      core.closeDocument(uri);
      await core.whenIdle();
      assert.deepEqual(client.errors, []);
    } finally {
      removeFolder(folder);
    }
  });

  test('entry setting outside project or a folder', async () => {
    const folder = makeFolder({ 'sub/x.ts': 'export function fromSub() {}\n', 'function.ts': 'export function status() {}\n' });
    try {
      const { core, client } = createServer();
      for (const entry of ['sub', '../../../../etc/passwd', '/dev/zero', '\0', 'sub/x.ts']) {
        core.updateSettings({ entry, runtimeUrl: 'not a url' });
        core.endpoints(uriOf(folder));
        await core.whenIdle();
      }
      assert.deepEqual(client.errors, []);
    } finally {
      removeFolder(folder);
    }
  });
});
