import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequest, checkJson, formatJson, type RequestSpec } from '../../client/src/request/request-spec';

const base = 'http://127.0.0.1:3000';

function spec(extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', path: '/status', headers: [], body: '', ...extra };
}

describe('buildRequest', () => {
  it('builds a GET with a query string', () => {
    const result = buildRequest(spec({ path: '/status?verbose=1&x=a%20b' }), base);
    assert.ok(result.ok);
    assert.equal(result.request.method, 'GET');
    assert.equal(result.request.url, 'http://127.0.0.1:3000/status?verbose=1&x=a%20b');
    assert.equal(result.request.body, undefined);
    assert.deepEqual(result.request.headers, []);
  });

  it('upper-cases the method', () => {
    const result = buildRequest(spec({ method: 'post', body: '{}' }), base);
    assert.ok(result.ok);
    assert.equal(result.request.method, 'POST');
  });

  it('adds a JSON content type to a JSON body', () => {
    const result = buildRequest(spec({ method: 'POST', path: '/ice', body: '{"event":"ice"}' }), base);
    assert.ok(result.ok);
    assert.deepEqual(result.request.headers, [['Content-Type', 'application/json']]);
    assert.equal(result.request.body, '{"event":"ice"}');
  });

  it('adds a text content type to a plain body', () => {
    const result = buildRequest(spec({ method: 'POST', body: 'hello' }), base);
    assert.ok(result.ok);
    assert.deepEqual(result.request.headers, [['Content-Type', 'text/plain; charset=utf-8']]);
  });

  it('rejects invalid JSON with line and column', () => {
    const result = buildRequest(spec({ method: 'POST', body: '{\n  "a": 1,\n}' }), base);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /line 3, column 1/);
  });

  it('sends non-JSON text when the content type says so', () => {
    const result = buildRequest(spec({ method: 'POST', body: '{not json', headers: [{ name: 'Content-Type', value: 'text/plain' }] }), base);
    assert.ok(result.ok);
  });

  it('skips disabled and empty header rows', () => {
    const result = buildRequest(
      spec({ headers: [{ name: 'X-On', value: '1' }, { name: 'X-Off', value: '2', enabled: false }, { name: '', value: '' }] }),
      base,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.request.headers, [['X-On', '1']]);
  });

  it('adds Basic credentials', () => {
    const result = buildRequest(spec({ path: '/admin', credentials: { username: 'admin', password: 's3cret' } }), base);
    assert.ok(result.ok);
    assert.deepEqual(result.request.headers, [['Authorization', `Basic ${Buffer.from('admin:s3cret').toString('base64')}`]]);
    assert.deepEqual(result.request.basicAuth, { username: 'admin', password: 's3cret' });
  });

  const rejected: Array<[string, Partial<RequestSpec>, RegExp]> = [
    ['method with a space', { method: 'GE T' }, /Invalid method "GE T"/],
    ['path without a slash', { path: 'status' }, /starts with "\/"/],
    ['path with a space', { path: '/a b' }, /%20/],
    ['protocol-relative path to another host', { path: '//example.com/x' }, /local runtime only/],
    ['header name with a colon', { headers: [{ name: 'X:Y', value: '1' }] }, /Invalid header name "X:Y"/],
    ['header value with a newline', { headers: [{ name: 'X-A', value: 'a\r\nB: c' }] }, /one line/],
    ['GET with a body', { body: 'x' }, /GET request has no body/],
    ['user name with a colon', { credentials: { username: 'a:b', password: 'c' } }, /must not contain ":"/],
    [
      'credentials and an Authorization header',
      { credentials: { username: 'a', password: 'b' }, headers: [{ name: 'Authorization', value: 'Bearer x' }] },
      /remove one/,
    ],
  ];
  for (const [name, change, message] of rejected) {
    it(`rejects ${name}`, () => {
      const result = buildRequest(spec(change), base);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.error, message);
    });
  }
});

describe('checkJson', () => {
  it('accepts valid and empty JSON', () => {
    assert.equal(checkJson('{"a":[1,2]}'), null);
    assert.equal(checkJson('   '), null);
  });

  it('locates an error on a later line', () => {
    const problem = checkJson('{\n  "a": 1\n  "b": 2\n}');
    assert.ok(problem);
    assert.equal(problem.line, 3);
    assert.equal(problem.column, 3);
  });

  it('reports unexpected end at the end of the text', () => {
    const problem = checkJson('{"a": ');
    assert.ok(problem);
    assert.equal(problem.line, 1);
  });
});

describe('formatJson', () => {
  it('pretty-prints JSON and keeps other text', () => {
    assert.equal(formatJson('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(formatJson('<p>hi</p>'), '<p>hi</p>');
  });
});
