import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { resolveRoute } from '../../common/src/routes';
import { MAX_FAILED_SIGN_INS, createAuthGate, safeReturnTo, type AuthGateOptions } from '../../runtime/src/auth';
import { createProject, recordLogs, removeProject } from './helpers';
import { basic, listen, request, type TestServer } from './http-helpers';

const EXPORTS = ['admin', 'status', 'ice', 'pie', 'health', 'voiceWebhook', 'conversationWebhook'];
const ADMIN_ENV = { ADMIN_USER: 'ops', ADMIN_PASSWORD: 'correct horse' };
const PROJECT_ENV = { PROJECT_ID_API_KEY: 'key-1234', PROJECT_ID_API_SECRET: 'secret-5678' };
const BROWSER = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' };

interface GateSetup {
  auth: unknown;
  env: Record<string, string | undefined>;
  skipWhenUnconfigured?: boolean;
  /** Exports besides the standard list, such as a user `login` page. */
  extraExports?: string[];
}

/** Serves `projectDir` behind the gate; every request that passes gets 200 with its route. */
async function startGate(projectDir: string, setup: GateSetup, log: AuthGateOptions['log'] = () => {}): Promise<TestServer> {
  const exports = new Set([...EXPORTS, ...(setup.extraExports ?? [])]);
  const findStaticFile = (requestPath: string): string | undefined => {
    const file = path.join(projectDir, 'public', requestPath);
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
  };
  const gate = createAuthGate({
    projectDir,
    handlers: () => ({ auth: setup.auth, hasExport: (name) => exports.has(name) }),
    env: () => setup.env,
    log,
    skipWhenUnconfigured: setup.skipWhenUnconfigured,
    findStaticFile,
  });
  const app = express();
  app.use(express.raw({ type: () => true }));
  app.use(gate.middleware);
  app.use((req, res) => {
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? JSON.parse(req.body.toString()) : undefined;
    const decision = resolveRoute({ method: req.method, path: req.path, body }, { hasExport: (name) => exports.has(name), findStaticFile });
    res.json({ reached: decision.type === 'export' ? decision.exportName : decision.type });
  });
  return listen(app);
}

let project: string;
before(() => {
  project = createProject({ 'public/admin.html': '<h1>admin</h1>', 'public/index.html': '<h1>home</h1>' });
});
after(() => removeProject(project));

interface MatrixCase {
  name: string;
  auth: unknown;
  env: Record<string, string>;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  /** For 302: the redirect target. For 401: a fragment of the message. */
  expect?: string;
}

