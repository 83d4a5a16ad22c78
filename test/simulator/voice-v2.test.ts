/**
 * Walks a Voice API v2 function (`voiceWebhook = onCall(...)`) through its menu, a dialled leg
 * and a hang-up, against the real runtime process.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../runtime/helpers';
import { eventNames, heard, makeProject, runProject, stopAll, type RunningProject } from './helpers';

const V2_PROJECT = `
import { onCall } from '@sinch/functions-runtime/voice';

const menu = { name: 'main', prompt: 'Press 1 for sales, 2 to leave a message.', options: [{ dtmf: '1', value: 'sales' }, { dtmf: '2', value: 'message' }] };

export const voiceWebhook = onCall({
  incoming: (call, builder) => builder.answer().say('Welcome to the v2 line.').menu(menu),
  manage: (call, builder) => {
    if (call.menu?.input === 'sales') return builder.say('Dialling sales.').dialPhone('+46700000123');
    if (call.menu?.input === undefined) return builder.say('No keys pressed. Goodbye.').hangup();
    return builder.say('Messages are full. Goodbye.').hangup();
  },
  answered: (call, builder) => builder.say('You are connected.'),
  completed: (call) => {
    console.log('completed ' + call.event + ' ' + call.callId);
  },
  fallback: (call, builder) => builder.say('Sales is ' + call.event + '. Goodbye.').hangup(),
});

export async function ice() {
  return { action: { name: 'hangup' } };
}
`;

const BAD_V2_PROJECT = `
import { onCall } from '@sinch/functions-runtime/voice';
export const voiceWebhook = onCall({
  incoming: () => ({ commands: [{ command: 'say', text: 'not a v2 command' }] }),
});
`;

describe('voice v2 simulated calls', () => {
  let project: RunningProject;
  let bad: RunningProject;

  before(async () => {
    project = await runProject(makeProject({ 'function.ts': V2_PROJECT }));
    bad = await runProject(makeProject({ 'function.ts': BAD_V2_PROJECT }));
  });
  after(stopAll);

  it('menu input 1 dials sales and connects', async () => {
    const result = await project.call('v2', '1', 'a', 'h');
    assert.equal(result.outcome.status, 'completed');
    assert.equal(eventNames(result), 'call.incoming call.menu call.answered call.hangup');
    assert.deepEqual(result.exchanges[1].request.menu, { menuName: 'main', input: 'sales' });
    assert.deepEqual(heard(result), ['Welcome to the v2 line.', 'Press 1 for sales, 2 to leave a message.', 'Dialling sales.', 'You are connected.']);
    const ids = new Set(result.exchanges.map((exchange) => (exchange.request.call as { callId: string }).callId));
    assert.deepEqual([...ids], [result.call.callId]);
    assert.deepEqual(result.prompts.map((prompt) => prompt.kind), ['menu', 'connect', 'connected']);
    await project.runtime.waitForOutput(`completed call.hangup ${result.call.callId}`);
  });

  it('menu input 2 hangs up from the function', async () => {
    const result = await project.call('v2', '2');
    assert.equal(eventNames(result), 'call.incoming call.menu call.hangup');
    assert.ok(heard(result).includes('Messages are full. Goodbye.'));
    assert.ok(result.timeline.some((entry) => entry.kind === 'end' && entry.result === 'COMPLETED'));
  });

  it('a menu timeout sends call.menu without input', async () => {
    const result = await project.call('v2', 't');
    assert.deepEqual(result.exchanges[1].request.menu, { menuName: 'main' });
    assert.ok(heard(result).includes('No keys pressed. Goodbye.'));
  });

  it('a busy leg reaches the fallback slot', async () => {
    const result = await project.call('v2', '1', 'b');
    assert.equal(eventNames(result), 'call.incoming call.menu call.busy call.hangup');
    assert.ok(heard(result).includes('Sales is call.busy. Goodbye.'));
  });

  it('a failed leg ends the call with call.failed', async () => {
    const result = await project.call('v2', '1', 'f');
    assert.equal(eventNames(result), 'call.incoming call.menu call.failed');
    assert.ok(result.timeline.some((entry) => entry.kind === 'end' && entry.result === 'FAILED'));
    await project.runtime.waitForOutput(`completed call.failed ${result.call.callId}`);
  });

  it('hanging up in the menu ends the call', async () => {
    const result = await project.call('v2', 'h');
    assert.equal(eventNames(result), 'call.incoming call.hangup');
    assert.equal(result.exchanges[0].path, '/webhook/voice');
    assert.equal((result.exchanges[1].request.call as { callResult: string }).callResult, 'COMPLETED');
  });

  it('the simulate command detects v2 from the routes', async () => {
    const { code, output } = await runCli(['simulate', project.runtime.url, '--input', '2'], 20_000);
    assert.equal(code, 0, output);
    assert.match(output, /Simulating a Voice API v2 call/);
    assert.match(output, /→ call\.menu \/webhook\/voice {2}← 200/);
    assert.match(output, /♪ Messages are full\. Goodbye\./);
  });

  it('an unknown v2 command stops the call', async () => {
    const result = await bad.call('v2');
    assert.equal(result.outcome.status, 'stopped');
    const stop = result.timeline.find((entry) => entry.kind === 'stop');
    assert.ok(stop?.kind === 'stop');
    assert.equal(stop.event, 'call.incoming');
    assert.ok(stop.findings.some((finding) => finding.path === 'commands[0].command' && finding.message.includes('"say"')));
    assert.equal(eventNames(result), 'call.incoming call.failed');
  });
});
