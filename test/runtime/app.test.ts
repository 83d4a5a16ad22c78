import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { makeProject, startRuntime, type TestRuntime } from './helpers';

const running: TestRuntime[] = [];
after(async () => {
  await Promise.all(running.map((runtime) => runtime.close()));
});

async function serve(files: Record<string, string>, options: Parameters<typeof startRuntime>[1] = {}): Promise<TestRuntime> {
  const runtime = await startRuntime(makeProject(files), options);
  running.push(runtime);
  return runtime;
}

describe('handler arguments', () => {
  it('custom handlers get context and request', async () => {
    const app = await serve({
      'function.ts': `export async function inspect(context: any, request: any) {
        return { method: request.method, path: request.path, query: request.query, body: request.body,
                 raw: request.rawBody.toString(), header: request.headers['x-test'], requestId: context.requestId };
      }`,
    });
    const response = await app.request({
      method: 'POST',
      url: '/api/inspect?a=1&a=2&b=x&c[d]=e',
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      payload: '{"k":1}',
    });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.method, 'POST');
    assert.equal(body.path, '/api/inspect');
    assert.deepEqual(body.query, { a: ['1', '2'], b: 'x', 'c[d]': 'e' });
    assert.deepEqual(body.body, { k: 1 });
    assert.equal(body.raw, '{"k":1}');
    assert.equal(body.header, 'yes');
    assert.equal(body.requestId, response.headers['x-sinch-request-id']);
  });

  it('voice callbacks get context and the event', async () => {
    const app = await serve({
      'function.ts': `export default { ice: async (context: any, event: any) => ({ action: { name: 'hangup' }, got: event.callid }) };`,
    });
    const response = await app.request({ method: 'POST', url: '/ice', payload: { event: 'ice', callid: 'c1' } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { action: { name: 'hangup' }, got: 'c1' });
    assert.equal(response.headers['x-sinch-export'], 'ice');
  });

  it('query keys like __proto__ stay plain keys', async () => {
    const app = await serve({
      'function.ts': `export const q = (c: any, r: any) => ({ keys: Object.keys(r.query), polluted: ({} as any).polluted ?? null });`,
    });
    const response = await app.request({ method: 'GET', url: '/q?__proto__[polluted]=1&constructor=2' });
    assert.deepEqual(response.json(), { keys: ['__proto__[polluted]', 'constructor'], polluted: null });
  });
});

describe('request bodies', () => {
  const echo = { 'function.ts': `export const echo = (c: any, r: any) => ({ type: r.body === undefined ? 'undefined' : Buffer.isBuffer(r.body) ? 'buffer' : typeof r.body, body: Buffer.isBuffer(r.body) ? r.body.toString('hex') : r.body ?? null });` };

  it('parses JSON, +json, urlencoded and text', async () => {
    const app = await serve(echo);
    const json = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{"a":[1]}' });
    assert.deepEqual(json.json(), { type: 'object', body: { a: [1] } });
    const cloud = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/cloudevents+json' }, payload: '{"type":"x"}' });
    assert.deepEqual(cloud.json(), { type: 'object', body: { type: 'x' } });
    const form = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&b=2&b=3' });
    assert.deepEqual(form.json(), { type: 'object', body: { a: '1', b: ['2', '3'] } });
    const text = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    assert.deepEqual(text.json(), { type: 'string', body: 'hello' });
    const binary = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from([1, 2]) });
    assert.deepEqual(binary.json(), { type: 'buffer', body: '0102' });
  });

  it('an empty body is undefined, never {}', async () => {
    const app = await serve(echo);
    const response = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(response.json(), { type: 'undefined', body: null });
  });

  it('malformed JSON answers 400 and the handler is not called', async () => {
    const app = await serve({ 'function.ts': `export let calls = 0; export const h = () => { calls++; return {}; }; export const count = () => ({ calls });` });
    const response = await app.request({ method: 'POST', url: '/h', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error, /Malformed JSON body/);
    assert.equal((await app.request({ method: 'GET', url: '/count' })).json().calls, 0);
  });

  it('an unsupported charset answers 400 naming it', async () => {
    const app = await serve(echo);
    const response = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json; charset=utf-16' }, payload: '{}' });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error, /utf-16/);
  });

  it('a body over the limit answers 413 naming the flag', async () => {
    const app = await serve(echo, { bodyLimitBytes: 100 });
    const response = await app.request({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(101) });
    assert.equal(response.statusCode, 413);
    assert.match(response.json().fix, /--body-limit/);
  });
});