const MATRIX: MatrixCase[] = [
  { name: 'listed, configured, right credentials', auth: ['admin'], env: ADMIN_ENV, path: '/admin', headers: { authorization: basic('ops', 'correct horse') }, status: 200 },
  { name: 'listed, configured, project key pair', auth: ['admin'], env: PROJECT_ENV, path: '/admin', headers: { authorization: basic('key-1234', 'secret-5678') }, status: 200 },
  { name: 'listed, both pairs, admin pair', auth: ['admin'], env: { ...PROJECT_ENV, ...ADMIN_ENV }, path: '/admin', headers: { authorization: basic('ops', 'correct horse') }, status: 200 },
  { name: 'listed, configured, wrong password', auth: ['admin'], env: ADMIN_ENV, path: '/admin', headers: { authorization: basic('ops', 'wrong') }, status: 401, expect: 'invalid' },
  { name: 'listed, configured, pair mixed across sources', auth: ['admin'], env: { ...PROJECT_ENV, ...ADMIN_ENV }, path: '/admin', headers: { authorization: basic('ops', 'secret-5678') }, status: 401, expect: 'invalid' },
  { name: 'listed, configured, missing credentials', auth: ['admin'], env: ADMIN_ENV, path: '/admin', status: 401, expect: 'requires credentials' },
  { name: 'listed, configured, malformed header', auth: ['admin'], env: ADMIN_ENV, path: '/admin', headers: { authorization: 'Bearer abc' }, status: 401, expect: 'requires credentials' },
  { name: 'listed, configured, browser navigation', auth: ['admin'], env: ADMIN_ENV, path: '/admin?tab=2', headers: BROWSER, status: 302, expect: '/login?returnTo=%2Fadmin%3Ftab%3D2' },
  { name: 'listed, configured, browser with wrong credentials', auth: ['admin'], env: ADMIN_ENV, path: '/admin', headers: { ...BROWSER, authorization: basic('ops', 'x') }, status: 302, expect: '/login?returnTo=%2Fadmin' },
  { name: 'listed, configured, fetch from a page', auth: ['admin'], env: ADMIN_ENV, path: '/admin', headers: { accept: 'text/html', 'sec-fetch-mode': 'cors' }, status: 401, expect: 'requires credentials' },
  { name: 'listed, configured, POST from a browser', auth: ['admin'], env: ADMIN_ENV, method: 'POST', path: '/admin', headers: { accept: 'text/html' }, status: 401 },
  { name: 'listed, not configured, right-looking credentials', auth: ['admin'], env: {}, path: '/admin', headers: { authorization: basic('ops', 'correct horse') }, status: 401, expect: 'no credentials are configured' },
  { name: 'listed, half a pair configured', auth: ['admin'], env: { ADMIN_USER: 'ops', PROJECT_ID_API_KEY: 'key-1234' }, path: '/admin', status: 401, expect: 'no credentials are configured' },
  { name: 'listed, not configured, browser navigation', auth: ['admin'], env: {}, path: '/admin', headers: BROWSER, status: 302, expect: '/login?returnTo=%2Fadmin' },
  { name: 'not listed, configured', auth: ['admin'], env: ADMIN_ENV, path: '/status', status: 200 },
  { name: 'not listed, not configured', auth: ['admin'], env: {}, path: '/status', status: 200 },
  { name: 'no auth export', auth: undefined, env: {}, path: '/admin', status: 200 },
  { name: 'star, missing credentials', auth: '*', env: ADMIN_ENV, path: '/status', status: 401 },
  { name: 'star in a list', auth: ['*'], env: ADMIN_ENV, path: '/status', status: 401 },
  { name: 'star, webhook', auth: '*', env: ADMIN_ENV, method: 'POST', path: '/webhook/conversation', status: 401 },
  { name: 'star, built-in health', auth: '*', env: {}, path: '/health', status: 200 },
  { name: 'star, health under a prefix', auth: '*', env: ADMIN_ENV, path: '/api/health', status: 200 },
  { name: 'listed health stays open', auth: ['health'], env: ADMIN_ENV, path: '/health', status: 200 },
  { name: 'star, ice callback', auth: '*', env: {}, method: 'POST', path: '/ice', body: { event: 'ice', callid: 'c1' }, status: 200 },
  { name: 'listed pie stays open', auth: ['pie'], env: ADMIN_ENV, method: 'POST', path: '/callbacks/pie', body: { event: 'pie' }, status: 200 },
  { name: 'star, voiceWebhook not covered', auth: '*', env: ADMIN_ENV, method: 'POST', path: '/webhook/voice', body: { event: 'call.incoming', call: { callId: 'x' } }, status: 200 },
  { name: 'listed voiceWebhook is protected', auth: ['voiceWebhook'], env: ADMIN_ENV, method: 'POST', path: '/', body: { event: 'call.incoming', call: { callId: 'x' } }, status: 401 },
  { name: 'listed voiceWebhook with credentials', auth: ['voiceWebhook'], env: ADMIN_ENV, method: 'POST', path: '/webhook/voice', headers: { authorization: basic('ops', 'correct horse') }, body: { event: 'call.answered', call: { callId: 'x' } }, status: 200 },
  { name: 'listed static file', auth: ['public/admin.html'], env: ADMIN_ENV, path: '/admin.html', status: 401 },
  { name: 'unlisted static file', auth: ['public/admin.html'], env: ADMIN_ENV, path: '/index.html', status: 200 },
  { name: 'star covers static files', auth: '*', env: ADMIN_ENV, path: '/index.html', status: 401 },
  { name: 'unknown path is not gated', auth: '*', env: ADMIN_ENV, path: '/nothing/here', status: 200 },
  { name: 'invalid auth value protects all', auth: 'admin', env: ADMIN_ENV, path: '/status', status: 401 },
  { name: 'invalid auth list protects all', auth: ['admin', 3], env: ADMIN_ENV, path: '/status', status: 401 },
];

