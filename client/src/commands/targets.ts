/**
 * Turns the arguments a command receives (a code lens's `{ uri, exportName }`, a tree item, a
 * folder URI, or nothing from the command palette) into the project folder and export to act on.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EndpointCommandArgs } from '../../../common/src/protocol';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import { findProjectRoot } from '../runtime/project-root';
import type { EndpointTreeNode } from '../views/endpoints-tree';

export interface EndpointTarget {
  projectDir: string;
  exportName: string;
}

function isLensArgs(value: unknown): value is EndpointCommandArgs {
  return typeof (value as EndpointCommandArgs)?.uri === 'string' && typeof (value as EndpointCommandArgs)?.exportName === 'string';
}

function isTreeNode(value: unknown): value is EndpointTreeNode {
  return typeof (value as EndpointTreeNode)?.type === 'string' && typeof (value as EndpointTreeNode)?.projectDir === 'string';
}

export async function resolveEndpointTarget(registry: EndpointRegistry, arg: unknown): Promise<EndpointTarget | undefined> {
  if (isTreeNode(arg) && arg.type === 'endpoint') return { projectDir: arg.projectDir, exportName: arg.endpoint.exportName };
  if (isLensArgs(arg)) {
    const found = registry.find(arg.uri, arg.exportName);
    if (found) return { projectDir: vscode.Uri.parse(found.table.folderUri).fsPath, exportName: arg.exportName };
    const file = vscode.Uri.parse(arg.uri);
    const folder = vscode.workspace.getWorkspaceFolder(file);
    const root = findProjectRoot(file.fsPath, folder?.uri.fsPath ?? path.parse(file.fsPath).root);
    return root ? { projectDir: root, exportName: arg.exportName } : undefined;
  }
  return pickEndpoint(registry);
}

async function pickEndpoint(registry: EndpointRegistry): Promise<EndpointTarget | undefined> {
  const items = registry.list().flatMap((table) => {
    const projectDir = vscode.Uri.parse(table.folderUri).fsPath;
    return table.endpoints.map((endpoint) => ({
      label: endpoint.exportName,
      description: `${endpoint.method} ${endpoint.route}`,
      detail: registry.list().length > 1 ? path.basename(projectDir) : undefined,
      target: { projectDir, exportName: endpoint.exportName },
    }));
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No endpoints found: open a folder with a function.ts that exports a handler.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Pick an endpoint' });
  return picked?.target;
}

/** Resolves a project folder from a tree node, a URI, a path, or a pick among known projects. */
export async function resolveProjectDir(registry: EndpointRegistry, arg: unknown): Promise<string | undefined> {
  if (isTreeNode(arg)) return arg.projectDir;
  if (arg instanceof vscode.Uri) {
    const folder = vscode.workspace.getWorkspaceFolder(arg);
    return findProjectRoot(arg.fsPath, folder?.uri.fsPath ?? arg.fsPath) ?? arg.fsPath;
  }
  if (typeof arg === 'string' && arg !== '') return arg;

  const known = new Map<string, string>();
  for (const table of registry.list()) known.set(vscode.Uri.parse(table.folderUri).fsPath, '');
  if (known.size === 0) for (const folder of await registry.findProjectFolders()) known.set(folder.fsPath, '');
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) {
    const containing = [...known.keys()].filter((dir) => active.fsPath.startsWith(dir + path.sep)).sort((a, b) => b.length - a.length)[0];
    if (containing) return containing;
  }
  if (known.size === 1) return [...known.keys()][0];
  if (known.size === 0) {
    void vscode.window.showInformationMessage('No function project found: a project has a function.ts, function.js or sinch.json.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...known.keys()].map((dir) => ({ label: path.basename(dir), description: dir, dir })),
    { placeHolder: 'Pick a function project' },
  );
  return picked?.dir;
}