describe('return values', () => {
  const app = () =>
    serve({
      'function.ts': `
        export const full = () => ({ statusCode: 201, body: { created: true }, headers: { 'x-a': 'b' } });
        export const plain = () => ({ ok: true });
        export const list = () => [1, 2];
        export const nothing = () => undefined;
        export const nil = () => null;
        export const text = () => 'hello';
        export const html = () => ({ statusCode: 200, body: '<p>hi</p>', headers: { 'Content-Type': 'text/html' } });
        export const bytes = () => Buffer.from('abc');
        export const num = () => 42;
        export const map = () => new Map();
        export const badStatus = () => ({ statusCode: 'ok' });
        export const circular = () => { const a: any = {}; a.self = a; return a; };
        export const throws = () => { throw new Error('boom'); };
        export const rejects = async () => { throw new TypeError('bad type'); };
      `,
    });

  it('maps each return shape to a response', async () => {
    const runtime = await app();
    const get = (url: string) => runtime.request({ method: 'GET', url });

    const full = await get('/full');
    assert.equal(full.statusCode, 201);
    assert.equal(full.headers['x-a'], 'b');
    assert.deepEqual(full.json(), { created: true });

    assert.deepEqual((await get('/plain')).json(), { ok: true });
    assert.deepEqual((await get('/list')).json(), [1, 2]);
    assert.equal((await get('/nothing')).statusCode, 204);
    assert.equal((await get('/nil')).statusCode, 204);

    const text = await get('/text');
    assert.equal(text.body, 'hello');
    assert.match(String(text.headers['content-type']), /^text\/plain/);

    const html = await get('/html');
    assert.equal(html.headers['content-type'], 'text/html');

    const bytes = await get('/bytes');
    assert.equal(bytes.headers['content-type'], 'application/octet-stream');
    assert.equal(bytes.body, 'abc');
  });

  it('answers 500 naming an invalid return value', async () => {
    const runtime = await app();
    const cases: Array<[string, RegExp]> = [
      ['/num', /returned a number \(42\)/],
      ['/map', /returned an instance of Map/],
      ['/badStatus', /statusCode "ok"/],
      ['/circular', /cannot be sent as JSON/],
    ];
    for (const [url, pattern] of cases) {
      const response = await runtime.request({ method: 'GET', url });
      assert.equal(response.statusCode, 500, url);
      assert.match(response.json().error, pattern, url);
    }
  });

  it('a throwing or rejecting handler answers 500 and the runtime keeps serving', async () => {
    const runtime = await app();
    const thrown = await runtime.request({ method: 'GET', url: '/throws' });
    assert.equal(thrown.statusCode, 500);
    assert.match(thrown.json().error, /Handler "throws" threw Error: boom/);
    const rejected = await runtime.request({ method: 'GET', url: '/rejects' });
    assert.match(rejected.json().error, /TypeError: bad type/);
    assert.ok(runtime.lines.some((line) => line.includes('ERROR') && line.includes('at ')), 'stack is logged');
    assert.equal((await runtime.request({ method: 'GET', url: '/plain' })).statusCode, 200);
  });

  it('a handler past the timeout answers 504 and the runtime stays healthy', async () => {
    const runtime = await serve(
      { 'function.ts': `export const slow = () => new Promise((r) => setTimeout(() => r({ late: true }), 2000)); export const fast = () => ({ ok: 1 });` },
      { timeoutSeconds: 0.2 },
    );
    const slow = await runtime.request({ method: 'GET', url: '/slow' });
    assert.equal(slow.statusCode, 504);
    assert.match(slow.json().fix, /--timeout/);
    assert.equal((await runtime.request({ method: 'GET', url: '/fast' })).statusCode, 200);
  });

  it('process.exit in a handler is an error, not an exit', async () => {
    const runtime = await serve({ 'function.ts': `export const quit = () => { process.exit(3); }; export const ok = () => 'still here';` });
    const response = await runtime.request({ method: 'GET', url: '/quit' });
    assert.equal(response.statusCode, 500);
    assert.match(response.json().error, /process\.exit\(3\)/);
    assert.equal((await runtime.request({ method: 'GET', url: '/ok' })).body, 'still here');
  });
});

