/**
 * The runtime manager and the request controller outside the editor: a stand-in `vscode` module,
 * the real runtime (dist/runtime/cli.js) on free ports, real files and sockets.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as ManagerModule from '../../client/src/runtime/runtime-manager';
import type * as OptionsModule from '../../client/src/runtime/runtime-options';
import type * as ControllerModule from '../../client/src/request/request-controller';
import type * as HistoryModule from '../../client/src/request/history-store';
import type * as RegistryModule from '../../client/src/endpoints/endpoint-registry';
import type * as SamplesModule from '../../client/src/request/runtime-samples';
import type { ViewMessage, HostMessage } from '../../client/webview/protocol';
import { createFakeVscode, installFakeVscode, type ShownMessage } from './fake-vscode';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'runtime', 'cli.js');
const settings: Record<string, unknown> = {};
const answers: { next?: (message: ShownMessage) => string | undefined | Promise<string | undefined>; trusted: boolean } = { trusted: true };
const fake = createFakeVscode(settings, { answer: (message) => answers.next?.(message) });
installFakeVscode(fake);
const vscode = fake.module as { workspace: { isTrusted: boolean }; window: { createOutputChannel(name: string): never } };

const { RuntimeManager, TrustRequiredError } = require('../../client/src/runtime/runtime-manager') as typeof ManagerModule;
const { runtimeArgs } = require('../../client/src/runtime/runtime-options') as typeof OptionsModule;
const { RequestController } = require('../../client/src/request/request-controller') as typeof ControllerModule;
const { HistoryStore } = require('../../client/src/request/history-store') as typeof HistoryModule;
const { EndpointRegistry } = require('../../client/src/endpoints/endpoint-registry') as typeof RegistryModule;
const { createRuntimeSampleCatalog } = require('../../client/src/request/runtime-samples') as typeof SamplesModule;

const runtimeLog = vscode.window.createOutputChannel('runtime') as unknown as { lines: string[] };
const extensionLog = vscode.window.createOutputChannel('extension') as never;
const manager = new RuntimeManager(cli, runtimeLog as never, extensionLog);
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-manager-'));

function copyExample(name: string): string {
  const target = path.join(temporary, name);
  fs.cpSync(path.join(root, 'examples', name), target, { recursive: true });
  return target;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let custom: string;
let voice: string;

/** Waits until the runtime log has a line containing `text`; stdout lines may trail the IPC state. */
async function waitForLine(text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!runtimeLog.lines.some((line) => line.includes(text))) {
    assert.ok(Date.now() < deadline, `no "${text}" line in ${runtimeLog.lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(() => {
  custom = copyExample('custom-endpoints');
  voice = copyExample('voice-ivr');
});

after(async () => {
  await manager.stopAll();
  manager.dispose();
  fs.rmSync(temporary, { recursive: true, force: true });
});

describe('RuntimeManager', { timeout: 60_000 }, () => {
  it('gives each function folder its own port', async () => {
    settings['runtime.port'] = await freePort();
    const first = await manager.ensureRunning(custom);
    const second = await manager.ensureRunning(voice);
    assert.equal(first.status.port, settings['runtime.port']);
    assert.notEqual(second.status.port, first.status.port);
    assert.equal(manager.list().length, 2);
    const again = await manager.ensureRunning(custom);
    assert.equal(again.instance, first.instance, 'a running runtime is reused');

    // Lines of a stopping runtime keep its folder name while another folder's runtime runs.
    await waitForLine(`[voice-ivr] Listening on ${second.status.url}`);
    await manager.stop(voice);
    await waitForLine('Stopping on SIGTERM');
    const stopping = runtimeLog.lines.filter((line) => line.includes('Stopping on SIGTERM'));
    assert.deepEqual(stopping, ['[info] [voice-ivr] Stopping on SIGTERM']);
    await manager.stopAll();
    assert.equal(manager.list().length, 0);
    assert.equal(first.instance.child?.exitCode !== null || first.instance.child?.signalCode !== null, true);
  });

  it('names a busy port and uses the free one offered', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    settings['runtime.port'] = busy;
    answers.next = (message) => message.items.find((item) => item.startsWith('Use Port'));
    try {
      const started = await manager.ensureRunning(custom);
      const shown = fake.messages.find((message) => message.message.includes(`Port ${busy} on 127.0.0.1 is already in use`));
      assert.ok(shown, 'a message names the busy port');
      assert.equal(shown.severity, 'warning');
      const offered = Number(/Use Port (\d+)/.exec(shown.items[0])?.[1]);
      assert.equal(started.status.port, offered);
    } finally {
      answers.next = undefined;
      blocker.close();
      await manager.stop(custom);
    }
  });

  it('starts nothing when the busy-port message is dismissed', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    settings['runtime.port'] = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(manager.ensureRunning(custom), /is in use/);
      assert.equal(manager.get(custom), undefined);
    } finally {
      blocker.close();
    }
  });

  it('removes status files on stop and dispose', async () => {
    settings['runtime.port'] = 0;
    const own = new RuntimeManager(cli, runtimeLog as never, extensionLog);
    try {
      const { instance } = await own.ensureRunning(custom);
      const folder = own.statusFolder;
      assert.ok(folder, 'a status folder exists once a runtime started');
      assert.equal(path.dirname(instance.statusFile), folder);
      assert.ok(fs.existsSync(instance.statusFile), 'the runtime wrote its status file');

      await own.stop(custom);
      assert.equal(fs.existsSync(instance.statusFile), false, 'stopping removes the status file');

      const again = await own.ensureRunning(custom);
      assert.notEqual(again.instance.statusFile, instance.statusFile);
      // The extension deactivating stops and disposes the manager, which takes the folder along.
      await own.stopAll();
      own.dispose();
      assert.equal(fs.existsSync(folder), false, 'disposing removes the status folder');
    } finally {
      await own.stopAll();
      own.dispose();
    }
  });

  it('waits for a debugged runtime to exit', async () => {
    const port = await freePort();
    settings['runtime.port'] = port;
    const prepared = await manager.prepareDebugLaunch(custom, port, '127.0.0.1');
    assert.ok(prepared, 'the debug launch was prepared');
    // The runtime as the JavaScript debugger launches it: a process the manager did not fork.
    const debugged = spawn(process.execPath, [cli, ...runtimeArgs({ projectDir: custom, port, host: '127.0.0.1', statusFile: prepared.statusFile })], {
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => debugged.once('exit', () => resolve()));
    try {
      const instance = manager.get(custom);
      assert.ok(instance, 'the debug instance is registered');
      const status = await instance.whenStarted(30_000);
      assert.equal(status.pid, debugged.pid);

      // The debug session ends (Shift+F5) while the runtime process keeps the port.
      instance.markStopped(null);
      const started = await manager.ensureRunning(custom);
      assert.equal(started.status.port, port, 'the new runtime got the configured port');
      assert.equal(debugged.exitCode !== null || debugged.signalCode !== null, true, 'the debugged runtime was stopped');
    } finally {
      if (debugged.exitCode === null && debugged.signalCode === null) debugged.kill('SIGKILL');
      await exited;
      await manager.stop(custom);
    }
  });

  it('refuses to start in Restricted Mode', async () => {
    vscode.workspace.isTrusted = false;
    try {
      await assert.rejects(manager.ensureRunning(custom), (error: unknown) => {
        assert.ok(error instanceof TrustRequiredError);
        assert.match(error.message, /needs a trusted workspace/);
        return true;
      });
      assert.equal(manager.get(custom), undefined);
    } finally {
      vscode.workspace.isTrusted = true;
    }
  });

  it('copies the runtime log with levels', async () => {
    settings['runtime.port'] = 0;
    const { status } = await manager.ensureRunning(custom);
    // The state arrives over IPC; the stdout line may follow a moment later.
    const deadline = Date.now() + 10_000;
    while (!runtimeLog.lines.some((line: string) => line.includes(`Listening on ${status.url}`))) {
      assert.ok(Date.now() < deadline, `no "Listening on ${status.url}" line in ${runtimeLog.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(runtimeLog.lines.some((line: string) => line.startsWith('[info] ')));
    await manager.stop(custom);
  });
});

