/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SinchFunctionsApi } from '../../client/src/extension';
import type { SendOutcome } from '../../client/src/request/request-controller';
import { activateExtension, codeLensTitles, dismissUntilSettled, exampleProject, nextEvent, waitFor } from './helpers';

(vscode.workspace.isTrusted ? describe : describe.skip)('Sinch Functions extension', () => {
  let api: SinchFunctionsApi;
  const project = () => exampleProject();

  let tracking: vscode.Disposable | undefined;

  before(async () => {
    tracking = trackBreakpointAnswers();
    api = await activateExtension();
    await api.ready;
  });

  after(async () => {
    tracking?.dispose();
    await api?.runtimes.stopAll();
  });

  it('activates on the example', () => {
    const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON.name === 'sinch-functions-dev');
    assert.ok(extension?.isActive);
  });

  it('shows lenses on the handlers', async () => {
    await vscode.window.showTextDocument(project().entry);
    const titles = await waitFor('code lenses', () => codeLensTitles(project().entry));
    assert.ok(titles.includes('GET /status'), titles.join(', '));
    assert.ok(titles.includes('Run'));
    assert.ok(titles.includes('Debug'));
  });

  it('reports a diagnostic for a near-miss voice name', async () => {
    const document = await vscode.workspace.openTextDocument(project().entry);
    const original = document.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(original.length), '\nexport async function Notify() { return {}; }\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const diagnostics = await waitFor('a diagnostic on Notify', () => {
        const found = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.message.includes('"Notify"'));
        return found.length > 0 ? found : undefined;
      });
      assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      const revert = new vscode.WorkspaceEdit();
      revert.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(revert);
      await document.save();
    }
  });

  it('lists the endpoints in groups', async () => {
    const roots = await waitFor('endpoint groups', () => {
      const children = api.endpointsTree.getChildren();
      return children.length > 0 ? children : undefined;
    });
    const custom = roots.find((node) => node.type === 'group' && node.group === 'custom');
    assert.ok(custom, 'a Custom endpoints group');
    assert.equal(custom.type, 'group');
    const names = api.endpointsTree.getChildren(custom).map((node) => (node.type === 'endpoint' ? node.endpoint.exportName : ''));
    assert.ok(names.includes('status'), names.join(', '));
    const status = api.endpointsTree.getChildren(custom).find((node) => node.type === 'endpoint' && node.endpoint.exportName === 'status')!;
    const item = api.endpointsTree.getTreeItem(status);
    assert.equal(item.description, 'GET /status');
    assert.equal(item.contextValue, 'endpoint');
    assert.equal(item.command?.command, 'vscode.open');
  });

  it('runs GET /status and shows 200', async () => {
    const outcome = await vscode.commands.executeCommand<SendOutcome>('sinchFunctions.runEndpoint', {
      uri: project().entry.toString(),
      exportName: 'status',
    });
    assert.equal(outcome?.error, undefined);
    assert.equal(outcome?.response?.status, 200);
    assert.equal(api.requests.viewState.response?.status, 200);
    assert.equal(api.requests.viewState.response?.exportName, 'status');
    const instance = api.runtimes.get(project().dir);
    assert.equal(instance?.mode, 'run');
    assert.match(api.statusBar.text, new RegExp(`:${instance?.status?.port}`));
  });

  // NOTE: the stop after the edit is flaky: about one run in three stops one line early or not at
  // all. The runtime compiles every generation of a module under the same script URL, so the
  // debugger keeps a breakpoint at the old compiled position in the new code. With a
  // per-generation `//# sourceURL` (such as `function.ts.generation-3.js`) five runs of five passed.
  it('stops at a breakpoint under Debug, again after an edit', async () => {
    const document = await vscode.workspace.openTextDocument(project().entry);
    const original = document.getText();
    const returnLine = lineAfter(document, 'export async function status', 'return');
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(returnLine, 0)));
    vscode.debug.addBreakpoints([breakpoint]);
    try {
      await expectStopAt(document.uri, returnLine + 1);

      const generation = api.runtimes.get(project().dir)?.status?.generation ?? 0;
      // The editor sends the moved breakpoint to the debugger on save; wait for the debugger's
      // answer and for the reload, so the request races neither.
      const reloaded = nextEvent(api.runtimes.onDidChange, () => (api.runtimes.get(project().dir)?.status?.generation ?? 0) > generation, 'the runtime to reload');
      const breakpointsSet = setBreakpointsAnswered(path.basename(document.uri.fsPath), returnLine + 2);
      const edit = new vscode.WorkspaceEdit();
      // Inserted at the end of the line above, so the breakpoint's line unambiguously moves down
      // (text inserted at the breakpoint's own position may leave the breakpoint in place).
      const above = document.lineAt(returnLine - 1);
      edit.insert(document.uri, above.range.end, '\n  const edited = true;');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await document.save();
      await Promise.all([reloaded, breakpointsSet]);
      await expectStopAt(document.uri, returnLine + 2);
    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints.filter((candidate) => candidate instanceof vscode.SourceBreakpoint && candidate.location.uri.toString() === document.uri.toString()));
      const revert = new vscode.WorkspaceEdit();
      revert.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(revert);
      await document.save();
      await api.runtimes.stop(project().dir);
    }
  });

  it('names a busy port and starts nothing when dismissed', async () => {
    await api.runtimes.stop(project().dir);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const config = vscode.workspace.getConfiguration('sinchFunctions', vscode.Uri.file(project().dir));
    await config.update('runtime.port', port, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const busy = nextEvent(api.runtimes.onDidFindBusyPort, (event) => event.port === port, `a busy-port event for ${port}`);
      const started = vscode.commands.executeCommand('sinchFunctions.startRuntime', project().dir);
      const event = await busy;
      assert.equal(event.host, '127.0.0.1');
      assert.notEqual(event.freePort, port);
      // Dismissing the message answers it with no choice, which cancels the start.
      assert.equal(await dismissUntilSettled(started), undefined);
      assert.equal(api.runtimes.get(project().dir), undefined);
    } finally {
      await config.update('runtime.port', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      blocker.close();
    }
  });
});

