/**
 * Walks the voice-ivr example through every path of its menu against the real runtime process:
 * sales, support, a timeout, an invalid key, a hang-up in the menu, and the far end's outcomes.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SimulationResult } from '../../runtime/src/simulator';
import { eventNames, examplesDir, heard, runProject, stopAll, type RunningProject } from './helpers';

function requestOf(result: SimulationResult, event: string, index = 0): Record<string, unknown> {
  const found = result.exchanges.filter((exchange) => exchange.event === event)[index];
  assert.ok(found, `no ${event} number ${index + 1} in ${eventNames(result)}`);
  return found.request;
}

function endOf(result: SimulationResult): { reason: string; result: string } {
  const end = result.timeline.find((entry) => entry.kind === 'end');
  assert.ok(end && end.kind === 'end', 'the call has no end entry');
  return { reason: end.reason, result: end.result };
}

describe('voice-ivr simulated calls', () => {
  let project: RunningProject;

  before(async () => {
    project = await runProject(path.join(examplesDir, 'voice-ivr'));
  });
  after(stopAll);

  it('key 1 reaches sales and connects', async () => {
    const result = await project.call('v1', '1', 'a', 'h');
    assert.equal(result.outcome.status, 'completed');
    assert.equal(eventNames(result), 'ice pie ace dice');
    assert.deepEqual(requestOf(result, 'pie').menuResult, { menuId: 'main', type: 'return', value: 'sales', inputMethod: 'dtmf' });
    assert.ok(heard(result).includes('Connecting you to sales.'));
    const connect = result.timeline.find((entry) => entry.kind === 'connect');
    assert.deepEqual(connect && connect.kind === 'connect' && [connect.action, connect.destination], ['connectPstn', '+46700000456']);
    assert.deepEqual(endOf(result), { reason: 'CALLERHANGUP', result: 'ANSWERED' });
  });

  it('key 2 reaches support, which hangs up', async () => {
    const result = await project.call('v1', '2');
    assert.equal(eventNames(result), 'ice pie dice');
    assert.equal((requestOf(result, 'pie').menuResult as { value: string }).value, 'support');
    assert.deepEqual(heard(result), [
      'Welcome to Example AB. Press 1 for sales or 2 for support.',
      'Support is open from 9 to 17. Goodbye.',
    ]);
    assert.deepEqual(endOf(result), { reason: 'CALLEEHANGUP', result: 'ANSWERED' });
  });

  it('every event carries one call id and the cookie', async () => {
    const result = await project.call('v1', '1', 'a', 'c');
    const ids = new Set(result.exchanges.map((exchange) => exchange.request.callid));
    assert.deepEqual([...ids], [result.call.callId]);
    assert.equal(requestOf(result, 'ice').cookies, undefined);
    for (const event of ['pie', 'ace', 'dice']) assert.deepEqual(requestOf(result, event).cookies, { step: 'main-menu' }, event);
    assert.deepEqual(result.cookies, { step: 'main-menu' });
    // The example keeps its state in the cache under the call id; DICE logs the choice it stored.
    await project.runtime.waitForOutput(`Call ${result.call.callId} ended (CALLEEHANGUP); choice: sales`);
  });

  it('no keys: the menu repeats, then PIE timeout', async () => {
    const result = await project.call('v1', 't', 't', 't');
    const menus = result.timeline.flatMap((entry) => (entry.kind === 'menu' ? [entry.attempt] : []));
    assert.deepEqual(menus, [1, 2, 3]);
    assert.deepEqual(heard(result).slice(0, 3), [
      'Welcome to Example AB. Press 1 for sales or 2 for support.',
      'Press 1 for sales or 2 for support.',
      'Press 1 for sales or 2 for support.',
    ]);
    assert.deepEqual(requestOf(result, 'pie').menuResult, { menuId: 'main', type: 'timeout', value: '', inputMethod: 'dtmf' });
    assert.ok(heard(result).includes('Sorry, we did not get that. Goodbye.'));
    assert.equal(eventNames(result), 'ice pie dice');
  });

  it('sending no keys counts as a timeout', async () => {
    const result = await project.call('v1', '', '', '');
    assert.equal((requestOf(result, 'pie').menuResult as { type: string }).type, 'timeout');
  });

  it('a wrong key three times gives PIE invalidinput', async () => {
    const result = await project.call('v1', '9', '9', '7');
    assert.deepEqual(requestOf(result, 'pie').menuResult, { menuId: 'main', type: 'invalidinput', value: '7', inputMethod: 'dtmf' });
    assert.equal(result.prompts.length, 3);
  });

  it('hanging up in the menu sends PIE hangup, then DICE', async () => {
    const result = await project.call('v1', 'h');
    assert.equal(eventNames(result), 'ice pie dice');
    assert.equal((requestOf(result, 'pie').menuResult as { type: string }).type, 'hangup');
    assert.deepEqual(endOf(result), { reason: 'CALLERHANGUP', result: 'ANSWERED' });
    assert.ok(!heard(result).some((text) => text.startsWith('Sorry')), 'the caller is gone and hears nothing after hanging up');
    await project.runtime.waitForOutput(`Call ${result.call.callId} ended (CALLERHANGUP); choice: none`);
  });

  it('a busy or silent far end ends with that DICE result', async () => {
    const busy = await project.call('v1', '1', 'b');
    assert.equal(eventNames(busy), 'ice pie dice');
    assert.deepEqual(endOf(busy), { reason: 'BUSY', result: 'BUSY' });
    assert.equal(requestOf(busy, 'dice').result, 'BUSY');

    const silent = await project.call('v1', '1', 'n');
    assert.deepEqual(endOf(silent), { reason: 'NOANSWER', result: 'NOANSWER' });
  });

  it('the timeline records requests, answers and times', async () => {
    const result = await project.call('v1', '2');
    const requests = result.timeline.filter((entry) => entry.kind === 'request');
    assert.equal(requests.length, 3);
    for (const entry of requests) {
      assert.ok(entry.kind === 'request');
      assert.equal(typeof entry.durationMs, 'number', `${entry.event} has the function's time`);
      assert.ok(entry.roundTripMs >= 0);
      assert.deepEqual(entry.findings, []);
    }
    assert.equal(requests[2].kind === 'request' && requests[2].status, 204);
  });
});
