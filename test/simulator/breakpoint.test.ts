/**
 * A handler paused in the debugger keeps the simulated call waiting: the simulator sets no
 * timeout, and the paused runtime cannot time out either. The pause is held longer than the
 * runtime's own `--timeout`, then released, and the call goes on.
 */
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { HttpTransport, simulateCall } from '../../runtime/src/simulator';
import { startCli, type RuntimeProcess } from '../runtime/helpers';
import { answers, eventNames, heard, makeProject, scriptedCaller } from './helpers';

const PAUSING_PROJECT = `
export default {
  ice: () => ({ action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: '1', action: 'return(one)' }] }] } }),
  pie: () => {
    debugger;
    return { instructions: [{ name: 'say', text: 'After the breakpoint' }], action: { name: 'hangup' } };
  },
};
`;

/** Time the breakpoint is held, in milliseconds: twice the runtime's one-second handler timeout. */
const HOLD_MS = 2000;

/** Sends Chrome DevTools Protocol commands and waits for `Debugger.paused`. */
function connectInspector(url: string): Promise<{ send(method: string): Promise<void>; paused: Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let nextId = 1;
    const replies = new Map<number, () => void>();
    let onPaused: () => void = () => undefined;
    const paused = new Promise<void>((done) => (onPaused = done));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; method?: string };
      if (message.id !== undefined) replies.get(message.id)?.();
      if (message.method === 'Debugger.paused') onPaused();
    });
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        send: (method) =>
          new Promise((done) => {
            const id = nextId++;
            replies.set(id, done);
            socket.send(JSON.stringify({ id, method, params: {} }));
          }),
        paused,
        close: () => socket.close(),
      }),
    );
  });
}

describe('simulated call at a breakpoint', () => {
  let runtime: RuntimeProcess | undefined;
  after(async () => {
    await runtime?.stop();
  });

  it('waits for a paused handler past the runtime timeout', async () => {
    runtime = await startCli(makeProject({ 'function.ts': PAUSING_PROJECT }), ['--inspect=127.0.0.1:0', '--timeout', '1']);
    const inspectorUrl = /Debugger listening on (ws:\/\/\S+)/.exec(runtime.output())?.[1];
    assert.ok(inspectorUrl, runtime.output());
    const inspector = await connectInspector(inspectorUrl);
    try {
      await inspector.send('Debugger.enable');
      const { caller } = scriptedCaller(answers('1'));
      const call = simulateCall({ api: 'v1', transport: new HttpTransport(runtime.url), caller, seed: 'breakpoint' });

      await inspector.paused;
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      await inspector.send('Debugger.resume');

      const result = await call;
      assert.equal(result.outcome.status, 'completed', result.outcome.reason);
      assert.equal(eventNames(result), 'ice pie dice');
      assert.equal(result.exchanges[1].status, 200);
      assert.deepEqual(heard(result), ['After the breakpoint']);
    } finally {
      inspector.close();
    }
  });
});