/** Returns the first line after the line containing `start` that contains `marker`. */
function lineAfter(document: vscode.TextDocument, start: string, marker: string): number {
  let found = false;
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (text.includes(start)) found = true;
    else if (found && text.includes(marker)) return line;
  }
  throw new Error(`No "${marker}" line after "${start}" in ${document.uri.fsPath}.`);
}

/** Answered `setBreakpoints` requests of every debug session: the file path and its lines. */
const breakpointAnswers = new vscode.EventEmitter<{ path: string; lines: number[] }>();
const answersSeen: string[] = [];

/**
 * Watches the messages of every debug session started from now on, so a test can wait until the
 * debugger has accepted a breakpoint position. Trackers attach only to sessions that start after
 * registration, so this runs before the first session.
 */
function trackBreakpointAnswers(): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: () => {
      const requests = new Map<number, { path: string; lines: number[] }>();
      return {
        onWillReceiveMessage(message: { seq: number; command?: string; arguments?: { source?: { path?: string }; breakpoints?: Array<{ line: number }> } }) {
          if (message.command !== 'setBreakpoints') return;
          const args = message.arguments;
          requests.set(message.seq, { path: String(args?.source?.path ?? ''), lines: (args?.breakpoints ?? []).map((breakpoint) => breakpoint.line) });
        },
        onDidSendMessage(message: { type?: string; request_seq?: number }) {
          if (message.type !== 'response' || message.request_seq === undefined) return;
          const request = requests.get(message.request_seq);
          if (!request) return;
          requests.delete(message.request_seq);
          breakpointAnswers.fire(request);
        },
      };
    },
  });
}

/** Resolves when a debugger answers `setBreakpoints` for `fileName` with the one-based `line`. */
function setBreakpointsAnswered(fileName: string, line: number): Promise<unknown> {
  return nextEvent(
    breakpointAnswers.event,
    (answer) => {
      answersSeen.push(`${answer.path}: ${answer.lines.join(',')}`);
      return answer.path.endsWith(fileName) && answer.lines.includes(line);
    },
    `setBreakpoints on ${fileName}:${line} (answers seen: ${answersSeen.join('; ') || 'none'})`,
  );
}

/** Sends Debug for `status`, expects a stop at the one-based `line` of `uri`, then continues. */
async function expectStopAt(uri: vscode.Uri, line: number): Promise<void> {
  const stopped = nextEvent(vscode.debug.onDidChangeActiveStackItem, (item) => item instanceof vscode.DebugStackFrame, `a stop at line ${line}`);
  const outcome = vscode.commands.executeCommand<SendOutcome>('sinchFunctions.debugEndpoint', { uri: uri.toString(), exportName: 'status' });
  const frame = (await stopped) as vscode.DebugStackFrame;
  const trace = await frame.session.customRequest('stackTrace', { threadId: frame.threadId, startFrame: 0, levels: 1 });
  const top = trace.stackFrames[0];
  // Under a remote editor the path comes back as a vscode-remote URI: compare by suffix.
  assert.ok(String(top.source?.path ?? '').endsWith(path.basename(uri.fsPath)), `stopped in ${top.source?.path}`);
  const positions = vscode.debug.breakpoints
    .filter((candidate): candidate is vscode.SourceBreakpoint => candidate instanceof vscode.SourceBreakpoint)
    .map((candidate) => candidate.location.range.start.line + 1);
  assert.equal(top.line, line, `stopped at line ${top.line}; breakpoints at ${positions.join(', ')}; setBreakpoints answers: ${answersSeen.join('; ')}`);
  await frame.session.customRequest('continue', { threadId: frame.threadId });
  const result = await outcome;
  assert.equal(result?.response?.status, 200);
}
