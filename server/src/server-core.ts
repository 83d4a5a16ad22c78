/**
 * The language server's state and behaviour, without the connection: open documents, function
 * projects and their analyses, and when to recompute and publish. Everything sent outward goes
 * through `ServerClient`, so tests drive this class in-process with a recording client.
 * No public method throws: failures are logged and an empty result is returned.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import type { EndpointTable } from '../../common/src/protocol';
import { endpointsOf, type Endpoint } from './analysis/endpoint-model';
import { analyzeProject, type ProjectAnalysis } from './analysis/project-analysis';
import { findProjectFolder, PROJECT_MARKERS, resolveEntry, type EntryResolution } from './analysis/project-entry';
import { DiskSourceHost } from './analysis/source-host';
import { computeCodeActions } from './features/code-actions';
import { computeCodeLenses } from './features/code-lenses';
import { computeDiagnostics } from './features/diagnostics';
import { buildEndpointTable } from './features/endpoints';
import { computeHover, DEFAULT_RUNTIME_URL } from './features/hover';
import { OpenDocuments, pathOfUri, type ContentChange } from './open-documents';

/** Everything the core sends to the editor. */
export interface ServerClient {
  publishDiagnostics(uri: string, diagnostics: Diagnostic[], version?: number): void;
  endpointsChanged(table: EndpointTable): void;
  log(message: string): void;
  error(message: string): void;
}

export interface ServerSettings {
  /** Entry file relative to the project folder (the `sinchFunctions.runtime.entry` setting). */
  entry?: string;
  /** Base URL of the local runtime, used in hover `curl` lines. */
  runtimeUrl: string;
}

export const DEFAULT_SETTINGS: ServerSettings = { runtimeUrl: DEFAULT_RUNTIME_URL };

export type FileChangeType = 'created' | 'changed' | 'deleted';

interface ProjectState {
  folderPath: string;
  entry: EntryResolution | undefined;
  analysis: ProjectAnalysis | undefined;
  endpoints: Endpoint[];
  lastTable: EndpointTable | undefined;
  /** A range-only change of the table that waits to be sent. */
  pendingTable: NodeJS.Timeout | undefined;
  /** The folder URI as the client spelled it in an endpoints request, if it sent one. */
  folderUri: string | undefined;
  /** The URIs that this project's diagnostics were last published for. */
  diagnosticsUris: Set<string>;
}

/** Quiet period before a table whose positions alone changed is sent. */
const RANGE_ONLY_NOTIFICATION_DELAY_MS = 300;

/** Files watched for project changes: sources and the manifest. */
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

