import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { makeProject, startCli, type RuntimeProcess } from './helpers';

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
class InspectorClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly listeners = new Set<(method: string, params: any) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.id !== undefined) {
        this.pending.get(message.id)?.(message.result ?? message.error);
        this.pending.delete(message.id);
      } else {
        for (const listener of [...this.listeners]) listener(message.method, message.params);
      }
    });
  }

  static connect(url: string): Promise<InspectorClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new InspectorClient(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  /** Resolves with the next `Debugger.paused` event, or rejects after `timeoutMs`. */
  nextPause(timeoutMs = 10_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error('The debugger did not pause'));
      }, timeoutMs);
      const listener = (method: string, params: any) => {
        if (method !== 'Debugger.paused') return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(params);
      };
      this.listeners.add(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}

const processes: RuntimeProcess[] = [];
const clients: InspectorClient[] = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(processes.map((runtime) => runtime.stop()));
});

async function debugProject(files: Record<string, string>, folderName: string) {
  const dir = makeProject(files, folderName);
  const runtime = await startCli(dir, ['--inspect=127.0.0.1:0']);
  processes.push(runtime);
  const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(runtime.output())![1];
  const client = await InspectorClient.connect(wsUrl);
  clients.push(client);
  await client.send('Debugger.enable');
  return { dir, runtime, client, file: path.join(dir, 'function.ts') };
}

/**
 * Breakpoint parameters for every compiled version of `file`: each version is its own script,
 * named `<file URL>.generation-<n>.js`.
 */
function breakpointOn(file: string, lineNumber: number) {
  const escaped = pathToFileURL(file).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { urlRegex: `^${escaped}\\.generation-\\d+\\.js$`, lineNumber };
}

function pausedLine(paused: any): number {
  return paused.callFrames[0].location.lineNumber + 1;
}

describe('debugging through the inspector', () => {
  it('breakpoints hit on the .ts line before and after reloads', async () => {
    const source = [
      'interface Greeting { text: string }',
      '',
      'export const hello = async (context: unknown, request: { query: Record<string, string> }) => {',
      "  const greeting: Greeting = { text: `hi ${request.query.name ?? 'there'}` };",
      '  return greeting;',
      '};',
    ];
    const { runtime, client, file } = await debugProject({ 'function.ts': source.join('\n') }, 'dbg project ✓');

    // Line 4 is the first line inside the async arrow function.
    const breakpoint = await client.send('Debugger.setBreakpointByUrl', breakpointOn(file, 3));
    assert.ok(breakpoint.breakpointId, 'breakpoint set');

    let paused = client.nextPause();
    let response = fetch(`${runtime.url}/hello?name=Ann`);
    assert.equal(pausedLine(await paused), 4);
    const scope = (await paused).callFrames[0].scopeChain.find((item: any) => item.type === 'local');
    assert.ok(scope, 'local scope is visible');
    await client.send('Debugger.resume');
    assert.deepEqual(await (await response).json(), { text: 'hi Ann' });

    // After a save the new code is a new script, and the breakpoint binds to it on the same line.
    fs.writeFileSync(file, [...source.slice(0, 3), "  const greeting: Greeting = { text: `hello ${request.query.name ?? 'there'}` };", ...source.slice(4)].join('\n'));
    paused = client.nextPause();
    response = fetch(`${runtime.url}/hello?name=Bo`);
    assert.equal(pausedLine(await paused), 4);
    await client.send('Debugger.resume');
    assert.deepEqual(await (await response).json(), { text: 'hello Bo' });
  });

  it('breakpoints in module-level code hit when a save reloads it', async () => {
    const source = ['const loadedAt = Date.now();', 'export const when = () => ({ loadedAt });'];
    const { runtime, client, file } = await debugProject({ 'function.ts': source.join('\n') }, 'dbg-module');
    await client.send('Debugger.setBreakpointByUrl', breakpointOn(file, 0));

    const paused = client.nextPause();
    fs.writeFileSync(file, `${source.join('\n')}\n`);
    const response = fetch(`${runtime.url}/when`);
    assert.equal(pausedLine(await paused), 1);
    await client.send('Debugger.resume');
    assert.equal((await response).status, 200);
  });
});
