/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SinchFunctionsApi } from '../../client/src/extension';
import { activateExtension, codeLensTitles, dismissUntilSettled, exampleProject, waitFor } from './helpers';

(vscode.workspace.isTrusted ? describe.skip : describe)('Sinch Functions in Restricted Mode', () => {
  let api: SinchFunctionsApi;

  before(async () => {
    api = await activateExtension();
    await api.ready;
  });

  it('still shows lenses and endpoints', async () => {
    const { entry } = exampleProject();
    await vscode.window.showTextDocument(entry);
    const titles = await waitFor('code lenses', () => codeLensTitles(entry));
    assert.ok(titles.includes('GET /status'), titles.join(', '));
    const tables = await waitFor('endpoint tables', () => (api.endpoints.list().length > 0 ? api.endpoints.list() : undefined));
    assert.ok(tables[0].endpoints.some((endpoint) => endpoint.exportName === 'status'));
  });

  it('explains that starting the runtime needs trust', async () => {
    const { dir } = exampleProject();
    await assert.rejects(api.runtimes.ensureRunning(dir), /needs a trusted workspace/);
    // The command shows the same explanation; dismissing it ends the command with no runtime.
    const started = vscode.commands.executeCommand('sinchFunctions.startRuntime', dir);
    assert.equal(await dismissUntilSettled(started), undefined);
    assert.equal(api.runtimes.get(dir), undefined);
  });
});
