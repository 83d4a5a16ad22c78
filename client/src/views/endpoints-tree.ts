/**
 * The Endpoints view: the endpoints the language server found, grouped into voice callbacks,
 * webhooks and custom endpoints, with the state of each project's runtime. Items jump to their
 * definition and carry inline Run and Debug actions (see `view/item/context` in package.json).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EndpointInfo, EndpointTable } from '../../../common/src/protocol';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import type { RuntimeManager } from '../runtime/runtime-manager';

export type EndpointGroupId = 'voice' | 'webhooks' | 'custom';

export const GROUP_LABELS: Record<EndpointGroupId, string> = {
  voice: 'Voice callbacks',
  webhooks: 'Webhooks',
  custom: 'Custom endpoints',
};

export function groupOf(endpoint: Pick<EndpointInfo, 'kind'>): EndpointGroupId {
  if (endpoint.kind === 'voice-callback' || endpoint.kind === 'voice-webhook') return 'voice';
  if (endpoint.kind === 'webhook') return 'webhooks';
  return 'custom';
}

export type EndpointTreeNode =
  | { type: 'project'; projectDir: string; table: EndpointTable }
  | { type: 'group'; projectDir: string; group: EndpointGroupId; endpoints: EndpointInfo[] }
  | { type: 'endpoint'; projectDir: string; endpoint: EndpointInfo };

export class EndpointsTreeProvider implements vscode.TreeDataProvider<EndpointTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EndpointTreeNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly runtimes: RuntimeManager,
  ) {
    this.disposables.push(
      registry.onDidChange(() => this.changed.fire(undefined)),
      runtimes.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  getChildren(node?: EndpointTreeNode): EndpointTreeNode[] {
    if (!node) {
      const tables = this.registry.list();
      if (tables.length === 1) return this.groupsOf(tables[0]);
      return tables.map((table) => ({ type: 'project', projectDir: vscode.Uri.parse(table.folderUri).fsPath, table }));
    }
    if (node.type === 'project') return this.groupsOf(node.table);
    if (node.type === 'group') return node.endpoints.map((endpoint) => ({ type: 'endpoint', projectDir: node.projectDir, endpoint }));
    return [];
  }

  getTreeItem(node: EndpointTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'project': {
        const item = new vscode.TreeItem(path.basename(node.projectDir), vscode.TreeItemCollapsibleState.Expanded);
        item.description = this.runtimeDescription(node.projectDir);
        item.tooltip = node.projectDir;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = `project.${this.runtimes.get(node.projectDir) ? 'running' : 'stopped'}`;
        item.id = `project:${node.projectDir}`;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(GROUP_LABELS[node.group], vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.endpoints.length);
        item.iconPath = new vscode.ThemeIcon(node.group === 'voice' ? 'call-incoming' : node.group === 'webhooks' ? 'plug' : 'globe');
        item.contextValue = 'group';
        item.id = `group:${node.projectDir}:${node.group}`;
        return item;
      }
      case 'endpoint': {
        const { endpoint } = node;
        const item = new vscode.TreeItem(endpoint.exportName, vscode.TreeItemCollapsibleState.None);
        // Tree descriptions render neither codicons nor, without an emoji font, a lock emoji; the
        // icon is the lock and the word matches the code lens.
        item.description = `${endpoint.method} ${endpoint.route}${endpoint.protected ? ' (auth)' : ''}`;
        item.tooltip = new vscode.MarkdownString(
          `**${endpoint.exportName}** (${endpoint.kind})\n\n\`${endpoint.method} ${endpoint.route}\`` +
            (endpoint.protected ? '\n\nListed in `export const auth`: requests need credentials.' : ''),
        );
        item.iconPath = new vscode.ThemeIcon(endpoint.protected ? 'lock' : 'symbol-method');
        item.contextValue = 'endpoint';
        item.id = `endpoint:${node.projectDir}:${endpoint.exportName}`;
        const range = new vscode.Range(endpoint.range.start.line, endpoint.range.start.character, endpoint.range.end.line, endpoint.range.end.character);
        item.command = {
          command: 'vscode.open',
          title: 'Go to Definition',
          arguments: [vscode.Uri.parse(endpoint.uri), { selection: range } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
    }
  }

  getParent(): undefined {
    return undefined;
  }

  /** A one-line state for the view's description when the workspace has one project. */
  summary(): string | undefined {
    const tables = this.registry.list();
    if (tables.length !== 1) return undefined;
    return this.runtimeDescription(vscode.Uri.parse(tables[0].folderUri).fsPath);
  }

  private groupsOf(table: EndpointTable): EndpointTreeNode[] {
    const projectDir = vscode.Uri.parse(table.folderUri).fsPath;
    const groups: EndpointTreeNode[] = [];
    for (const group of Object.keys(GROUP_LABELS) as EndpointGroupId[]) {
      const endpoints = table.endpoints.filter((endpoint) => groupOf(endpoint) === group);
      if (endpoints.length > 0) groups.push({ type: 'group', projectDir, group, endpoints });
    }
    return groups;
  }

  private runtimeDescription(projectDir: string): string {
    const instance = this.runtimes.get(projectDir);
    if (!instance) return 'runtime stopped';
    const mode = instance.mode === 'debug' ? 'debugging' : instance.state;
    return `${mode}${instance.label ? ` ${instance.label}` : ''}`;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
