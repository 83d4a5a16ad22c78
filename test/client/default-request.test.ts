import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRequestFor, EMPTY_CATALOG } from '../../client/src/request/default-request';
import { createRuntimeSampleCatalog } from '../../client/src/request/runtime-samples';
import { checkIncomingEvent } from '../../runtime/src/voice/index';

const catalog = createRuntimeSampleCatalog();

describe('defaultRequestFor', () => {
  it('sends GET to a custom endpoint', () => {
    const request = defaultRequestFor({ exportName: 'status', kind: 'custom', route: '/status', method: 'GET' }, catalog);
    assert.deepEqual(request, { method: 'GET', path: '/status', headers: [], body: '' });
  });

  it('posts body fields to a custom endpoint', () => {
    const request = defaultRequestFor(
      { exportName: 'inbound', kind: 'custom', route: '/inbound', method: 'POST', bodyFields: ['message', 'from'] },
      catalog,
    );
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/inbound');
    assert.deepEqual(request.headers, [{ name: 'Content-Type', value: 'application/json' }]);
    assert.deepEqual(JSON.parse(request.body), { message: 'example', from: 'example' });
  });

  it('sends the ICE sample to ice, valid for the runtime', () => {
    const request = defaultRequestFor({ exportName: 'ice', kind: 'voice-callback', route: '/ice', method: 'POST' }, catalog);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/ice');
    const body = JSON.parse(request.body);
    assert.equal(body.event, 'ice');
    assert.equal(checkIncomingEvent('ice', 'voice-callback', body), undefined);
  });

  it('sends call.incoming to voiceWebhook', () => {
    const request = defaultRequestFor({ exportName: 'voiceWebhook', kind: 'voice-webhook', route: '/webhook/voice', method: 'POST' }, catalog);
    assert.equal(JSON.parse(request.body).event, 'call.incoming');
    assert.equal(request.path, '/webhook/voice');
  });

  it('sends the inbound message to conversationWebhook', () => {
    const request = defaultRequestFor({ exportName: 'conversationWebhook', kind: 'webhook', route: '/webhook/conversation', method: 'POST' }, catalog);
    const body = JSON.parse(request.body);
    assert.equal(checkIncomingEvent('conversationWebhook', 'webhook', body), undefined);
  });

  it('falls back to a minimal event without samples', () => {
    const request = defaultRequestFor({ exportName: 'pie', kind: 'voice-callback', route: '/pie', method: 'POST' }, EMPTY_CATALOG);
    assert.deepEqual(JSON.parse(request.body), { event: 'pie' });
  });

  it('lists every sample with a group and target', () => {
    const samples = catalog.list();
    assert.ok(samples.length >= 7);
    assert.ok(samples.every((sample) => sample.group !== '' && sample.exportName !== '' && sample.path.startsWith('/')));
    assert.deepEqual(
      samples.filter((sample) => sample.group === 'Voice API v1 callbacks').map((sample) => sample.id),
      ['ice', 'ace', 'pie', 'dice', 'notify'],
    );
  });
});
