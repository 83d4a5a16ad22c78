/**
 * The platform's rules as the simulator plays them, against the real runtime: menu jumps,
 * digit sequences and `maxDigits`, cookies set in later callbacks, conferences and parking, and
 * bad SVAML that stops the call at the step that returned it.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CallSimulation, HttpTransport, simulateCall, type SimulationResult } from '../../runtime/src/simulator';
import { answers, eventNames, heard, makeProject, runProject, scriptedCaller, stopAll, type RunningProject } from './helpers';

const MENUS_PROJECT = `
const menus = {
  name: 'runMenu',
  menus: [
    { id: 'main', mainPrompt: '#tts[Main menu];#href[https://example.invalid/beep.wav]', repeats: 0,
      options: [{ dtmf: '1', action: 'menu(pin)' }, { dtmf: '2', action: 'return(two)' }, { dtmf: '3', action: 'menu(conference)' }] },
    { id: 'pin', mainPrompt: '#tts[Enter your PIN]', maxDigits: 4, timeoutMills: 5000 },
    { id: 'conference', mainPrompt: '#tts[Press 1 to join, 2 to wait]', options: [{ dtmf: '1', action: 'return(conf)' }, { dtmf: '2', action: 'return(park)' }] },
  ],
};

export default {
  ice() {
    return { instructions: [{ name: 'setCookie', key: 'from', value: 'ice' }], action: menus };
  },
  pie(context: unknown, event: { menuResult: { menuId: string; type: string; value: string }; cookies?: Record<string, string> }) {
    const { menuId, type, value } = event.menuResult;
    const seen = 'cookies ' + JSON.stringify(event.cookies ?? {});
    if (value === 'conf') return { instructions: [{ name: 'say', text: seen }], action: { name: 'connectConf', conferenceId: 'room-7' } };
    if (value === 'park') return { action: { name: 'park', introPrompt: '#tts[Please hold]', holdPrompt: '#tts[Still holding]' } };
    if (value === 'again') return { action: menus };
    return {
      instructions: [{ name: 'setCookie', key: 'last', value: menuId + ':' + type + ':' + value }, { name: 'say', text: seen }],
      action: value === 'two' ? { name: 'continue' } : menus,
    };
  },
  dice() {},
};
`;

const BAD_SVAML_PROJECT = `
export default {
  ice(context: unknown, event: { cli: string }) {
    if (event.cli === '+46700000011') return { instructions: [{ name: 'say', text: 'No action follows' }] };
    if (event.cli === '+46700000012') return { action: { name: 'continue' } };
    if (event.cli === '+46700000013') return { action: { name: 'runMenu', menus: [{ id: 'start', options: [{ dtmf: '1', action: 'return(x)' }] }] } };
    if (event.cli === '+46700000014') throw new Error('ice failed on purpose');
    return { action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: '1', action: 'return(x)' }] }] } };
  },
  pie() {
    return { action: { name: 'park' } };
  },
  dice(context: unknown, event: { callid: string; reason: string }) {
    console.log('dice ' + event.callid + ' ' + event.reason);
  },
};
`;

function stopOf(result: SimulationResult) {
  const stop = result.timeline.find((entry) => entry.kind === 'stop');
  assert.ok(stop && stop.kind === 'stop', `the call did not stop: ${eventNames(result)}`);
  return stop;
}

describe('simulated platform rules', () => {
  let menus: RunningProject;
  let bad: RunningProject;

  before(async () => {
    menus = await runProject(makeProject({ 'function.ts': MENUS_PROJECT }));
    bad = await runProject(makeProject({ 'function.ts': BAD_SVAML_PROJECT }));
  });
  after(stopAll);

  it('menu(id) jumps, and a digit sequence returns as sequence', async () => {
    const result = await menus.call('v1', '1', '1234', 'h');
    assert.deepEqual(result.prompts.map((prompt) => (prompt.kind === 'menu' ? prompt.menuId : prompt.kind)), ['main', 'pin', 'main']);
    const pie = result.exchanges.find((exchange) => exchange.event === 'pie');
    assert.deepEqual((pie?.request as { menuResult: unknown }).menuResult, { menuId: 'pin', type: 'sequence', value: '1234', inputMethod: 'dtmf' });
    assert.deepEqual(heard(result).slice(0, 3), ['Main menu', '[audio] https://example.invalid/beep.wav', 'Enter your PIN']);
  });

  it('maxDigits cuts longer input', async () => {
    const result = await menus.call('v1', '1', '123456', 'h');
    const pie = result.exchanges.find((exchange) => exchange.event === 'pie');
    assert.equal((pie?.request as { menuResult: { value: string } }).menuResult.value, '1234');
    assert.ok(result.timeline.some((entry) => entry.kind === 'note' && entry.text.includes('cut to "1234"')));
  });

  it('cookies set by later callbacks accumulate', async () => {
    const result = await menus.call('v1', '1', '55', '2', 'h');
    assert.equal(eventNames(result), 'ice pie pie dice');
    const pies = result.exchanges.filter((exchange) => exchange.event === 'pie');
    assert.deepEqual(pies[0].request.cookies, { from: 'ice' });
    assert.deepEqual(pies[1].request.cookies, { from: 'ice', last: 'pin:sequence:55' });
    assert.equal(pies[1].request.callid, pies[0].request.callid);
    assert.ok(heard(result).includes('cookies {"from":"ice","last":"pin:sequence:55"}'));
    assert.deepEqual(result.cookies, { from: 'ice', last: 'main:return:two' });
  });

  it('continue leaves the caller to hang up', async () => {
    const result = await menus.call('v1', '2', 'h');
    assert.equal(result.prompts[1].kind, 'idle');
    assert.equal(eventNames(result), 'ice pie dice');
  });

  it('a conference and a parked call wait for the hang-up', async () => {
    const conference = await menus.call('v1', '3', '1', 'h');
    assert.equal(conference.prompts[2].kind, 'connected');
    assert.deepEqual(conference.prompts[2].choices, ['hangup']);
    assert.ok(conference.timeline.some((entry) => entry.kind === 'connect' && entry.destination === 'conference room-7'));

    // park is not allowed in PIE: the call stops there.
    const parked = await menus.call('v1', '3', '2');
    const stop = stopOf(parked);
    assert.equal(stop.event, 'pie');
    assert.ok(stop.findings.some((finding) => finding.path === 'action.name' && finding.message.includes('not allowed in PIE')));
  });

  it('SVAML without an action stops the call at ICE', async () => {
    const { caller } = scriptedCaller([]);
    const result = await simulateCall({ api: 'v1', transport: bad.transport, caller, from: '+46700000011', seed: 'no-action' });
    assert.equal(result.outcome.status, 'stopped');
    const stop = stopOf(result);
    assert.equal(stop.event, 'ice');
    assert.ok(stop.findings.some((finding) => finding.path === 'action'), JSON.stringify(stop.findings));
    assert.ok(heard(result).length === 0, 'instructions of dropped SVAML are not played');
    // The platform still reports the end, so the function's cleanup runs.
    assert.equal(eventNames(result), 'ice dice');
    assert.equal(result.exchanges[1].request.reason, 'CALLBACKERROR');
    await bad.runtime.waitForOutput(`dice ${result.call.callId} CALLBACKERROR`);
  });

  it('an action ICE does not allow stops the call', async () => {
    const { caller } = scriptedCaller([]);
    const result = await simulateCall({ api: 'v1', transport: bad.transport, caller, from: '+46700000012', seed: 'continue' });
    const stop = stopOf(result);
    assert.ok(stop.findings.some((finding) => finding.path === 'action.name' && finding.message.includes('"continue" is not allowed in ICE')));
    assert.match(result.outcome.reason, /SVAML from ice is invalid/);
  });

  it('a menu without main stops the call', async () => {
    const { caller, prompts } = scriptedCaller([]);
    const result = await simulateCall({ api: 'v1', transport: bad.transport, caller, from: '+46700000013', seed: 'no-main' });
    const stop = stopOf(result);
    assert.ok(stop.findings.some((finding) => finding.path === 'action.menus' && finding.message.includes('"main"')));
    assert.equal(prompts.length, 0);
  });

  it('a handler error stops the call with the runtime message', async () => {
    const { caller } = scriptedCaller([]);
    const result = await simulateCall({ api: 'v1', transport: bad.transport, caller, from: '+46700000014', seed: 'throws' });
    assert.equal(result.outcome.status, 'stopped');
    assert.match(result.outcome.reason, /HTTP 500/);
    assert.match(result.outcome.reason, /ice failed on purpose/);
  });

  it('a refused connection stops the call before any event', async () => {
    const { caller } = scriptedCaller([]);
    // A port that was free a moment ago: listen on port 0, note the port, close.
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = new HttpTransport(`http://127.0.0.1:${port}/`);
    const result = await simulateCall({ api: 'v1', transport: closed, caller, seed: 'refused' });
    assert.equal(result.outcome.status, 'stopped');
    assert.match(result.outcome.reason, /ECONNREFUSED|refused/);
    assert.equal(result.exchanges.length, 0);
  });

  it('the caller can hang up while an event is in flight', async () => {
    let simulationHangUp: (() => void) | undefined;
    const simulation = new CallSimulation({
      api: 'v1',
      transport: {
        send: async (request) => {
          const response = await menus.transport.send(request);
          if (request.path === '/ice') simulationHangUp?.();
          return response;
        },
      },
      caller: scriptedCaller(answers()).caller,
      seed: 'in-flight',
    });
    simulationHangUp = () => simulation.hangUp();
    const result = await simulation.run();
    assert.equal(result.outcome.status, 'completed');
    assert.deepEqual(result.inputs.map((input) => input.choice.kind), ['hangup']);
    assert.equal(eventNames(result), 'ice pie dice');
  });
});
