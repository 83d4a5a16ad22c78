// Notes kept in the function's SQLite database. `context.database` is the path of the database
// file. sql.js (SQLite compiled to WebAssembly, so no native build) reads it into memory, and
// every change is written back to the file.
import * as fs from 'node:fs';
import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';
import initSqlJs from 'sql.js';

interface Note {
  id: number;
  text: string;
  createdAt: string;
}

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
type Database = InstanceType<SqlJs['Database']>;

const MAX_NOTE_LENGTH = 1000;

let engine: Promise<SqlJs> | undefined;
const loadEngine = () => (engine ??= initSqlJs());

// One change at a time: each request reads the file, changes it and writes it back.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => undefined);
  return result;
}

async function withDatabase<T>(file: string, work: (db: Database) => T, save: boolean): Promise<T> {
  const SQL = await loadEngine();
  const db = new SQL.Database(fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  try {
    db.run('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, created_at TEXT NOT NULL)');
    const result = work(db);
    if (save) fs.writeFileSync(file, db.export());
    return result;
  } finally {
    db.close();
  }
}

function listNotes(db: Database): Note[] {
  const rows = db.exec('SELECT id, text, created_at FROM notes ORDER BY id');
  if (rows.length === 0) return [];
  return rows[0].values.map(([id, text, createdAt]) => ({ id: Number(id), text: String(text), createdAt: String(createdAt) }));
}

export function setup(runtime: { onStartup(handler: (context: FunctionContext) => Promise<void>): void }) {
  // Load the WebAssembly engine and create the table once, before the first request.
  runtime.onStartup(async (context) => {
    await serialized(() => withDatabase(context.database, () => undefined, true));
  });
}

/** GET lists the notes, POST `{ "text": "…" }` adds one, DELETE `?id=<n>` removes one. */
export async function notes(context: FunctionContext, request: FunctionRequest) {
  if (request.method === 'GET') {
    return { notes: await serialized(() => withDatabase(context.database, listNotes, false)) };
  }

  if (request.method === 'POST') {
    const text = (request.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_NOTE_LENGTH) {
      return { statusCode: 400, body: { error: `Send {"text": "..."} with 1 to ${MAX_NOTE_LENGTH} characters.` } };
    }
    const note = await serialized(() =>
      withDatabase(context.database, (db) => {
        const createdAt = new Date().toISOString();
        db.run('INSERT INTO notes (text, created_at) VALUES (?, ?)', [text, createdAt]);
        const id = Number(db.exec('SELECT last_insert_rowid()')[0].values[0][0]);
        return { id, text, createdAt };
      }, true),
    );
    context.log.info(`Added note ${note.id}`);
    return { statusCode: 201, body: note };
  }

  if (request.method === 'DELETE') {
    const id = Number(request.query.id);
    if (!Number.isInteger(id) || id < 1) {
      return { statusCode: 400, body: { error: 'Send the note to delete as ?id=<number>.' } };
    }
    const removed = await serialized(() =>
      withDatabase(context.database, (db) => {
        db.run('DELETE FROM notes WHERE id = ?', [id]);
        return db.getRowsModified();
      }, true),
    );
    return removed > 0 ? { statusCode: 204 } : { statusCode: 404, body: { error: `No note has the id ${id}.` } };
  }

  return { statusCode: 405, headers: { allow: 'GET, POST, DELETE' }, body: { error: `Method ${request.method} is not allowed.` } };
}
