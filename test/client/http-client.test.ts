import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_RESPONSE_BYTES, RequestFailedError, sendRequest } from '../../client/src/request/http-client';
import { buildRequest } from '../../client/src/request/request-spec';

let server: http.Server;
let base: string;
const received: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

before(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (request.url === '/slow') return; // never answers: the client's timeout must fire
      if (request.url === '/big') {
        response.end(Buffer.alloc(MAX_RESPONSE_BYTES + 10, 'a'));
        return;
      }
      response.setHeader('Content-Type', 'application/json');
      response.setHeader('X-Sinch-Request-Id', 'abc123');
      response.setHeader('X-Sinch-Export', 'status');
      response.setHeader('X-Sinch-Duration-Ms', '7');
      response.statusCode = 201;
      response.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function built(path: string, method = 'GET', body = '') {
  const result = buildRequest({ method, path, headers: [{ name: 'X-Test', value: 'yes' }], body }, base);
  assert.ok(result.ok);
  return result.request;
}

describe('sendRequest', () => {
  it('records status, headers, body and runtime headers', async () => {
    const response = await sendRequest(built('/status?x=1'), { timeoutMs: 5000 });
    assert.equal(response.status, 201);
    assert.equal(response.body, '{"ok":true}');
    assert.equal(response.requestId, 'abc123');
    assert.equal(response.exportName, 'status');
    assert.equal(response.handlerMs, 7);
    assert.equal(response.truncated, false);
    assert.ok(response.durationMs >= 0);
    assert.ok(response.headers.some(([name, value]) => name === 'Content-Type' && value === 'application/json'));
    const last = received.at(-1)!;
    assert.equal(last.url, '/status?x=1');
    assert.equal(last.headers['x-test'], 'yes');
  });

  it('sends the body with its length', async () => {
    await sendRequest(built('/ice', 'POST', '{"event":"ice","text":"é"}'), { timeoutMs: 5000 });
    const last = received.at(-1)!;
    assert.equal(last.method, 'POST');
    assert.equal(last.body, '{"event":"ice","text":"é"}');
    assert.equal(last.headers['content-length'], String(Buffer.byteLength('{"event":"ice","text":"é"}')));
  });

  it('cuts a body above the limit', async () => {
    const response = await sendRequest(built('/big'), { timeoutMs: 5000 });
    assert.equal(response.truncated, true);
    assert.equal(response.body.length, MAX_RESPONSE_BYTES);
  });

  it('times out and names the setting', async () => {
    await assert.rejects(sendRequest(built('/slow'), { timeoutMs: 200 }), (error: unknown) => {
      assert.ok(error instanceof RequestFailedError);
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /sinchFunctions\.requestTimeout/);
      return true;
    });
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = buildRequest({ method: 'GET', path: '/status', headers: [], body: '' }, `http://127.0.0.1:${port}`);
    assert.ok(result.ok);
    await assert.rejects(sendRequest(result.request, { timeoutMs: 2000 }), (error: unknown) => {
      assert.ok(error instanceof RequestFailedError);
      assert.equal(error.code, 'refused');
      assert.match(error.message, /start the runtime/);
      return true;
    });
  });
});
