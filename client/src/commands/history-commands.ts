/** Show, replay and clear entries of the History view. */
import * as vscode from 'vscode';
import type { HistoryEntry, HistoryStore } from '../request/history-store';
import type { RequestController } from '../request/request-controller';
import type { RequestViewProvider } from '../views/request-view';

export function registerHistoryCommands(
  history: HistoryStore,
  requests: RequestController,
  requestView: RequestViewProvider,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sinchFunctions.history.show', async (entry?: HistoryEntry) => {
      if (!entry) return;
      requests.showHistoryEntry(entry.id);
      await requestView.reveal();
    }),
    vscode.commands.registerCommand('sinchFunctions.history.replay', async (entry?: HistoryEntry) => {
      if (!entry) return undefined;
      void requestView.reveal();
      return requests.replayHistoryEntry(entry.id);
    }),
    vscode.commands.registerCommand('sinchFunctions.history.clear', () => history.clear()),
  ];
}