describe('auth gate matrix', () => {
  for (const testCase of MATRIX) {
    it(testCase.name, async () => {
      const server = await startGate(project, { auth: testCase.auth, env: testCase.env });
      try {
        const headers: Record<string, string> = { ...testCase.headers };
        if (testCase.body !== undefined) headers['content-type'] = 'application/json';
        const response = await request(`${server.url}${testCase.path}`, {
          method: testCase.method ?? 'GET',
          headers,
          body: testCase.body === undefined ? undefined : JSON.stringify(testCase.body),
        });
        assert.equal(response.status, testCase.status);
        assert.equal(response.headers['www-authenticate'], undefined);
        const text = response.text;
        if (testCase.status === 302) assert.equal(response.headers.location, testCase.expect);
        if (testCase.status === 401) {
          assert.match(String(response.headers['content-type']), /^application\/json/);
          const body = JSON.parse(text) as { error: string; message: string; fix?: string };
          assert.equal(body.error, 'Unauthorized');
          if (testCase.expect !== undefined) assert.match(body.message, new RegExp(testCase.expect, 'i'));
          assert.ok(!text.includes('correct horse'), 'a 401 must not echo the admin password');
          assert.ok(!text.includes('secret-5678'), 'a 401 must not echo the API secret');
        }
      } finally {
        await server.close();
      }
    });
  }
});

describe('auth gate details', () => {
  it('unconfigured 401 says how to configure', async () => {
    const server = await startGate(project, { auth: ['admin'], env: {} });
    try {
      const body = (await (await fetch(`${server.url}/admin`)).json()) as { fix: string };
      assert.match(body.fix, /PROJECT_ID_API_KEY and PROJECT_ID_API_SECRET, or ADMIN_USER and ADMIN_PASSWORD/);
    } finally {
      await server.close();
    }
  });

  it('skipWhenUnconfigured opens listed handlers', async () => {
    const { records, log } = recordLogs();
    const server = await startGate(project, { auth: '*', env: {}, skipWhenUnconfigured: true }, log);
    try {
      assert.equal((await fetch(`${server.url}/admin`)).status, 200);
      assert.equal((await fetch(`${server.url}/status`)).status, 200);
      assert.equal(records.filter((record) => record.level === 'warn').length, 1);
    } finally {
      await server.close();
    }
  });

  it('invalid auth value is logged once', async () => {
    const { records, log } = recordLogs();
    const server = await startGate(project, { auth: 42, env: ADMIN_ENV }, log);
    try {
      await fetch(`${server.url}/status`);
      await fetch(`${server.url}/status`);
      const errors = records.filter((record) => record.level === 'error');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /must be '\*' or an array of handler names.*got 42/);
    } finally {
      await server.close();
    }
  });

  it('warns about listed names that are not exports', async () => {
    const { records, log } = recordLogs();
    const server = await startGate(project, { auth: ['admn'], env: ADMIN_ENV }, log);
    try {
      await fetch(`${server.url}/status`);
      assert.ok(records.some((record) => record.level === 'warn' && /lists "admn"/.test(record.message)));
    } finally {
      await server.close();
    }
  });

  it('returnTo accepts only local paths', () => {
    assert.equal(safeReturnTo('/admin?x=1'), '/admin?x=1');
    assert.equal(safeReturnTo('//evil.example/'), '/');
    assert.equal(safeReturnTo('https://evil.example/'), '/');
    assert.equal(safeReturnTo('/\\evil.example'), '/');
    assert.equal(safeReturnTo(undefined), '/');
  });
});

