import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signVoiceRequest, stringToSign, verifyVoiceSignature, webhookProtection } from '../../runtime/src/voice/signature';

// A made-up secret in the dashboard's base64 form.
const SECRET = Buffer.from('0123456789abcdef').toString('base64');
const BODY = Buffer.from('{"event":"ice","callid":"c1"}');
const ENV = { WEBHOOK_PROTECTION: 'always', VOICE_APPLICATION_KEY: 'app-key', VOICE_APPLICATION_SECRET: SECRET };

function signed(overrides: { body?: Buffer; path?: string; contentType?: string } = {}) {
  const rawBody = overrides.body ?? BODY;
  const contentType = overrides.contentType ?? 'application/json; charset=utf-8';
  const headers = signVoiceRequest('v1', { id: 'app-key', secret: SECRET }, {
    method: 'POST',
    path: '/ice',
    contentType,
    rawBody: BODY,
    timestamp: '2026-12-04T10:15:30Z',
  });
  const allHeaders: Record<string, string> = { ...headers, 'content-type': contentType };
  return { method: 'POST', path: overrides.path ?? '/ice', headers: allHeaders, rawBody };
}

describe('voice signature', () => {
  it('string to sign has the five documented lines', () => {
    const md5 = createHash('md5').update(BODY).digest('base64');
    assert.equal(
      stringToSign('post', 'application/json', '2026-12-04T10:15:30Z', '/ice', BODY),
      `POST\n${md5}\napplication/json\nx-timestamp:2026-12-04T10:15:30Z\n/ice`,
    );
    assert.equal(stringToSign('POST', '', 't', '/', new Uint8Array()), 'POST\n\n\nx-timestamp:t\n/');
  });

  it('signature is HMAC-SHA256 with the decoded secret', () => {
    const request = signed();
    const text = stringToSign('POST', 'application/json; charset=utf-8', '2026-12-04T10:15:30Z', '/ice', BODY);
    const expected = createHmac('sha256', Buffer.from('0123456789abcdef')).update(text).digest('base64');
    assert.equal(request.headers.authorization, `Application app-key:${expected}`);
  });

  it('accepts a correctly signed request', () => {
    assert.deepEqual(verifyVoiceSignature('v1', ENV, signed()), { type: 'valid' });
  });

  it('rejects a changed body, path or content type', () => {
    assert.equal(verifyVoiceSignature('v1', ENV, signed({ body: Buffer.from('{"event":"ice","callid":"c2"}') })).type, 'invalid');
    assert.equal(verifyVoiceSignature('v1', ENV, signed({ path: '/pie' })).type, 'invalid');
    const retyped = signed();
    retyped.headers['content-type'] = 'application/json';
    assert.equal(verifyVoiceSignature('v1', ENV, retyped).type, 'invalid');
  });

  it('rejects a missing header or another key', () => {
    const unsigned = { method: 'POST', path: '/ice', headers: {}, rawBody: BODY };
    const missing = verifyVoiceSignature('v1', ENV, unsigned);
    assert.equal(missing.type, 'invalid');
    assert.match(missing.type === 'invalid' ? missing.message : '', /no "Authorization: Application <id>:<signature>" header/);
    const other = verifyVoiceSignature('v1', { ...ENV, VOICE_APPLICATION_KEY: 'another-key' }, signed());
    assert.match(other.type === 'invalid' ? other.message : '', /signed for "app-key", but VOICE_APPLICATION_KEY is "another-key"/);
  });

  it('skips unless protection is always and the secret is set', () => {
    const unsigned = { method: 'POST', path: '/ice', headers: {}, rawBody: BODY };
    assert.equal(verifyVoiceSignature('v1', { ...ENV, WEBHOOK_PROTECTION: 'deploy' }, unsigned).type, 'skipped');
    assert.equal(verifyVoiceSignature('v1', { ...ENV, WEBHOOK_PROTECTION: undefined }, unsigned).type, 'skipped');
    assert.equal(verifyVoiceSignature('v1', { ...ENV, WEBHOOK_PROTECTION: 'never' }, unsigned).type, 'skipped');
    assert.equal(verifyVoiceSignature('v1', { WEBHOOK_PROTECTION: 'always' }, unsigned).type, 'skipped');
    assert.equal(webhookProtection({ WEBHOOK_PROTECTION: 'ALWAYS' }), 'always');
    assert.equal(webhookProtection({ WEBHOOK_PROTECTION: 'sometimes' }), 'deploy');
  });

  it('v2 uses the service scheme and secret', () => {
    const env = { WEBHOOK_PROTECTION: 'always', VOICE_SERVICE_ID: 'svc-1', VOICE_SERVICE_SECRET: SECRET };
    const body = Buffer.from('{"event":"call.incoming","call":{"callId":"c"}}');
    const headers = signVoiceRequest('v2', { id: 'svc-1', secret: SECRET }, { method: 'POST', path: '/webhook/voice', contentType: 'application/json', rawBody: body });
    assert.match(headers.authorization, /^service svc-1:/);
    const request = { method: 'POST', path: '/webhook/voice', headers: { ...headers, 'content-type': 'application/json' }, rawBody: body };
    assert.deepEqual(verifyVoiceSignature('v2', env, request), { type: 'valid' });
    assert.equal(verifyVoiceSignature('v1', { ...env, VOICE_APPLICATION_SECRET: SECRET }, request).type, 'invalid');
  });
});
