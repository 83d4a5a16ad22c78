// The sqlite-notes example through the real runtime: notes go into the SQLite file at
// context.database and survive a restart of the runtime.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { examplesDir, postJson, repoRoot, startCli, type RuntimeProcess } from '../runtime/helpers';

/** The part of sql.js this test uses; the package ships no type declarations. */
interface SqlJsDatabase {
  exec(sql: string): { values: unknown[][] }[];
  close(): void;
}
const initSqlJs = require('sql.js') as () => Promise<{ Database: new (data?: Uint8Array) => SqlJsDatabase }>;

/** Copies the example to a temporary folder, so parallel runs never share a database file. */
function copyExample(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-notes-')), 'sqlite-notes');
  fs.cpSync(path.join(examplesDir, 'sqlite-notes'), dir, {
    recursive: true,
    filter: (source) => !/[\\/](data|storage)$/.test(source),
  });
  // sql.js is resolved from the project, as it would be from the project's own node_modules.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function readRows(file: string): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    return db.exec('SELECT id, text FROM notes ORDER BY id')[0]?.values ?? [];
  } finally {
    db.close();
  }
}

describe('example sqlite-notes', () => {
  let dir: string;
  let runtime: RuntimeProcess;
  before(async () => {
    dir = copyExample();
    runtime = await startCli(dir);
  });
  after(async () => {
    await runtime?.stop();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('creates the database during start-up', () => {
    assert.ok(fs.existsSync(path.join(dir, 'data', 'function.db')));
  });

  it('adds, lists and deletes notes in the file', async () => {
    const first = await postJson(`${runtime.url}/notes`, { text: 'Call the supplier' });
    assert.equal(first.status, 201);
    const note = (await first.json()) as { id: number; text: string; createdAt: string };
    assert.equal(note.text, 'Call the supplier');
    assert.ok(!Number.isNaN(Date.parse(note.createdAt)));
    const second = (await (await postJson(`${runtime.url}/notes`, { text: 'Renew the number' })).json()) as { id: number };

    const listed = (await (await fetch(`${runtime.url}/notes`)).json()) as { notes: { id: number; text: string }[] };
    assert.deepEqual(listed.notes.map((item) => item.text), ['Call the supplier', 'Renew the number']);
    assert.deepEqual(await readRows(path.join(dir, 'data', 'function.db')), [
      [note.id, 'Call the supplier'],
      [second.id, 'Renew the number'],
    ]);

    assert.equal((await fetch(`${runtime.url}/notes?id=${note.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(`${runtime.url}/notes?id=${note.id}`, { method: 'DELETE' })).status, 404);
    assert.deepEqual(await readRows(path.join(dir, 'data', 'function.db')), [[second.id, 'Renew the number']]);
  });

  it('keeps concurrent writes', async () => {
    const texts = Array.from({ length: 8 }, (_, index) => `parallel ${index}`);
    const responses = await Promise.all(texts.map((text) => postJson(`${runtime.url}/notes`, { text })));
    assert.deepEqual(responses.map((response) => response.status), texts.map(() => 201));
    const rows = await readRows(path.join(dir, 'data', 'function.db'));
    for (const text of texts) assert.ok(rows.some((row) => row[1] === text), text);
  });

  it('rejects bad input', async () => {
    assert.equal((await postJson(`${runtime.url}/notes`, {})).status, 400);
    assert.equal((await postJson(`${runtime.url}/notes`, { text: 'x'.repeat(1001) })).status, 400);
    assert.equal((await fetch(`${runtime.url}/notes?id=abc`, { method: 'DELETE' })).status, 400);
    const put = await fetch(`${runtime.url}/notes`, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST, DELETE');
  });

  it('keeps notes across a restart', async () => {
    const before = (await (await fetch(`${runtime.url}/notes`)).json()) as { notes: unknown[] };
    assert.equal(await runtime.stop(), 0);
    runtime = await startCli(dir);
    const afterRestart = (await (await fetch(`${runtime.url}/notes`)).json()) as { notes: unknown[] };
    assert.deepEqual(afterRestart.notes, before.notes);
  });
});
