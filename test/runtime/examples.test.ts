import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { examplesDir, postJson, startCli, type RuntimeProcess } from './helpers';

function useExample(name: string): () => RuntimeProcess {
  let runtime: RuntimeProcess | undefined;
  before(async () => {
    runtime = await startCli(path.join(examplesDir, name));
  });
  after(async () => {
    await runtime?.stop();
  });
  return () => runtime!;
}

describe('example custom-endpoints', () => {
  const runtime = useExample('custom-endpoints');

  it('GET /status answers 200 with the function name', async () => {
    const response = await fetch(`${runtime().url}/status`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.equal(body.status, 'ok');
    assert.equal(body.function, 'custom-endpoints');
    assert.equal(body.environment, 'development');
  });

  it('POST /inbound echoes the message', async () => {
    const response = await postJson(`${runtime().url}/api/v1/inbound`, { message: 'hello' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: 'hello', length: 5 });
  });

  it('POST /inbound without a message answers 400', async () => {
    const response = await postJson(`${runtime().url}/inbound`, {});
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'Missing message' });
  });

  it('lists admin in the route table', () => {
    assert.ok(runtime().status().routes.some((route) => route.exportName === 'admin'));
  });
});

describe('example conversation-bot', () => {
  const runtime = useExample('conversation-bot');

  it('answers an inbound message at /webhook/conversation', async () => {
    const response = await postJson(`${runtime().url}/webhook/conversation`, {
      app_id: 'APP1',
      message: {
        id: 'M1',
        direction: 'TO_APP',
        conversation_id: 'C1',
        contact_message: { text_message: { text: 'hi there' } },
        channel_identity: { channel: 'SMS', identity: '+46700000001' },
      },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.equal(body.reply, 'You said: hi there');
    assert.equal(body.conversationId, 'C1');
  });

  it('reports events that carry no message', async () => {
    const response = await postJson(`${runtime().url}/webhook/conversation`, { app_id: 'APP1', message_delivery_report: {} });
    assert.deepEqual(await response.json(), { handled: false, reason: 'not a message event' });
  });
});

describe('example multi-file', () => {
  const runtime = useExample('multi-file');

  it('serves ice re-exported from ./voice.js', async () => {
    const response = await postJson(`${runtime().url}/ice`, { event: 'ice', callid: 'C1', cli: '+46700000001' });
    const body = (await response.json()) as any;
    assert.equal(body.action.name, 'hangup');
    assert.equal(body.instructions[0].text, 'Hello +46700000001, thanks for calling.');
  });

  it('serves greet with the shared helper', async () => {
    const response = await fetch(`${runtime().url}/greet?name=Ann`);
    assert.deepEqual(await response.json(), { greeting: 'Hello Ann, thanks for calling.' });
  });
});

describe('example commonjs', () => {
  const runtime = useExample('commonjs');

  it('serves hello', async () => {
    const response = await fetch(`${runtime().url}/hello?name=Bo`);
    assert.deepEqual(await response.json(), { message: 'Hello, Bo!' });
  });

  it('serves echo', async () => {
    const response = await postJson(`${runtime().url}/echo`, { a: 1 });
    assert.deepEqual(await response.json(), { method: 'POST', body: { a: 1 } });
  });
});
