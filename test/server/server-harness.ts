/**
 * Test harness for the language server core: a recording client, fixture access, and helpers
 * that find ranges by searching for a snippet in the document text.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { EndpointTable } from '../../common/src/protocol';
import { ServerCore, type ServerClient } from '../../server/src/server-core';
import { LineIndex } from '../../server/src/text/line-index';

export const FIXTURE_ROOT = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'server');

export class RecordingClient implements ServerClient {
  readonly published: Array<{ uri: string; diagnostics: Diagnostic[]; version?: number }> = [];
  readonly tables: EndpointTable[] = [];
  readonly logs: string[] = [];
  readonly errors: string[] = [];

  publishDiagnostics(uri: string, diagnostics: Diagnostic[], version?: number): void {
    this.published.push({ uri, diagnostics, version });
  }

  private tableWaiters: Array<(table: EndpointTable) => void> = [];

  endpointsChanged(table: EndpointTable): void {
    this.tables.push(table);
    const waiters = this.tableWaiters;
    this.tableWaiters = [];
    for (const resolve of waiters) resolve(table);
  }

  /** Resolves with the next endpoint table the server sends. */
  nextTable(): Promise<EndpointTable> {
    return new Promise((resolve) => this.tableWaiters.push(resolve));
  }

  log(message: string): void {
    this.logs.push(message);
  }

  error(message: string): void {
    this.errors.push(message);
  }

  /** Returns the diagnostics last published for a URI (an empty list when none were). */
  diagnosticsOf(uri: string): Diagnostic[] {
    for (let index = this.published.length - 1; index >= 0; index--) {
      if (this.published[index].uri === uri) return this.published[index].diagnostics;
    }
    return [];
  }
}

export function createServer(): { core: ServerCore; client: RecordingClient } {
  const client = new RecordingClient();
  return { core: new ServerCore(client), client };
}

/** Copies a fixture project into a fresh temporary folder, so tests can edit and delete files. */
export function copyFixture(name: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), `sinch-ls-${name}-`));
  fs.cpSync(path.join(FIXTURE_ROOT, name), target, { recursive: true });
  return target;
}

export function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).toString();
}

/** Opens a file from disk in the core, as the editor does, and returns its URI and text. */
export async function openFile(core: ServerCore, filePath: string, version = 1): Promise<{ uri: string; text: string }> {
  const text = fs.readFileSync(filePath, 'utf8');
  const uri = uriOf(filePath);
  core.openDocument(uri, version, text);
  await core.whenIdle();
  return { uri, text };
}

/** Returns the range of the `occurrence`-th appearance of `snippet` in `text` (0-based). */
export function rangeOf(text: string, snippet: string, occurrence = 0): Range {
  let index = -1;
  for (let count = 0; count <= occurrence; count++) {
    index = text.indexOf(snippet, index + 1);
    if (index < 0) throw new Error(`Snippet ${JSON.stringify(snippet)} not found (occurrence ${occurrence}).`);
  }
  return new LineIndex(text).rangeOf({ start: index, end: index + snippet.length });
}

export function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** Returns the text of a diagnostic message (LSP 3.18 also allows markup). */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