describe('routing through the app', () => {
  it('unknown paths answer 404 JSON listing routes', async () => {
    const runtime = await serve({ 'function.ts': `export const status = () => ({});` });
    const response = await runtime.request({ method: 'GET', url: '/missing' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json().routes, ['GET /status → status']);
  });

  it('/health answers without a health export', async () => {
    const runtime = await serve({ 'function.ts': `export const status = () => ({});` });
    const response = await runtime.request({ method: 'GET', url: '/health' });
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  it('HEAD runs the export and sends no body', async () => {
    const runtime = await serve({ 'function.ts': `export const status = (c: any, r: any) => ({ method: r.method });` });
    const response = await runtime.request({ method: 'HEAD', url: '/status' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '');
  });

  it('OPTIONS is passed to the export', async () => {
    const runtime = await serve({ 'function.ts': `export const status = (c: any, r: any) => ({ statusCode: 204, headers: { allow: 'GET' } });` });
    const response = await runtime.request({ method: 'OPTIONS', url: '/status' });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers.allow, 'GET');
  });

  it('serves public/ files with no way out of the folder', async () => {
    const dir = makeProject({ 'function.ts': `export const status = () => ({});`, 'public/index.html': '<h1>home</h1>', 'public/a.txt': 'A', 'secret.txt': 'S' });
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'public', 'link.txt'));
    const runtime = await startRuntime(dir);
    running.push(runtime);
    assert.equal((await runtime.request({ method: 'GET', url: '/' })).body, '<h1>home</h1>');
    assert.equal((await runtime.request({ method: 'GET', url: '/a.txt' })).body, 'A');
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/link.txt', '/a.txt%00']) {
      const response = await runtime.request({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes('S"') && response.body !== 'S', url);
    }
  });

  it('a named export wins over a default-object member and the clash is logged', async () => {
    const runtime = await serve({
      'function.ts': `export default { status: () => ({ from: 'default' }) }; export const status = () => ({ from: 'named' });`,
    });
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/status' })).json(), { from: 'named' });
    assert.ok(runtime.lines.some((line) => line.includes('WARN') && line.includes('"status"')));
  });

  it('the /_sinch/ prefix never reaches exports', async () => {
    const runtime = await serve({ 'function.ts': `export const status = () => ({ user: true }); export const foo = () => ({ user: true });` });
    const post = await runtime.request({ method: 'POST', url: '/_sinch/status' });
    assert.equal(post.statusCode, 405);
    const unknown = await runtime.request({ method: 'GET', url: '/_sinch/foo' });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().fix, /reserved/);
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/api/foo' })).json(), { user: true });
  });

  it('introspection lists routes and state', async () => {
    const runtime = await serve({ 'function.ts': `export default { ice: () => ({ action: { name: 'hangup' } }) }; export const status = () => ({});` });
    const status = (await runtime.request({ method: 'GET', url: '/_sinch/status' })).json();
    assert.equal(status.state, 'ready');
    assert.deepEqual(
      status.routes.map((route: { path: string }) => route.path),
      ['/ice', '/status'],
    );
  });
});

describe('loading user code', () => {
  it('loads every module form', async () => {
    const forms: Record<string, Record<string, string>> = {
      'export =': { 'function.ts': `const handlers = { a: () => ({ form: 'export=' }) }; export = handlers;` },
      'module.exports': { 'function.js': `module.exports = { a: () => ({ form: 'module.exports' }) };` },
      'exports.x': { 'function.js': `exports.a = () => ({ form: 'exports' });` },
      'ESM in .js': { 'function.js': `export const a = () => ({ form: 'esm-js' });`, 'package.json': '{"type":"module"}' },
      'default function': { 'function.ts': `export default function () { return { form: 'default-fn' }; }\nexport const a = () => ({ form: 'named' });` },
      'top-level await': { 'function.ts': `const value = await Promise.resolve('tla'); export const a = () => ({ form: value });` },
      'NodeNext import': { 'function.ts': `export { a } from './lib.js';`, 'lib.ts': `export const a = () => ({ form: 'nodenext' });` },
    };
    for (const [name, files] of Object.entries(forms)) {
      const runtime = await serve(files);
      const response = await runtime.request({ method: 'GET', url: '/a' });
      assert.equal(response.statusCode, 200, `${name}: ${response.body}`);
      assert.ok(response.json().form, name);
    }
  });

  it('resolves @sinch/functions-runtime to the installed copy first', async () => {
    const runtime = await serve({
      'function.ts': `import { marker } from '@sinch/functions-runtime'; export const a = () => ({ marker });`,
      'node_modules/@sinch/functions-runtime/package.json': '{"name":"@sinch/functions-runtime","main":"index.js"}',
      'node_modules/@sinch/functions-runtime/index.js': 'exports.marker = "installed";',
    });
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { marker: 'installed' });
  });

  it('works in folders with spaces and non-ASCII names', async () => {
    const dir = makeProject({ 'function.ts': `export { a } from './lib.js';`, 'lib.ts': `export const a = () => ({ ok: true });` }, 'mäin project ✓');
    const runtime = await startRuntime(dir);
    running.push(runtime);
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { ok: true });
  });

  it('an error while loading names the project file and line', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({});\nexport { b } from './lib.js';`, 'lib.ts': `const x = 1;\nthrow new Error('lib failed');\nexport const b = 1;` });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    const error = runtime.runtime.status().error;
    assert.equal(error?.file, path.join(dir, 'lib.ts'));
    assert.equal(error?.line, 2);
    assert.match(error?.message ?? '', /lib failed/);
  });

  it('a syntax error names file, line and column; without a good version requests get 503', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({ ok: true });\nexport const b = (;\n` });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    const status = runtime.runtime.status();
    assert.equal(status.state, 'error');
    assert.equal(status.error?.line, 2);
    assert.equal(status.error?.file, path.join(dir, 'function.ts'));
    assert.ok(runtime.lines.some((line) => line.includes(`${path.join(dir, 'function.ts')}:2:`)));
    const response = await runtime.request({ method: 'GET', url: '/a' });
    assert.equal(response.statusCode, 503);
    assert.match(response.json().detail, /function\.ts:2:/);
  });
});

