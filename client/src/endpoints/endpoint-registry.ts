/**
 * The endpoint tables of every function project in the workspace, as the language server reports
 * them. The tree, the lenses' commands and the Request view read endpoints from here, so they are
 * known before any runtime starts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EndpointsChangedNotification,
  EndpointsRequest,
  type EndpointInfo,
  type EndpointTable,
  type EndpointsParams,
} from '../../../common/src/protocol';
import { errorMessage } from '../log/channels';

const PROJECT_GLOB = '**/{sinch.json,function.ts,function.js}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out}/**';
/** Upper bound on project folders looked up at once; a monorepo rarely has more. */
const MAX_PROJECTS = 100;

export class EndpointRegistry implements vscode.Disposable {
  private readonly tables = new Map<string, EndpointTable>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private client: LanguageClient | undefined;
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Connects to a started client: fetches each project's table and follows change notifications. */
  async attach(client: LanguageClient): Promise<void> {
    this.client = client;
    this.disposables.push(
      client.onNotification(EndpointsChangedNotification.method, (table: EndpointTable) => this.store(table)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.refreshFolder(vscode.Uri.file(path.dirname(uri.fsPath)))),
      watcher.onDidDelete((uri) => void this.refreshFolder(vscode.Uri.file(path.dirname(uri.fsPath)))),
    );
    await this.refreshAll();
  }

  /** Project folders found by their marker files, whether or not the server answered yet. */
  async findProjectFolders(): Promise<vscode.Uri[]> {
    const files = await vscode.workspace.findFiles(PROJECT_GLOB, EXCLUDE_GLOB, MAX_PROJECTS);
    const folders = new Map<string, vscode.Uri>();
    for (const file of files) {
      const folder = vscode.Uri.file(path.dirname(file.fsPath));
      folders.set(folder.toString(), folder);
    }
    return [...folders.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  async refreshAll(): Promise<void> {
    const folders = await this.findProjectFolders();
    await Promise.all(folders.map((folder) => this.refreshFolder(folder)));
  }

  async refreshFolder(folder: vscode.Uri): Promise<EndpointTable | undefined> {
    if (!this.client) return undefined;
    try {
      const params: EndpointsParams = { folderUri: folder.toString() };
      const table = await this.client.sendRequest<EndpointTable>(EndpointsRequest.method, params);
      if (table.entryUri === null && table.endpoints.length === 0) {
        this.forget(folder.toString());
        return undefined;
      }
      this.store(table);
      return table;
    } catch (error) {
      this.log.warn(`Could not list the endpoints of ${folder.fsPath}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  list(): EndpointTable[] {
    return [...this.tables.values()].sort((a, b) => a.folderUri.localeCompare(b.folderUri));
  }

  table(folderUri: string): EndpointTable | undefined {
    return this.tables.get(normalize(folderUri));
  }

  /** Finds an export in the table of the project that holds `documentUri`. */
  find(documentUri: string, exportName: string): { table: EndpointTable; endpoint: EndpointInfo } | undefined {
    const documentPath = vscode.Uri.parse(documentUri).fsPath;
    let best: { table: EndpointTable; endpoint: EndpointInfo } | undefined;
    for (const table of this.tables.values()) {
      const folderPath = vscode.Uri.parse(table.folderUri).fsPath;
      const inside = documentPath === folderPath || documentPath.startsWith(folderPath + path.sep);
      const endpoint = table.endpoints.find((candidate) => candidate.exportName === exportName);
      if (!inside || !endpoint) continue;
      // The deepest folder wins when projects nest.
      if (!best || folderPath.length > vscode.Uri.parse(best.table.folderUri).fsPath.length) best = { table, endpoint };
    }
    return best;
  }

  private store(table: EndpointTable): void {
    this.tables.set(normalize(table.folderUri), table);
    this.changed.fire();
  }

  private forget(folderUri: string): void {
    if (this.tables.delete(normalize(folderUri))) this.changed.fire();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function normalize(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}
