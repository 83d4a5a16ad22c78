/**
 * Hostile requests, handlers and command lines against the runtime. Each case was found by
 * attacking a running runtime; the tests keep the fixes in place. Requests that used to hang
 * carry a short abort signal, so a regression fails instead of stalling the suite.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { Generation, installGenerationGuards } from '../../runtime/src/loader/generation';
import { makeProject, runCli, startCli, startRuntime, type RuntimeProcess, type TestRuntime } from './helpers';

/** Time after which a request that should have been answered counts as hanging. */
const HANG_LIMIT_MS = 5_000;

async function errorBody(response: Response): Promise<{ error: string }> {
  return (await response.json()) as { error: string };
}

const HOSTILE_FUNCTION = `
export function status(context: any, request: any) { return { path: request.path, body: request.body }; }
export function timerNull() { setTimeout(() => { throw null; }, 0); return 'scheduled'; }
export function rejectNoProto() { Promise.reject(Object.create(null)); return 'scheduled'; }
export function informational() { return { statusCode: 101, body: 'x' }; }
export function wrongLength() { return { statusCode: 200, headers: { 'content-length': '100' }, body: 'x' }; }
export function badHeader() {
  return { statusCode: 200, headers: { 'content-encoding': 'gzip', 'x-bad': 'a\\nb' }, body: 'x' };
}
export function throwNoProto() { throw Object.create(null); }
export function throwingGetter() { return { get statusCode() { throw new Error('getter failed'); } }; }
export function throwingMessage() {
  const error = new Error('unused');
  Object.defineProperty(error, 'message', { get() { throw new Error('message getter failed'); } });
  throw error;
}
export function killSelf() { process.kill(process.pid); return 'still here'; }
export function ice(context: any, event: any) { return { action: { name: 'hangup' } }; }
export function spoofHeaders() {
  return {
    statusCode: 200,
    headers: { 'X-Sinch-Request-Id': 'fake', 'x-sinch-export': 'other', 'X-Sinch-Svaml-Findings': '[]', 'x-own': 'kept' },
    body: 'x',
  };
}
`;

describe('runtime process under hostile handlers', () => {
  let cli: RuntimeProcess;

  before(async () => {
    cli = await startCli(makeProject({ 'function.ts': HOSTILE_FUNCTION }));
  });
  after(async () => {
    await cli.stop();
  });

  const get = (route: string) => fetch(`${cli.url}${route}`, { signal: AbortSignal.timeout(HANG_LIMIT_MS) });

  it('survives throw null in a timer', async () => {
    assert.equal(await (await get('/timerNull')).text(), 'scheduled');
    await cli.waitForOutput('threw a non-Error value: null outside any request');
    assert.equal((await get('/health')).status, 200);
  });

  it('survives a rejection with a prototype-less object', async () => {
    assert.equal(await (await get('/rejectNoProto')).text(), 'scheduled');
    await cli.waitForOutput('A promise rejected with a value that cannot be shown');
    assert.equal((await get('/health')).status, 200);
  });

  it('rejects process.kill of its own pid', async () => {
    const response = await get('/killSelf');
    assert.equal(response.status, 500);
    assert.match((await errorBody(response)).error, /called process\.kill\(process\.pid\)/);
    assert.equal((await get('/health')).status, 200);
  });

  it('routes a leading double slash', async () => {
    const response = await get('//status');
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { path: string }).path, '//status');
  });

  it('rejects a 1xx statusCode', async () => {
    const response = await get('/informational');
    assert.equal(response.status, 500);
    assert.match((await errorBody(response)).error, /statusCode 101/);
  });

  it('drops a wrong Content-Length', async () => {
    const response = await get('/wrongLength');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'x');
  });

  it('names an invalid header and sends no other', async () => {
    const response = await get('/badHeader');
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-encoding'), null);
    assert.match((await errorBody(response)).error, /header "x-bad"/);
  });

  it('keeps runtime headers from handlers', async () => {
    const response = await get('/spoofHeaders');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-sinch-request-id') ?? '', /^[0-9a-f]{12}$/);
    assert.equal(response.headers.get('x-sinch-export'), 'spoofHeaders');
    assert.equal(response.headers.get('x-sinch-svaml-findings'), null);
    assert.equal(response.headers.get('x-own'), 'kept');
    await cli.waitForOutput('The header "X-Sinch-Request-Id" returned by the handler was dropped');
  });

  it('blames the handler for odd thrown values', async () => {
    for (const [route, pattern] of [
      ['/throwNoProto', /^Handler "throwNoProto" threw a value that cannot be shown/],
      ['/throwingMessage', /^Handler "throwingMessage" threw a value that cannot be shown/],
      ['/throwingGetter', /^Handler "throwingGetter" returned a value that could not be read: Error: getter failed/],
    ] as const) {
      const response = await get(route);
      assert.equal(response.status, 500, route);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, route);
      assert.match((await errorBody(response)).error, pattern, route);
    }
  });
});