describe('reload', () => {
  it('keeps serving the last good version after a syntax error', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({ v: 1 });` });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    fs.writeFileSync(path.join(dir, 'function.ts'), `export const a = () => ({ v: 2 ;`);
    const response = await runtime.request({ method: 'GET', url: '/a' });
    assert.deepEqual(response.json(), { v: 1 });
    assert.equal(runtime.runtime.status().state, 'error');
    fs.writeFileSync(path.join(dir, 'function.ts'), `export const a = () => ({ v: 3 });`);
    runtime.runtime.markDirty();
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { v: 3 });
    assert.equal(runtime.runtime.status().state, 'ready');
  });

  it('finishes in-flight requests on the old code and stops its timers', async () => {
    const dir = makeProject({
      'function.ts': `
        (globalThis as any).ticks = 0;
        setInterval(() => { (globalThis as any).ticks++; }, 5);
        export const slow = () => {
          (globalThis as any).slowStarted?.();
          return new Promise((resolve) => setTimeout(() => resolve({ v: 1 }), 150));
        };
        export const ticks = () => ({ ticks: (globalThis as any).ticks });`,
    });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    const started = new Promise<void>((resolve) => ((globalThis as Record<string, unknown>).slowStarted = resolve));
    const inFlight = runtime.request({ method: 'GET', url: '/slow' });
    await started;
    fs.writeFileSync(path.join(dir, 'function.ts'), `export const slow = () => ({ v: 2 }); export const ticks = () => ({ ticks: (globalThis as any).ticks });`);
    runtime.runtime.markDirty();
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/slow' })).json(), { v: 2 });
    assert.deepEqual((await inFlight).json(), { v: 1 }, 'the in-flight request finishes on the old code');
    const before = (await runtime.request({ method: 'GET', url: '/ticks' })).json().ticks;
    await new Promise((resolve) => setTimeout(resolve, 60));
    const later = (await runtime.request({ method: 'GET', url: '/ticks' })).json().ticks;
    assert.equal(later, before, 'the old interval no longer runs');
  });

  it('an entry caught empty mid-save keeps the old code', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({ v: 1 });` });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    fs.writeFileSync(path.join(dir, 'function.ts'), '');
    runtime.runtime.markDirty();
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { v: 1 });
    fs.writeFileSync(path.join(dir, 'function.ts'), `export const a = () => ({ v: 2 });`);
    runtime.runtime.markDirty();
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { v: 2 });
  });

  it('detects a changed file on the next request without a watcher event', async () => {
    const dir = makeProject({ 'function.ts': `export { a } from './lib.js';`, 'lib.ts': `export const a = () => ({ v: 1 });` });
    const runtime = await startRuntime(dir);
    running.push(runtime);
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { v: 1 });
    fs.writeFileSync(path.join(dir, 'lib.ts'), `export const a = () => ({ v: 22 });`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual((await runtime.request({ method: 'GET', url: '/a' })).json(), { v: 22 });
  });
});
