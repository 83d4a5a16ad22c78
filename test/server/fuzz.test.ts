/**
 * Fuzz test: thousands of truncated and mutated versions of the example projects' files go
 * through the server core as edits. No request may fail, and every range the server returns must
 * lie inside the document. The random source is seeded, so a failure repeats.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Range } from 'vscode-languageserver';
import { analyzeModule } from '../../server/src/analysis/module-analysis';
import { OpenDocument } from '../../server/src/open-documents';
import { LineIndex } from '../../server/src/text/line-index';
import { createServer, FIXTURE_ROOT, removeFolder, uriOf } from './server-harness';
import * as os from 'node:os';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES_ROOT = path.join(REPO_ROOT, 'examples');
const MUTATIONS_PER_FILE = 300;
const SEED = 20261204;

const TOKENS = [
  '{', '}', '(', ')', '[', ']', '`', '"', "'", '/*', '*/', '//', ';', ',', '...', '=>', '=',
  'export ', 'export default ', 'export * from ', 'export { ', ' as ', 'async function ', 'const ',
  'module.exports = ', 'exports.', 'satisfies ', 'get ', '\r\n', '\n', '\r', '\uFEFF', '😀', '\uD83D', '日本',
  'ice', 'notify', 'auth', "'*'", '${', 'class ', '<T>', '@decorator ', '#!', '\u2028',
];

/** A small seeded generator (mulberry32), so that failures can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, next: () => number): string {
  const at = (limit: number) => Math.floor(next() * (limit + 1));
  const offset = at(text.length);
  switch (Math.floor(next() * 6)) {
    case 0:
      return text.slice(0, offset);
    case 1:
      return text.slice(0, offset) + text.slice(offset + 1 + at(40));
    case 2:
      return text.slice(0, offset) + TOKENS[Math.floor(next() * TOKENS.length)] + text.slice(offset);
    case 3: {
      const start = at(text.length);
      return text.slice(0, offset) + text.slice(start, start + at(80)) + text.slice(offset);
    }
    case 4:
      return text.replace(/\n/g, '\r\n');
    default:
      return text.slice(0, offset) + String.fromCharCode(at(0xffff)) + text.slice(offset + 1);
  }
}

function assertInside(range: Range, lines: LineIndex, label: string): void {
  for (const position of [range.start, range.end]) {
    assert.ok(position.line >= 0, `${label}: negative line ${position.line}`);
    assert.ok(position.line < lines.lineCount, `${label}: line ${position.line} of ${lines.lineCount}`);
    const length = lines.lineEnd(position.line) - lines.offsetAt({ line: position.line, character: 0 });
    assert.ok(position.character >= 0, `${label}: negative character ${position.character}`);
    assert.ok(position.character <= length, `${label}: character ${position.character} of ${length} on line ${position.line}`);
  }
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${label}: start after end`);
}

/** Project folders to fuzz: the examples when present, else the fixtures. */
function projectFolders(): Array<{ root: string; name: string }> {
  const root = fs.existsSync(EXAMPLES_ROOT) ? EXAMPLES_ROOT : FIXTURE_ROOT;
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ root, name: entry.name }))
    .concat([{ root: FIXTURE_ROOT, name: 'default-object' }, { root: FIXTURE_ROOT, name: 're-exports' }]);
}

describe('fuzzing with mutated sources', () => {
  const folders: string[] = [];
  after(() => folders.forEach(removeFolder));

  for (const project of projectFolders()) {
    it(`survives mutations of ${project.name}`, async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), `sinch-ls-fuzz-${project.name}-`));
      folders.push(folder);
      fs.cpSync(path.join(project.root, project.name), folder, { recursive: true });
      const files = fs.readdirSync(folder).filter((name) => /\.(?:ts|js)$/.test(name));
      const { core, client } = createServer();
      const next = random(SEED + project.name.length);

      for (const file of files) {
        const filePath = path.join(folder, file);
        const original = fs.readFileSync(filePath, 'utf8');
        const uri = uriOf(filePath);
        core.openDocument(uri, 1, original);
        let text = original;

        for (let round = 0; round < MUTATIONS_PER_FILE; round++) {
          const version = round + 2;
          if (next() < 0.5) {
            // A whole-text change: a mutation of the original or of the current text.
            text = mutate(next() < 0.5 ? original : text, next);
            core.changeDocument(uri, version, [{ text }]);
          } else {
            // An incremental change at positions that may lie outside the document.
            const lines = new LineIndex(text);
            const start = { line: Math.floor(next() * (lines.lineCount + 2)), character: Math.floor(next() * 120) };
            const end = { line: start.line + Math.floor(next() * 3), character: Math.floor(next() * 120) };
            const insert = TOKENS[Math.floor(next() * TOKENS.length)];
            const startOffset = lines.offsetAt(start);
            const endOffset = Math.max(startOffset, lines.offsetAt(end));
            text = text.slice(0, startOffset) + insert + text.slice(endOffset);
            core.changeDocument(uri, version, [{ range: { start, end }, text: insert }]);
          }

          const lines = new LineIndex(text);
          for (const lens of core.codeLenses(uri)) assertInside(lens.range, lines, `lens in ${file} round ${round}`);
          const diagnostics = client.diagnosticsOf(uri);
          for (const diagnostic of diagnostics) assertInside(diagnostic.range, lines, `diagnostic in ${file} round ${round}`);
          const position = { line: Math.floor(next() * lines.lineCount), character: Math.floor(next() * 40) };
          const hover = core.hover(uri, position);
          if (hover?.range) assertInside(hover.range, lines, `hover in ${file} round ${round}`);
          for (const action of core.codeActions(uri, { start: position, end: position }, diagnostics)) {
            for (const edit of action.edit?.changes?.[uri] ?? []) assertInside(edit.range, lines, `quick fix in ${file} round ${round}`);
          }
          for (const endpoint of core.endpoints(uriOf(folder)).endpoints) {
            if (endpoint.uri === uri) assertInside(endpoint.range, lines, `endpoint in ${file} round ${round}`);
          }
        }
        core.closeDocument(uri);
      }
      await core.whenIdle();
      assert.deepEqual(client.errors, []);
    });
  }

  it('gives the same analysis after incremental edits as a full parse', () => {
    const filePath = path.join(FIXTURE_ROOT, 'default-object', 'function.ts');
    const original = fs.readFileSync(filePath, 'utf8');
    const document = new OpenDocument(uriOf(filePath), filePath, 1, original);
    const next = random(SEED);
    let compared = 0;
    for (let round = 0; round < 1500; round++) {
      const lines = document.lines();
      const start = { line: Math.floor(next() * lines.lineCount), character: Math.floor(next() * 60) };
      const end = next() < 0.5 ? start : { line: start.line + Math.floor(next() * 2), character: Math.floor(next() * 60) };
      const insert = next() < 0.3 ? '' : TOKENS[Math.floor(next() * TOKENS.length)];
      document.applyChanges(round + 2, [{ range: { start, end }, text: insert }]);
      // Several edits between two analyses exercise the collapsing of change ranges.
      if (next() < 0.3) continue;
      const incremental = document.source().analysis;
      const full = analyzeModule(filePath, document.text);
      if (!full.parsed || !incremental.parsed) {
        if (next() < 0.5) document.applyChanges(round + 2, [{ text: original }]);
        continue;
      }
      assert.deepEqual(incremental, full, `round ${round}`);
      compared++;
      if (next() < 0.3) document.applyChanges(round + 2, [{ text: original }]);
    }
    assert.ok(compared > 100, `only ${compared} rounds parsed cleanly`);
  });
});
