import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SAMPLE_NAMES,
  V2_EVENTS,
  checkIncomingEvent,
  explainUnroutedEvent,
  createSimulatedCall,
  sampleEvents,
  validateConversationEvent,
  validateV1Event,
  validateV2Event,
} from '../../runtime/src/voice';

interface EventCase {
  name: string;
  check: () => ReturnType<typeof validateV1Event>;
  /** The field the problem names, or undefined for a valid event. */
  field?: string;
  message?: RegExp;
}

const call = createSimulatedCall({ seed: 'events-test' });
const ice = call.ice();
const pie = call.pie();
const without = (event: Record<string, unknown>, field: string) => {
  const copy = { ...event };
  delete copy[field];
  return copy;
};

const TABLE: EventCase[] = [
  { name: 'smallest documented ICE body', check: () => validateV1Event('ice', { callid: 'c', cli: '+4670', to: { type: 'number', endpoint: '+4671' }, domain: 'pstn', originationType: 'pstn' }) },
  { name: 'ICE without callid', check: () => validateV1Event('ice', without(ice, 'callid')), field: 'callid', message: /"callid" is required/ },
  { name: 'ICE with callId casing', check: () => validateV1Event('ice', { ...without(ice, 'callid'), callId: 'c' }), field: 'callid', message: /all lower case/ },
  { name: 'ICE with callid only', check: () => validateV1Event('ice', { callid: 'c' }) },
  { name: 'ICE with numeric cli', check: () => validateV1Event('ice', { ...ice, cli: 46700 }), field: 'cli', message: /must be a string; got number/ },
  { name: 'ICE to without endpoint', check: () => validateV1Event('ice', { ...ice, to: { type: 'number' } }), field: 'to.endpoint' },
  { name: 'ICE to as string', check: () => validateV1Event('ice', { ...ice, to: '+4671' }), field: 'to', message: /must be an object; got string/ },
  { name: 'ICE version as string', check: () => validateV1Event('ice', { ...ice, version: '1' }), field: 'version' },
  { name: 'ICE userRate without amount', check: () => validateV1Event('ice', { ...ice, userRate: { currencyId: 'EUR' } }), field: 'userRate.amount' },
  { name: 'event names another callback', check: () => validateV1Event('ice', { ...ice, event: 'pie' }), field: 'event', message: /reached the "ice" callback, but its "event" is "pie"/ },
  { name: 'body is an array', check: () => validateV1Event('ice', []), field: '(body)' },
  { name: 'no body', check: () => validateV1Event('dice', undefined), field: '(body)', message: /got no body/ },
  { name: 'PIE without menuResult', check: () => validateV1Event('pie', without(pie, 'menuResult')), field: 'menuResult' },
  { name: 'PIE menuResult unknown type', check: () => validateV1Event('pie', { ...pie, menuResult: { menuId: 'main', type: 'pressed', value: '1' } }), field: 'menuResult.type', message: /one of return, sequence/ },
  { name: 'PIE menuResult without menuId', check: () => validateV1Event('pie', { ...pie, menuResult: { type: 'return', value: '1' } }), field: 'menuResult.menuId' },
  { name: 'ACE amd without status', check: () => validateV1Event('ace', { ...call.ace(), amd: { reason: 'x' } }), field: 'amd.status' },
  { name: 'DICE duration as string', check: () => validateV1Event('dice', { ...call.dice(), duration: '12' }), field: 'duration' },
  { name: 'Notify without type', check: () => validateV1Event('notify', without(call.notify(), 'type')), field: 'type' },
  { name: 'v2 incoming', check: () => validateV2Event(call.v2('call.incoming')) },
  { name: 'v2 webhook with any name', check: () => validateV2Event(call.v2('call.webhook.orderStatus')) },
  { name: 'v2 unknown event', check: () => validateV2Event({ ...call.v2('call.incoming'), event: 'call.exploded' }), field: 'event', message: /Unknown event "call.exploded"/ },
  { name: 'v2 without call', check: () => validateV2Event({ event: 'call.incoming' }), field: 'call' },
  { name: 'v2 without callId', check: () => validateV2Event({ event: 'call.incoming', call: {} }), field: 'call.callId' },
  { name: 'v2 menu without menu', check: () => validateV2Event({ event: 'call.menu', call: { callId: 'c' } }), field: 'menu' },
  { name: 'v2 event as number', check: () => validateV2Event({ event: 5, call: { callId: 'c' } }), field: 'event' },
  { name: 'conversation inbound', check: () => validateConversationEvent(call.conversationInbound()) },
  { name: 'conversation without app_id', check: () => validateConversationEvent(without(call.conversationInbound(), 'app_id')), field: 'app_id' },
  { name: 'conversation without trigger', check: () => validateConversationEvent({ app_id: 'a' }), field: '(trigger)' },
  { name: 'conversation delivery report', check: () => validateConversationEvent({ app_id: 'a', message_delivery_report: { status: 'DELIVERED' } }) },
  {
    name: 'conversation message without identity',
    check: () => {
      const event = call.conversationInbound();
      const message = { ...(event.message as Record<string, unknown>) };
      delete message.channel_identity;
      return validateConversationEvent({ ...event, message });
    },
    field: 'message.channel_identity',
  },
];