describe('errors outside requests', () => {
  it('log repeats by powers of ten', async () => {
    const cli = await startCli(
      makeProject({
        'function.ts': "export function start() { setInterval(() => { throw new Error('tick failed'); }, 1); return 'started'; }\n",
      }),
    );
    try {
      const response = await fetch(`${cli.url}/start`, { signal: AbortSignal.timeout(HANG_LIMIT_MS) });
      assert.equal(await response.text(), 'started');
      await cli.waitForOutput('tick failed outside any request; the runtime keeps serving (100 times in a row)');
      const lines = cli.output().split('\n').filter((line) => line.includes('ERROR') && line.includes('tick failed'));
      assert.ok(lines.length <= 4, `${lines.length} lines logged for one repeating error`);
    } finally {
      await cli.stop();
    }
  });
});

describe('WebSocket listeners', () => {
  it('close the socket instead of exiting', async () => {
    const cli = await startCli(
      makeProject({
        'function.ts': `export function setup(runtime: any) {
          runtime.onWebSocket('/media', (socket: any) => {
            socket.on('message', (data: any) => {
              if (String(data) === 'exit') process.exit(0);
              if (String(data) === 'throw') throw new Error('listener failed');
              socket.send('echo:' + data);
            });
          });
        }\n`,
      }),
    );
    try {
      const session = (messages: string[]) =>
        new Promise<{ received: string[]; code: number }>((resolve, reject) => {
          const socket = new WebSocket(`${cli.url.replace('http:', 'ws:')}/media`);
          const received: string[] = [];
          const timer = setTimeout(() => reject(new Error(`WebSocket still open; received ${received.join(',')}`)), HANG_LIMIT_MS);
          socket.on('open', () => messages.forEach((message) => socket.send(message)));
          socket.on('message', (data) => received.push(String(data)));
          socket.on('error', reject);
          socket.on('close', (code) => {
            clearTimeout(timer);
            resolve({ received, code });
          });
        });

      const exited = await session(['hi', 'exit', 'after']);
      assert.deepEqual(exited.received, ['echo:hi']);
      assert.equal(exited.code, 1011);
      await cli.waitForOutput('WebSocket handler for /media threw ProcessExitError: The function called process.exit(0)');

      const thrown = await session(['hi', 'throw', 'after']);
      assert.deepEqual(thrown.received, ['echo:hi']);
      assert.equal(thrown.code, 1011);
      await cli.waitForOutput('WebSocket handler for /media threw Error: listener failed');

      assert.equal((await fetch(`${cli.url}/health`, { signal: AbortSignal.timeout(HANG_LIMIT_MS) })).status, 200);
    } finally {
      await cli.stop();
    }
  });
});

describe('request bodies', () => {
  let runtime: TestRuntime;

  before(async () => {
    runtime = await startRuntime(makeProject({ 'function.ts': HOSTILE_FUNCTION }));
  });
  after(async () => {
    await runtime.close();
  });

  it('rejects JSON that is not UTF-8', async () => {
    const response = await runtime.request({
      method: 'POST',
      url: '/status',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error, /not valid UTF-8/);
  });

  it('still strips a byte order mark', async () => {
    const response = await runtime.request({
      method: 'POST',
      url: '/status',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]),
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().body, { a: 1 });
  });

  it('names the Content-Type of a form-encoded event', async () => {
    const response = await runtime.request({
      method: 'POST',
      url: '/ice',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"event":"ice","callid":"call-1"}',
    });
    assert.equal(response.statusCode, 400);
    const body = response.json();
    assert.equal(body.field, '(body)');
    assert.match(body.error, /application\/x-www-form-urlencoded/);
    assert.match(body.fix, /Content-Type: application\/json/);
  });
});