export class ServerCore {
  private readonly documents = new OpenDocuments();
  private readonly host = new DiskSourceHost(this.documents);
  private readonly projects = new Map<string, ProjectState>();
  private readonly dirty = new Set<string>();
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly client: ServerClient) {}

  // --- Documents and files -------------------------------------------------------------------

  openDocument(uri: string, version: number, text: string): void {
    this.guard('didOpen', undefined, () => {
      const document = this.documents.open(uri, version, text);
      if (!document) return;
      this.markAffected(document.path);
      const folder = findProjectFolder(document.path, this.host);
      if (folder) this.markDirty(this.projectFor(folder).folderPath);
    });
  }

  changeDocument(uri: string, version: number, changes: readonly ContentChange[]): void {
    this.guard('didChange', undefined, () => {
      const document = this.documents.get(uri);
      if (!document) return;
      document.applyChanges(version, changes);
      this.markAffected(document.path);
    });
  }

  closeDocument(uri: string): void {
    this.guard('didClose', undefined, () => {
      const document = this.documents.close(uri);
      if (!document) return;
      // Diagnostics belong to open documents only; a closed file shows none.
      this.clearDiagnosticsFor(uri);
      this.markAffected(document.path);
    });
  }

  /** Files created, changed or deleted on disk, as reported by the editor's file watcher. */
  filesChanged(changes: ReadonlyArray<{ uri: string; type: FileChangeType }>): void {
    this.guard('didChangeWatchedFiles', undefined, () => {
      for (const change of changes) {
        const filePath = pathOfUri(change.uri);
        if (!filePath) continue;
        this.host.forget(filePath);
        this.documents.setDeletedOnDisk(filePath, change.type === 'deleted');
        if (change.type === 'deleted') this.clearDiagnosticsFor(this.documents.getByPath(filePath)?.uri ?? change.uri);
        this.markAffected(filePath, true);
      }
    });
  }

  /** Files renamed in the editor: the old path no longer exists and the new one does. */
  filesRenamed(renames: ReadonlyArray<{ oldUri: string; newUri: string }>): void {
    this.filesChanged(
      renames.flatMap((rename) => [
        { uri: rename.oldUri, type: 'deleted' as const },
        { uri: rename.newUri, type: 'created' as const },
      ]),
    );
    this.guard('didRenameFiles', undefined, () => {
      for (const rename of renames) this.clearDiagnosticsFor(rename.oldUri);
    });
  }

  updateSettings(settings: Partial<ServerSettings>): void {
    this.guard('didChangeConfiguration', undefined, () => {
      this.settings = {
        entry: typeof settings.entry === 'string' ? settings.entry : undefined,
        runtimeUrl: typeof settings.runtimeUrl === 'string' && settings.runtimeUrl ? settings.runtimeUrl : DEFAULT_RUNTIME_URL,
      };
      for (const project of this.projects.values()) {
        project.entry = undefined;
        this.markDirty(project.folderPath);
      }
    });
  }

  // --- Features -------------------------------------------------------------------------------

  codeLenses(uri: string): CodeLens[] {
    return this.guard('codeLens', [], () => {
      this.flush();
      const document = this.documents.get(uri);
      if (!document) return [];
      const source = document.source();
      return this.projectsContaining(document.path).flatMap((project) =>
        computeCodeLenses(project.endpoints, source, uri),
      );
    });
  }

  hover(uri: string, position: Position): Hover | null {
    return this.guard('hover', null, () => {
      this.flush();
      const document = this.documents.get(uri);
      if (!document) return null;
      const source = document.source();
      const offset = document.lines().offsetAt(position);
      for (const project of this.projectsContaining(document.path)) {
        const hover = computeHover(project.analysis!, project.endpoints, source, offset, this.settings.runtimeUrl);
        if (hover) return hover;
      }
      return null;
    });
  }

  codeActions(uri: string, _range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
    return this.guard('codeAction', [], () => {
      const document = this.documents.get(uri);
      if (!document) return [];
      return computeCodeActions(document.source(), uri, diagnostics);
    });
  }

  /** Returns the endpoint table of a project folder (the `sinchFunctions/endpoints` request). */
  endpoints(folderUri: string): EndpointTable {
    return this.guard('endpoints', { folderUri, entryUri: null, endpoints: [] }, () => {
      const folderPath = pathOfUri(folderUri);
      if (!folderPath) return { folderUri, entryUri: null, endpoints: [] };
      const project = this.projectFor(folderPath);
      project.folderUri = folderUri;
      this.markDirty(project.folderPath);
      this.flush();
      return buildEndpointTable(project.analysis, project.endpoints, folderUri, (file) => this.uriOf(file));
    });
  }

  /** Resolves once every pending recomputation has run and its results were sent. */
  whenIdle(): Promise<void> {
    if (!this.flushScheduled && this.dirty.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // --- Projects -------------------------------------------------------------------------------

  private projectFor(folderPath: string): ProjectState {
    const normalized = path.normalize(folderPath);
    let project = this.projects.get(normalized);
    if (!project) {
      project = {
        folderPath: normalized,
        entry: undefined,
        analysis: undefined,
        endpoints: [],
        lastTable: undefined,
        pendingTable: undefined,
        folderUri: undefined,
        diagnosticsUris: new Set(),
      };
      this.projects.set(normalized, project);
    }
    return project;
  }

  private projectsContaining(filePath: string): ProjectState[] {
    return [...this.projects.values()].filter((project) => project.analysis?.modules.has(filePath));
  }

  /** Marks every project that a change to this path can affect. */
  private markAffected(filePath: string, discover = false): void {
    const baseName = path.basename(filePath);
    const isMarker = (PROJECT_MARKERS as readonly string[]).includes(baseName);
    for (const project of this.projects.values()) {
      const watchesEntry = project.entry?.watched.includes(filePath) ?? false;
      if (watchesEntry || (isMarker && path.dirname(filePath) === project.folderPath)) {
        project.entry = undefined;
        this.markDirty(project.folderPath);
      } else if (project.analysis?.dependencies.has(filePath)) {
        this.markDirty(project.folderPath);
      }
    }
    // Only an open file can start a new project. It is checked first, because looking for the
    // project folder costs a few `stat` calls per file and an `npm install` reports thousands.
    if (discover && (isMarker || SOURCE_FILE.test(filePath)) && this.documents.getByPath(filePath)) {
      const folder = findProjectFolder(filePath, this.host);
      if (folder && !this.projects.has(path.normalize(folder))) {
        this.markDirty(this.projectFor(folder).folderPath);
      }
    }
  }

  private markDirty(folderPath: string): void {
    this.dirty.add(folderPath);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Changes that arrive together are analysed once, right after the current message.
    setImmediate(() => {
      this.flushScheduled = false;
      this.guard('analysis', undefined, () => this.flush());
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.flushScheduled || this.dirty.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Recomputes every dirty project now, then publishes its diagnostics and endpoint table. */
  private flush(): void {
    const folders = [...this.dirty];
    this.dirty.clear();
    for (const folder of folders) {
      const project = this.projects.get(folder);
      if (project) this.guard(`analysis of ${folder}`, undefined, () => this.recompute(project));
    }
  }

  private recompute(project: ProjectState): void {
    if (!project.entry) {
      project.entry = resolveEntry(project.folderPath, this.host, this.settings.entry);
      if (project.entry.problem) this.client.log(project.entry.problem);
    }
    const analysis = analyzeProject(project.folderPath, project.entry.path, this.host);
    project.analysis = analysis;
    project.endpoints = endpointsOf(analysis);
    this.publishProjectDiagnostics(project);

    const folderUri = project.folderUri ?? this.uriOf(project.folderPath);
    const table = buildEndpointTable(analysis, project.endpoints, folderUri, (file) => this.uriOf(file));
    this.sendTable(project, table);
  }

  /**
   * Sends a changed endpoint table. A change of positions only (typing above an export moves
   * every range below it) is sent after a short quiet period, so that typing does not send the
   * whole table on each keystroke. Any other change is sent at once.
   */
  private sendTable(project: ProjectState, table: EndpointTable): void {
    const previous = project.lastTable;
    if (previous && sameTable(previous, table, true)) return;
    project.lastTable = table;
    if (!previous && table.endpoints.length === 0) return;

    if (project.pendingTable) clearTimeout(project.pendingTable);
    project.pendingTable = undefined;
    if (previous && sameTable(previous, table, false)) {
      project.pendingTable = setTimeout(() => {
        project.pendingTable = undefined;
        if (project.lastTable) this.client.endpointsChanged(project.lastTable);
      }, RANGE_ONLY_NOTIFICATION_DELAY_MS);
      return;
    }
    this.client.endpointsChanged(table);
  }

  /**
   * Publishes the diagnostics of every open file of the project (the entry file and the files it
   * re-exports from), and clears those of files that left the project or closed.
   */
  private publishProjectDiagnostics(project: ProjectState): void {
    const analysis = project.analysis;
    const openModules = analysis ? [...analysis.modules.keys()].filter((file) => this.documents.getByPath(file)) : [];
    const byPath = analysis && openModules.length > 0 ? computeDiagnostics(analysis, (file) => this.uriOf(file)) : new Map();

    const published = new Set<string>();
    for (const filePath of openModules) {
      const document = this.documents.getByPath(filePath)!;
      const diagnostics = byPath.get(filePath);
      if (!diagnostics) continue;
      this.client.publishDiagnostics(document.uri, diagnostics, document.version);
      published.add(document.uri);
    }
    for (const uri of project.diagnosticsUris) {
      // The file is no longer part of the project (or no longer its entry), or it closed.
      if (!published.has(uri)) this.client.publishDiagnostics(uri, []);
    }
    project.diagnosticsUris = published;
  }

  private clearDiagnosticsFor(uri: string): void {
    this.client.publishDiagnostics(uri, []);
    for (const project of this.projects.values()) project.diagnosticsUris.delete(uri);
  }

  /** Returns the URI the editor uses for a path: the open document's, else a `file:` URI. */
  private uriOf(filePath: string): string {
    return this.documents.getByPath(filePath)?.uri ?? pathToFileURL(filePath).toString();
  }

  private guard<T>(operation: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.client.error(`${operation} failed: ${detail}`);
      return fallback;
    }
  }
}

function sameTable(a: EndpointTable, b: EndpointTable, compareRanges: boolean): boolean {
  if (a.folderUri !== b.folderUri || a.entryUri !== b.entryUri || a.endpoints.length !== b.endpoints.length) return false;
  return a.endpoints.every((endpoint, index) => {
    const other = b.endpoints[index];
    return (
      endpoint.exportName === other.exportName &&
      endpoint.kind === other.kind &&
      endpoint.route === other.route &&
      endpoint.method === other.method &&
      endpoint.uri === other.uri &&
      endpoint.protected === other.protected &&
      (!compareRanges || sameRange(endpoint.range, other.range))
    );
  });
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