describe('voice event validation table', () => {
  for (const testCase of TABLE) {
    it(testCase.name, () => {
      const problem = testCase.check();
      assert.equal(problem?.field, testCase.field, problem?.message);
      if (testCase.message !== undefined) assert.match(problem?.message ?? '', testCase.message);
    });
  }

  it('checkIncomingEvent picks the validator by export', () => {
    assert.equal(checkIncomingEvent('ice', 'voice-callback', {})?.field, 'callid');
    assert.equal(checkIncomingEvent('voiceWebhook', 'voice-webhook', {})?.field, 'event');
    assert.equal(checkIncomingEvent('conversationWebhook', 'webhook', {})?.field, 'app_id');
    assert.equal(checkIncomingEvent('stripeWebhook', 'webhook', {}), undefined);
    assert.equal(checkIncomingEvent('status', 'custom', undefined), undefined);
  });
});

describe('voice unrouted events', () => {
  it('names a missing callback export', () => {
    const result = explainUnroutedEvent('POST', '/callbacks/ace', { event: 'ace', callid: 'c' });
    assert.equal(result?.status, 404);
    assert.match(result?.message ?? '', /no "ace" export/);
  });

  it('names a missing voiceWebhook', () => {
    const result = explainUnroutedEvent('POST', '/webhook/voice', { event: 'call.incoming', call: { callId: 'c' } });
    assert.equal(result?.status, 404);
    assert.match(result?.fix ?? '', /onCall/);
  });

  it('rejects an unknown event at the root', () => {
    assert.equal(explainUnroutedEvent('POST', '/', { event: 'incoming' })?.status, 400);
  });

  it('ignores other requests', () => {
    assert.equal(explainUnroutedEvent('GET', '/', { event: 'ice' }), undefined);
    assert.equal(explainUnroutedEvent('POST', '/orders', { event: 'created' }), undefined);
    assert.equal(explainUnroutedEvent('POST', '/', { type: 'x' }), undefined);
    assert.equal(explainUnroutedEvent('POST', '/', 'text'), undefined);
  });
});

describe('voice sample events', () => {
  it('every sample passes its validator', () => {
    const samples = sampleEvents();
    assert.deepEqual(Object.keys(samples).sort(), [...SAMPLE_NAMES].sort());
    for (const name of SAMPLE_NAMES) {
      const sample = samples[name];
      let problem;
      if (name === 'conversation.message_inbound') problem = validateConversationEvent(sample);
      else if (name.startsWith('call.')) problem = validateV2Event(sample);
      else problem = validateV1Event(name as 'ice', sample);
      assert.equal(problem, undefined, `${name}: ${problem?.message}`);
    }
  });

  it('covers every v1 and v2 event type', () => {
    for (const name of ['ice', 'ace', 'pie', 'dice', 'notify', ...V2_EVENTS]) {
      assert.ok((SAMPLE_NAMES as readonly string[]).includes(name), name);
    }
  });

  it('one simulated call keeps one call id', () => {
    const samples = sampleEvents({ seed: 'one-call' });
    const ids = new Set<string>();
    for (const name of SAMPLE_NAMES) {
      const sample = samples[name] as { callid?: string; call?: { callId: string } };
      if (name === 'conversation.message_inbound') continue;
      ids.add(sample.callid ?? sample.call?.callId ?? 'missing');
    }
    assert.equal(ids.size, 1);
    assert.match([...ids][0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a seed gives the same samples every time', () => {
    assert.deepEqual(sampleEvents({ seed: 'same' }), sampleEvents({ seed: 'same' }));
    assert.notEqual((sampleEvents({ seed: 'a' }).ice as { callid: string }).callid, (sampleEvents({ seed: 'b' }).ice as { callid: string }).callid);
  });

  it('timestamps increase through a call', () => {
    const simulated = createSimulatedCall({ callId: 'fixed-id', startTime: new Date('2026-12-04T10:00:00Z') });
    const times = [simulated.ice(), simulated.pie(), simulated.pie(), simulated.dice()].map((event) => Date.parse(event.timestamp as string));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.equal(new Set(times).size, times.length);
    assert.equal(simulated.ice().callid, 'fixed-id');
  });

  it('v2 headers carry CloudEvents fields', () => {
    const simulated = createSimulatedCall({ seed: 'ce' });
    const event = simulated.v2('call.answered');
    const headers = simulated.v2Headers(event);
    assert.equal(headers['ce-specversion'], '1.0');
    assert.equal(headers['ce-type'], 'call.answered');
    assert.equal(headers['ce-source'], `projects/${simulated.projectId}/services/${simulated.serviceId}`);
    assert.ok(!Number.isNaN(Date.parse(headers['ce-time'])));
  });
});