describe('bodies the body reader rejects', () => {
  it('carry a request id and a log line', async () => {
    const runtime = await startRuntime(makeProject({ 'function.ts': HOSTILE_FUNCTION }), { bodyLimitBytes: 10 });
    try {
      const cases = [
        { status: 413, headers: { 'content-type': 'application/json' } },
        { status: 415, headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' } },
      ];
      for (const { status, headers } of cases) {
        const response = await runtime.request({ method: 'POST', url: '/status', headers, payload: '{"aaaaaaaaaaaa":1}' });
        assert.equal(response.statusCode, status);
        const requestId = response.headers['x-sinch-request-id'];
        assert.equal(typeof requestId, 'string');
        assert.equal(response.json().requestId, requestId);
        assert.ok(
          runtime.lines.some((line) => line.includes(`POST /status - ${status} `) && line.endsWith(`req=${requestId}`)),
          `no request line for ${status} in:\n${runtime.lines.join('\n')}`,
        );
      }
    } finally {
      await runtime.close();
    }
  });
});

describe('SVAML findings', () => {
  it('log at most 20 lines per response', async () => {
    const runtime = await startRuntime(
      makeProject({
        'function.ts': `export function ice() {
          return { instructions: Array.from({ length: 5000 }, () => ({ name: 'bogus' })), action: { name: 'hangup' } };
        }\n`,
      }),
    );
    try {
      const response = await runtime.request({
        method: 'POST',
        url: '/ice',
        headers: { 'content-type': 'application/json' },
        payload: '{"callid":"call-1"}',
      });
      assert.equal(response.statusCode, 200);
      assert.ok(String(response.headers['x-sinch-svaml-findings']).includes('(more)'));
      const findingLines = runtime.lines.filter((line) => line.includes('SVAML from "ice"'));
      assert.equal(findingLines.length, 21);
      assert.match(findingLines[20], /has 4980 more findings that were not logged/);
    } finally {
      await runtime.close();
    }
  });
});

/** Resolves with the promise's value, or rejects when it takes longer than `HANG_LIMIT_MS`. */
function withinHangLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${HANG_LIMIT_MS} ms`)), HANG_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe('loads that never finish', () => {
  it('exports that throw when read', async () => {
    const getter = 'export function status() { return "v1"; }\n' +
      'Object.defineProperty(exports, "lazy", { enumerable: true, get() { throw new Error("lazy getter failed"); } });\n';
    const dir = makeProject({ 'function.ts': getter });
    const runtime = await startRuntime(dir);
    try {
      const first = await runtime.request({ url: '/status' });
      assert.equal(first.statusCode, 503);
      assert.match(first.json().detail, /Reading the exports failed: Error: lazy getter failed/);

      fs.writeFileSync(path.join(dir, 'function.ts'), 'export function status() { return "v2"; }\n');
      runtime.runtime.markDirty();
      assert.equal((await runtime.request({ url: '/status' })).body, 'v2');

      const proxy = 'export function status() { return "v3"; }\n' +
        'export default new Proxy({}, { getPrototypeOf() { throw new Error("trap failed"); } });\n';
      fs.writeFileSync(path.join(dir, 'function.ts'), proxy);
      runtime.runtime.markDirty();
      assert.equal((await runtime.request({ url: '/status' })).body, 'v2');
      const status = runtime.runtime.status();
      assert.equal(status.state, 'error');
      assert.match(status.error?.message ?? '', /Reading the exports failed: Error: trap failed/);
    } finally {
      await runtime.close();
    }
  });

  it('status redacts load errors', async () => {
    const dir = makeProject({
      'function.ts': 'export function status() { return "v1"; }\n',
      '.env': 'API_TOKEN=token-value-for-redaction\n',
    });
    // The CLI copies .env into process.env, as the platform does, so top-level code can read it.
    const cli = await startCli(dir);
    try {
      fs.writeFileSync(path.join(dir, 'function.ts'), 'throw new Error("token " + process.env.API_TOKEN);\n');
      await cli.waitForOutput('Failed to load the function');
      const response = await fetch(`${cli.url}/_sinch/status`, { signal: AbortSignal.timeout(HANG_LIMIT_MS) });
      const introspection = (await response.json()) as { state: string; error: { message: string } };
      assert.equal(introspection.state, 'error');
      assert.equal(introspection.error.message, 'Error: token [redacted]');
      assert.equal(cli.status().error?.message, 'Error: token [redacted]');
    } finally {
      await cli.stop();
    }
  });

  it('top-level await is bounded', async () => {
    const dir = makeProject({ 'function.ts': 'export function status() { return "v1"; }\n' });
    const runtime = await startRuntime(dir, { timeoutSeconds: 1 });
    try {
      assert.equal((await runtime.request({ url: '/status' })).body, 'v1');

      fs.writeFileSync(path.join(dir, 'function.ts'), 'await new Promise(() => {});\nexport function status() { return "v2"; }\n');
      runtime.runtime.markDirty();
      const stuck = await withinHangLimit(runtime.request({ url: '/status' }), 'request during a stuck load');
      assert.equal(stuck.body, 'v1');
      const status = runtime.runtime.status();
      assert.equal(status.state, 'error');
      assert.match(status.error?.message ?? '', /top-level await did not settle within 1 s/);

      fs.writeFileSync(path.join(dir, 'function.ts'), 'export function status() { return "v3"; }\n');
      runtime.runtime.markDirty();
      const fixed = await withinHangLimit(runtime.request({ url: '/status' }), 'request after the fix');
      assert.equal(fixed.body, 'v3');
    } finally {
      await runtime.close();
    }
  });

  it('onStartup is bounded at start', async () => {
    const project = makeProject({
      'function.ts': 'export function setup(runtime: any) { runtime.onStartup(() => new Promise(() => {})); }\nexport function status() { return 1; }\n',
    });
    const { code, output } = await runCli([project, '--port', '0', '--timeout', '1']);
    assert.equal(code, 1);
    assert.match(output, /The start was stopped: setup\(runtime\) and its onStartup handlers did not finish within 1 s/);
  });
});

describe('project folders', () => {
  it('serves when data/ cannot be created', async () => {
    const runtime = await startRuntime(
      makeProject({ 'function.ts': 'export function status(context: any) { return { database: context.database }; }\n', data: 'not a folder' }),
    );
    try {
      const response = await runtime.request({ url: '/status' });
      assert.equal(response.statusCode, 200);
      assert.match(response.json().database, /function\.db$/);
      assert.ok(runtime.lines.some((line) => line.includes('Could not create the folder') && line.includes('context.database')));
    } finally {
      await runtime.close();
    }
  });
});

describe('context services', () => {
  it('cache.keys resists pathological globs', async () => {
    const runtime = await startRuntime(
      makeProject({
        'function.ts': `export async function search(context: any, request: any) {
          await context.cache.set('a'.repeat(32), 1);
          await context.cache.set('ab', 2);
          return { keys: await context.cache.keys(request.query.pattern) };
        }\n`,
      }),
    );
    try {
      const started = performance.now();
      const pattern = encodeURIComponent('*a'.repeat(12) + 'b');
      const response = await runtime.request({ url: `/search?pattern=${pattern}` });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json().keys, []);
      // A backtracking RegExp takes about 8 s on this pattern (2-core VM), blocking every request.
      assert.ok(performance.now() - started < 2_000, `cache.keys took ${Math.round(performance.now() - started)} ms`);
      const glob = await runtime.request({ url: `/search?pattern=${encodeURIComponent('*b')}` });
      assert.deepEqual(glob.json().keys, ['ab']);
    } finally {
      await runtime.close();
    }
  });
});

describe('context.config.requireVariable', () => {
  it('ignores inherited names', async () => {
    const runtime = await startRuntime(
      makeProject({
        'function.ts': `export function probe(context: any, request: any) {
          try {
            return { value: String(context.config.requireVariable(request.query.name)) };
          } catch (error: any) {
            return { error: error.message };
          }
        }\n`,
      }),
    );
    try {
      for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
        const body = (await runtime.request({ url: `/probe?name=${name}` })).json();
        assert.equal(body.value, undefined, `${name} returned ${body.value}`);
        assert.match(body.error, new RegExp(`Variable "${name}" is not set`));
      }
    } finally {
      await runtime.close();
    }
  });
});

describe('session revocation', () => {
  it('forged logouts keep a revoked session revoked', async () => {
    const runtime = await startRuntime(
      makeProject({
        'function.ts': "export const auth = ['admin'];\nexport function admin() { return { ok: true }; }\n",
        '.env': 'ADMIN_USER=adversary-test\nADMIN_PASSWORD=adversary-password\n',
      }),
    );
    try {
      const login = await runtime.request({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'adversary-test', password: 'adversary-password' }),
      });
      assert.equal(login.statusCode, 200);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      assert.equal((await runtime.request({ url: '/admin', headers: { cookie } })).statusCode, 200);
      assert.equal((await runtime.request({ method: 'POST', url: '/logout', headers: { cookie } })).statusCode, 200);
      assert.equal((await runtime.request({ url: '/admin', headers: { cookie } })).statusCode, 401);

      // The revocation table keeps at most 10 000 entries; made-up cookies must not push the real one out.
      for (let index = 0; index < 10_001; index++) {
        await runtime.request({ method: 'POST', url: '/logout', headers: { cookie: `sinch_session=9999999999.forged${index}.x` } });
      }
      assert.equal((await runtime.request({ url: '/admin', headers: { cookie } })).statusCode, 401);
    } finally {
      await runtime.close();
    }
  });
});

describe('generation timers', () => {
  it('forgets timers user code clears', () => {
    installGenerationGuards();
    const generation = new Generation(1);
    generation.run(() => {
      for (let index = 0; index < 100; index++) {
        clearTimeout(setTimeout(() => undefined, 60_000));
        clearInterval(setInterval(() => undefined, 60_000));
        clearImmediate(setImmediate(() => undefined));
      }
    });
    assert.equal(generation.timers.size, 0);
    assert.equal(generation.immediates.size, 0);
  });

  it('still clears running timers on retire', async () => {
    installGenerationGuards();
    const generation = new Generation(2);
    let ticks = 0;
    generation.run(() => {
      setInterval(() => ticks++, 1);
      setTimeout(() => ticks++, 1);
    });
    assert.equal(generation.timers.size, 2);
    generation.retire();
    assert.equal(generation.timers.size, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(ticks, 0);
  });
});

describe('command line', () => {
  const project = makeProject({ 'function.ts': 'export function status() { return { ok: true }; }\n' });

  it('rejects a timeout a timer cannot hold', async () => {
    const { code, output } = await runCli([project, '--port', '0', '--timeout', '9999999']);
    assert.equal(code, 2);
    assert.match(output, /Invalid --timeout "9999999".*at most 2147483/);
  });

  it('rejects an empty host', async () => {
    const { code, output } = await runCli([project, '--port', '0', '--host', '']);
    assert.equal(code, 2);
    assert.match(output, /Invalid --host ""/);
  });

  it('stops when the inspector cannot start', async () => {
    const busy = await startCli(project);
    try {
      const port = new URL(busy.url).port;
      const { code, output } = await runCli([project, '--port', '0', `--inspect=127.0.0.1:${port}`]);
      assert.equal(code, 1);
      assert.match(output, new RegExp(`Cannot start the Node inspector on 127\\.0\\.0\\.1:${port}`));
      assert.doesNotMatch(output, /Debugger listening on undefined/);
    } finally {
      await busy.stop();
    }
  });

  it('names a status file it cannot write', async () => {
    const blocked = path.join(project, 'function.ts', 'status.json');
    const { code, output } = await runCli([project, '--port', '0', '--status-file', blocked]);
    assert.equal(code, 1);
    assert.match(output, /Cannot write the status file .*status\.json: .*Choose a writable path with --status-file/);
    assert.doesNotMatch(output, /Unexpected error/);
    assert.equal(fs.existsSync(blocked), false);
  });
});