describe('RequestController', { timeout: 60_000 }, () => {
  const state = new Map<string, unknown>();
  const history = new HistoryStore({ get: <T>(key: string) => state.get(key) as T | undefined, update: async (key, value) => void state.set(key, value) });
  const registry = new EndpointRegistry(extensionLog);
  const secrets = { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) };
  const controller = new RequestController(manager, registry, history, createRuntimeSampleCatalog(), secrets as never, extensionLog);
  const posted: HostMessage[] = [];
  let receive: ((message: ViewMessage) => void) | undefined;
  const webview = {
    postMessage: async (message: HostMessage) => posted.push(message),
    onDidReceiveMessage: (listener: (message: ViewMessage) => void) => {
      receive = listener;
      return { dispose() {} };
    },
  };
  controller.attachWebview(webview as never);

  it('runs an endpoint and records the response', async () => {
    settings['runtime.port'] = 0;
    const outcome = await controller.runEndpoint(custom, 'status', 'run');
    assert.equal(outcome.response?.status, 200, outcome.error);
    assert.equal(controller.viewState.response?.status, 200);
    assert.equal(controller.viewState.response?.language, 'json');
    assert.equal((posted.at(-1) as HostMessage).state.response?.status, 200);
    assert.equal(history.list()[0].exportName, 'status');
    assert.equal(history.list()[0].response?.status, 200);
  });

  it('shows a SVAML call flow for ice', async () => {
    const outcome = await controller.runEndpoint(voice, 'ice', 'run');
    assert.equal(outcome.response?.status, 200, outcome.error);
    const flow = controller.viewState.response?.flow;
    assert.equal(flow?.version, 1);
    assert.ok(flow?.steps.some((step) => step.role === 'action'));
  });

  it('saves a request and copies curl from the view', async () => {
    await controller.selectEndpoint(custom, 'status');
    const request = { method: 'GET', path: '/status?from=test', headers: [{ name: 'X-Trace', value: '1' }], body: '' };
    receive?.({ type: 'save', request });
    await waitForNotice('Saved in');
    const saved = JSON.parse(fs.readFileSync(path.join(custom, '.sinch', 'requests.json'), 'utf8'));
    assert.deepEqual(saved.requests.status, { method: 'GET', path: '/status?from=test', headers: { 'X-Trace': '1' } });
    const reloaded = await controller.selectEndpoint(custom, 'status');
    assert.equal(reloaded.path, '/status?from=test');

    receive?.({ type: 'copyCurl', request });
    await waitForNotice('Copied');
    assert.match(fake.clipboard.text, /^curl 'http:\/\/127\.0\.0\.1:\d+\/status\?from=test' \\\n  -H 'X-Trace: 1'$/);
  });

  it('replays a history entry', async () => {
    const entry = history.list().find((candidate) => candidate.exportName === 'status' && candidate.response?.status === 200);
    assert.ok(entry, 'a recorded GET /status');
    const count = history.list().length;
    const outcome = await controller.replayHistoryEntry(entry.id);
    assert.equal(outcome.response?.status, 200, outcome.error);
    assert.equal(history.list().length, count + 1);
    assert.equal(history.list()[0].request.path, entry.request.path);
  });

  it('shows a busy port while the choice waits', async () => {
    await manager.stop(custom);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    settings['runtime.port'] = busy;
    // The notification stays unanswered until the "user" picks its button below.
    let choose: (() => void) | undefined;
    answers.next = (message) =>
      new Promise<string | undefined>((resolve) => {
        choose = () => resolve(message.items.find((item) => item.startsWith('Use Port')));
      });
    try {
      const outcome = controller.runEndpoint(custom, 'status', 'run');
      const deadline = Date.now() + 10_000;
      while (!controller.viewState.error) {
        assert.ok(Date.now() < deadline, 'the view never showed the busy port');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(controller.viewState.error, new RegExp(`Port ${busy} on 127\\.0\\.0\\.1 is in use by another program`));
      assert.match(controller.viewState.error, /Use Port \d+/);
      assert.equal(controller.viewState.sending, false);
      assert.ok(runtimeLog.lines.some((line) => line.includes(`Port ${busy} on 127.0.0.1 is in use`)), 'the runtime log names the busy port');

      assert.ok(choose, 'the busy-port message was shown');
      choose();
      const result = await outcome;
      assert.equal(result.response?.status, 200, result.error);
      assert.notEqual(controller.viewState.runtime.url, undefined);
      assert.equal(controller.viewState.error, undefined);
    } finally {
      answers.next = undefined;
      blocker.close();
      await manager.stop(custom);
    }
  });

  it('shows the runtime of a replayed project', async () => {
    settings['runtime.port'] = 0;
    const voiceRun = await controller.runEndpoint(voice, 'ice', 'run');
    assert.equal(voiceRun.response?.status, 200, voiceRun.error);
    const entry = history.list().find((candidate) => candidate.projectDir === voice);
    assert.ok(entry, 'a recorded voice request');
    const customRun = await controller.runEndpoint(custom, 'status', 'run');
    assert.equal(customRun.response?.status, 200, customRun.error);
    const voiceUrl = manager.get(voice)?.baseUrl;
    assert.notEqual(voiceUrl, manager.get(custom)?.baseUrl);

    const replayed = await controller.replayHistoryEntry(entry.id);
    assert.equal(replayed.response?.status, 200, replayed.error);
    assert.equal(controller.viewState.project?.dir, voice);
    assert.equal(controller.viewState.runtime.url, voiceUrl);
    await manager.stopAll();
  });

  it('reports an invalid body without sending', async () => {
    const before = history.list().length;
    const outcome = await controller.send(custom, 'status', { method: 'POST', path: '/status', headers: [], body: '{"a":' });
    assert.match(outcome.error ?? '', /Invalid JSON at line 1/);
    assert.equal(controller.viewState.error, outcome.error);
    assert.equal(history.list().length, before + 1);
    assert.equal(history.list()[0].response, undefined);
  });

  async function waitForNotice(prefix: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!controller.viewState.notice?.startsWith(prefix)) {
      if (Date.now() > deadline) throw new Error(`No "${prefix}" notice; error: ${controller.viewState.error}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
});