describe('auth login and logout', () => {
  it('sign-in sets a cookie that opens protected routes until logout', async () => {
    const server = await startGate(project, { auth: ['admin'], env: ADMIN_ENV });
    try {
      const page = await fetch(`${server.url}/login?returnTo=%2Fadmin`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      const html = await page.text();
      assert.match(html, /<form method="post" action="\/login">/);
      assert.match(html, /name="returnTo" value="\/admin"/);

      const wrong = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'ops', password: 'nope', returnTo: '/admin' }).toString(),
        redirect: 'manual',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('set-cookie'), null);
      assert.match(await wrong.text(), /user name or password is invalid/);

      const signIn = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'ops', password: 'correct horse', returnTo: '/admin' }).toString(),
        redirect: 'manual',
      });
      assert.equal(signIn.status, 303);
      assert.equal(signIn.headers.get('location'), '/admin');
      const setCookie = signIn.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /^sinch_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/);
      const cookie = setCookie.split(';')[0];

      assert.equal((await fetch(`${server.url}/admin`, { headers: { cookie } })).status, 200);
      assert.equal((await fetch(`${server.url}/admin`, { headers: { cookie: `${cookie}x` } })).status, 401);

      assert.equal((await fetch(`${server.url}/logout`, { headers: { cookie } })).status, 405);
      const logout = await fetch(`${server.url}/logout`, { method: 'POST', headers: { cookie } });
      assert.equal(logout.status, 200);
      assert.match(logout.headers.get('set-cookie') ?? '', /^sinch_session=; .*Max-Age=0$/);
      assert.equal((await fetch(`${server.url}/admin`, { headers: { cookie } })).status, 401);
    } finally {
      await server.close();
    }
  });

  it('JSON sign-in answers JSON', async () => {
    const server = await startGate(project, { auth: ['admin'], env: PROJECT_ENV });
    try {
      const response = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'key-1234', password: 'secret-5678', returnTo: '//evil.example' }),
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ok: true, returnTo: '/' });
      assert.match(response.headers.get('set-cookie') ?? '', /HttpOnly/);
    } finally {
      await server.close();
    }
  });

  it('cookie stops working when the credentials change', async () => {
    const env: Record<string, string> = { ...ADMIN_ENV };
    const server = await startGate(project, { auth: ['admin'], env });
    try {
      const signIn = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ops', password: 'correct horse' }),
      });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      assert.equal((await fetch(`${server.url}/admin`, { headers: { cookie } })).status, 200);
      env.ADMIN_PASSWORD = 'rotated password';
      assert.equal((await fetch(`${server.url}/admin`, { headers: { cookie } })).status, 401);
    } finally {
      await server.close();
    }
  });

  it('too many failed sign-ins answer 429', async () => {
    const server = await startGate(project, { auth: ['admin'], env: ADMIN_ENV });
    try {
      const attempt = (password: string) =>
        fetch(`${server.url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'ops', password }),
        });
      for (let index = 0; index < MAX_FAILED_SIGN_INS; index++) {
        assert.equal((await attempt(`guess ${index}`)).status, 401);
      }
      const blocked = await attempt('correct horse');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.match(((await blocked.json()) as { message: string }).message, /Too many failed sign-ins/);
    } finally {
      await server.close();
    }
  });

  it('exported login and logout replace the built-ins', async () => {
    const server = await startGate(project, { auth: '*', env: ADMIN_ENV, extraExports: ['login', 'logout'] });
    try {
      const login = await fetch(`${server.url}/login`);
      assert.equal(login.status, 200);
      assert.deepEqual(await login.json(), { reached: 'login' });
      const logout = await fetch(`${server.url}/logout`, { method: 'POST' });
      assert.equal(logout.status, 200);
      assert.deepEqual(await logout.json(), { reached: 'logout' });
    } finally {
      await server.close();
    }
  });

  it('login page warns when nothing is configured', async () => {
    const server = await startGate(project, { auth: ['admin'], env: {} });
    try {
      assert.match(await (await fetch(`${server.url}/login`)).text(), /No credentials are configured/);
    } finally {
      await server.close();
    }
  });
});
