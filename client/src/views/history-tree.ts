/**
 * The History view: recent requests with their status and time, newest first. Selecting one shows
 * it in the Request view; the inline action sends it again.
 */
import * as vscode from 'vscode';
import type { HistoryEntry, HistoryStore } from '../request/history-store';

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: { dispose(): void };
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly history: HistoryStore) {
    this.subscription = history.onDidChange(() => this.changed.fire());
  }

  getChildren(entry?: HistoryEntry): HistoryEntry[] {
    return entry ? [] : this.history.list();
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(`${entry.request.method} ${entry.request.path}`);
    const when = new Date(entry.time).toLocaleTimeString();
    if (entry.response) {
      item.description = `${entry.response.status} · ${Math.round(entry.response.durationMs)} ms · ${when}`;
      item.iconPath = new vscode.ThemeIcon(statusIcon(entry.response.status), new vscode.ThemeColor(statusColor(entry.response.status)));
    } else {
      item.description = `failed · ${when}`;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    }
    item.tooltip = `${entry.baseUrl}${entry.request.path}\n${entry.error ?? ''}`.trim();
    item.contextValue = 'historyEntry';
    item.id = entry.id;
    item.command = { command: 'sinchFunctions.history.show', title: 'Show in Request View', arguments: [entry] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function statusIcon(status: number): string {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warning';
  return 'pass';
}

function statusColor(status: number): string {
  if (status >= 500) return 'testing.iconFailed';
  if (status >= 400) return 'testing.iconQueued';
  return 'testing.iconPassed';
}
