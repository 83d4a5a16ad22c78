/**
 * Shared steps of the extension-host suites: activating the extension, finding the example
 * project, and waiting for a condition with a deadline (the suites wait on state, never on fixed
 * sleeps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SinchFunctionsApi } from '../../client/src/extension';

export const EXTENSION_ID = 'sinch-functions-dev.sinch-functions-dev';

export async function activateExtension(): Promise<SinchFunctionsApi> {
  const extension = vscode.extensions.getExtension<SinchFunctionsApi>(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not installed in this editor.`);
  const api = await extension.activate();
  return api;
}

/** The workspace folder's project and its entry file. */
export function exampleProject(): { dir: string; entry: vscode.Uri } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The extension-host suite needs a workspace folder (a copy of examples/custom-endpoints).');
  const entry = path.join(folder.uri.fsPath, 'function.ts');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: open a copy of examples/custom-endpoints.`);
  return { dir: folder.uri.fsPath, entry: vscode.Uri.file(entry) };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(description: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  // Bounded by the deadline; the delay grows so a slow machine is not flooded with probes.
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 250);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`);
}

/** Resolves with the first event of `event` that passes `filter`. */
export function nextEvent<T>(event: vscode.Event<T>, filter: (value: T) => boolean, description = 'a matching event', timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!filter(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

export async function codeLensTitles(uri: vscode.Uri): Promise<string[] | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  const titles = (lenses ?? []).map((lens) => lens.command?.title ?? '').filter((title) => title !== '');
  return titles.length > 0 ? titles : undefined;
}

/**
 * Dismisses notifications until `pending` settles, and returns its value. A command that waits
 * for the user's answer to a message ends when the message is closed without a choice.
 */
export async function dismissUntilSettled<T>(pending: Thenable<T>, timeoutMs = 30_000): Promise<T> {
  let settled = false;
  const result = Promise.resolve(pending).finally(() => {
    settled = true;
  });
  await waitFor('the command to end', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    return settled ? true : undefined;
  }, timeoutMs);
  return result;
}
