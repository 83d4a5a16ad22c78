import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyExport,
  resolveRoute,
  routePathOf,
  voiceCallbackNearMiss,
  webhookExportName,
  webhookServiceOf,
  type RouteDecision,
} from '../../common/src/routes';

const exportsOf = (...names: string[]) => ({
  hasExport: (name: string) => names.includes(name),
  findStaticFile: (path: string) => (path === '/index.html' || path === '/logo.png' ? `/public${path}` : undefined),
});

function route(method: string, path: string, names: string[], body?: unknown): RouteDecision {
  return resolveRoute({ method, path, body }, exportsOf(...names));
}

function exportOf(decision: RouteDecision): string | undefined {
  return decision.type === 'export' ? decision.exportName : undefined;
}

describe('resolveRoute', () => {
  const cases: Array<[string, string, string[], unknown, string | undefined]> = [
    ['GET', '/status', ['status'], undefined, 'status'],
    ['POST', '/api/v2/orders/refund', ['refund'], undefined, 'refund'],
    ['GET', '/api/health', ['health'], undefined, 'health'],
    ['POST', '/ice', ['ice'], undefined, 'ice'],
    ['POST', '/callbacks/pie', ['pie'], undefined, 'pie'],
    ['POST', '/ICE', ['ice'], undefined, 'ice'],
    ['POST', '/Notify', ['notify'], undefined, 'notify'],
    ['POST', '/', ['ice', 'default'], { event: 'ice' }, 'ice'],
    ['POST', '/', ['dice'], { event: 'dice' }, 'dice'],
    ['POST', '/webhook/conversation', ['conversationWebhook', 'conversation'], undefined, 'conversationWebhook'],
    ['POST', '/webhook/stripe', ['stripeWebhook'], undefined, 'stripeWebhook'],
    ['POST', '/webhook/my-service', ['myServiceWebhook'], undefined, 'myServiceWebhook'],
    ['GET', '/', ['default', 'home'], undefined, 'default'],
    ['GET', '/', ['home'], undefined, 'home'],
    ['POST', '/', ['voiceWebhook', 'default'], { event: 'call.incoming' }, 'voiceWebhook'],
    ['POST', '/webhook/voice', ['voiceWebhook'], { event: 'call.answered' }, 'voiceWebhook'],
    ['GET', '/status/', ['status'], undefined, 'status'],
    ['GET', '//status//', ['status'], undefined, 'status'],
    ['GET', '/status?verbose=1', ['status'], undefined, 'status'],
    ['HEAD', '/status', ['status'], undefined, 'status'],
    ['OPTIONS', '/status', ['status'], undefined, 'status'],
    ['GET', '/home', ['home'], undefined, 'home'],
    ['GET', '/login', ['login'], undefined, 'login'],
  ];
  for (const [method, path, names, body, expected] of cases) {
    it(`${method} ${path} with [${names.join(', ')}] reaches ${expected}`, () => {
      assert.equal(exportOf(route(method, path, names, body)), expected);
    });
  }

  it('custom exports match letter case exactly', () => {
    assert.deepEqual(route('GET', '/Status', ['status']), { type: 'not-found' });
  });

  it('a voice callback path without that export is not found', () => {
    assert.deepEqual(route('POST', '/ice', ['status']), { type: 'not-found' });
  });

  it('voice names win over a custom export of another name in the path', () => {
    assert.equal(exportOf(route('POST', '/status/ice', ['status', 'ice'])), 'ice');
  });

  it('/default is not a route', () => {
    assert.deepEqual(route('GET', '/default', ['default']), { type: 'not-found' });
  });

  it('auth and setup are never routes', () => {
    assert.deepEqual(route('GET', '/auth', ['auth']), { type: 'not-found' });
    assert.deepEqual(route('GET', '/setup', ['setup']), { type: 'not-found' });
  });

  it('built-in health when no health export', () => {
    assert.deepEqual(route('GET', '/health', []), { type: 'builtin', name: 'health' });
  });

  it('built-in login and logout when not exported', () => {
    assert.deepEqual(route('GET', '/login', []), { type: 'builtin', name: 'login' });
    assert.deepEqual(route('POST', '/logout', []), { type: 'builtin', name: 'logout' });
  });

  it('static files after exports, index.html at root', () => {
    assert.deepEqual(route('GET', '/logo.png', []), { type: 'static', filePath: '/public/logo.png' });
    assert.deepEqual(route('GET', '/', []), { type: 'static', filePath: '/public/index.html' });
    assert.equal(exportOf(route('GET', '/', ['home'])), 'home');
  });

  it('v2 event at another path is not sent to voiceWebhook', () => {
    assert.deepEqual(route('POST', '/other', ['voiceWebhook'], { event: 'call.incoming' }), { type: 'not-found' });
  });

  it('v1 event in a POST to / without that export is not found', () => {
    assert.deepEqual(route('POST', '/', ['default'], { event: 'pie' }), { type: 'not-found' });
  });

  it('an unknown webhook service is not found', () => {
    assert.deepEqual(route('POST', '/webhook/unknown', ['conversationWebhook']), { type: 'not-found' });
  });
});

describe('export naming rules', () => {
  it('classifies every kind', () => {
    assert.equal(classifyExport('ice'), 'voice-callback');
    assert.equal(classifyExport('voiceWebhook'), 'voice-webhook');
    assert.equal(classifyExport('conversationWebhook'), 'webhook');
    assert.equal(classifyExport('default'), 'root');
    assert.equal(classifyExport('home'), 'root');
    assert.equal(classifyExport('health'), 'health');
    assert.equal(classifyExport('login'), 'auth-page');
    assert.equal(classifyExport('status'), 'custom');
    assert.equal(classifyExport('Webhook'), 'custom');
    assert.equal(classifyExport('auth'), undefined);
    assert.equal(classifyExport('setup'), undefined);
  });

  it('maps webhook services both ways', () => {
    assert.equal(webhookExportName('conversation'), 'conversationWebhook');
    assert.equal(webhookExportName('my-service'), 'myServiceWebhook');
    assert.equal(webhookExportName('my_service'), 'myServiceWebhook');
    assert.equal(webhookServiceOf('myServiceWebhook'), 'my-service');
    assert.equal(webhookServiceOf('status'), undefined);
  });

  it('route paths', () => {
    assert.equal(routePathOf('status'), '/status');
    assert.equal(routePathOf('conversationWebhook'), '/webhook/conversation');
    assert.equal(routePathOf('home'), '/');
    assert.equal(routePathOf('voiceWebhook'), '/webhook/voice');
  });

  it('letter-case near misses', () => {
    assert.equal(voiceCallbackNearMiss('Notify'), 'notify');
    assert.equal(voiceCallbackNearMiss('ICE'), 'ice');
    assert.equal(voiceCallbackNearMiss('ice'), undefined);
    assert.equal(voiceCallbackNearMiss('status'), undefined);
  });
});
