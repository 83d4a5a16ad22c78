import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CrashBudget } from '../../client/src/lsp/crash-budget';
import { credentialsFromEnv, parseDotenv } from '../../client/src/request/credentials';
import { findFreePort, isPortFree } from '../../client/src/runtime/ports';
import { findProjectRoot } from '../../client/src/runtime/project-root';
import { baseUrlOf, validateSettings, DEFAULT_SETTINGS } from '../../client/src/runtime/runtime-options';
import { parseStateMessage, parseStatus } from '../../client/src/runtime/status-document';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('parseStatus', () => {
  const document = {
    pid: 12,
    state: 'ready',
    url: 'http://127.0.0.1:3001',
    host: '127.0.0.1',
    port: 3001,
    projectDir: '/p',
    entry: '/p/function.ts',
    generation: 2,
    routes: [{ path: '/ice', exportName: 'ice', kind: 'voice-callback', method: 'POST' }, { bad: true }],
    error: null,
  };

  it('reads a status document and drops malformed routes', () => {
    const status = parseStatus(JSON.stringify(document));
    assert.equal(status?.state, 'ready');
    assert.equal(status?.port, 3001);
    assert.equal(status?.routes.length, 1);
    assert.equal(status?.error, null);
  });

  it('reads a load error', () => {
    const status = parseStatus({ ...document, state: 'error', error: { message: 'Unexpected token', file: '/p/function.ts', line: 3, column: 1 } });
    assert.deepEqual(status?.error, { message: 'Unexpected token', file: '/p/function.ts', line: 3, column: 1 });
  });

  it('rejects half-written and unknown documents', () => {
    assert.equal(parseStatus('{"state":"rea'), undefined);
    assert.equal(parseStatus({ state: 'flying' }), undefined);
    assert.equal(parseStatus(null), undefined);
  });

  it('recognises the IPC state message only', () => {
    assert.equal(parseStateMessage({ type: 'sinch-runtime:state', ...document })?.port, 3001);
    assert.equal(parseStateMessage({ type: 'other', ...document }), undefined);
  });
});

describe('CrashBudget', () => {
  it('allows restarts up to the limit within the window', () => {
    let now = 0;
    const budget = new CrashBudget({ maxRestarts: 2, windowMs: 1000, now: () => now });
    assert.equal(budget.recordCrash(), true);
    now = 100;
    assert.equal(budget.recordCrash(), true);
    now = 200;
    assert.equal(budget.recordCrash(), false);
  });

  it('forgets crashes outside the window', () => {
    let now = 0;
    const budget = new CrashBudget({ maxRestarts: 1, windowMs: 1000, now: () => now });
    assert.equal(budget.recordCrash(), true);
    now = 5000;
    assert.equal(budget.recordCrash(), true);
    assert.equal(budget.recentCrashes, 1);
  });
});

describe('ports', () => {
  it('sees a bound port as busy and finds a free one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = (server.address() as net.AddressInfo).port;
    try {
      assert.equal(await isPortFree('127.0.0.1', busy), false);
      const free = await findFreePort('127.0.0.1');
      assert.notEqual(free, busy);
      assert.equal(await isPortFree('127.0.0.1', free), true);
    } finally {
      server.close();
    }
  });
});

describe('findProjectRoot', () => {
  it('finds the nearest folder with a marker within the workspace', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-root-'));
    dirs.push(root);
    const project = path.join(root, 'functions', 'ivr');
    fs.mkdirSync(path.join(project, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(project, 'function.ts'), '');
    fs.writeFileSync(path.join(project, 'lib', 'menu.ts'), '');
    assert.equal(findProjectRoot(path.join(project, 'lib', 'menu.ts'), root), project);
    assert.equal(findProjectRoot(path.join(project, 'function.ts'), root), project);
    assert.equal(findProjectRoot(path.join(root, 'functions'), root), undefined);
    assert.equal(findProjectRoot(path.join(project, 'lib', 'menu.ts'), path.join(project, 'lib')), undefined);
  });
});

describe('settings', () => {
  it('accepts the defaults and names a bad value', () => {
    assert.equal(validateSettings(DEFAULT_SETTINGS), undefined);
    assert.match(validateSettings({ ...DEFAULT_SETTINGS, port: 99999 }) ?? '', /99999/);
    assert.match(validateSettings({ ...DEFAULT_SETTINGS, host: ' ' }) ?? '', /host/);
    assert.match(validateSettings({ ...DEFAULT_SETTINGS, requestTimeoutSeconds: 0 }) ?? '', /requestTimeout/);
    assert.match(validateSettings({ ...DEFAULT_SETTINGS, entry: '../x.ts' }) ?? '', /inside the project/);
  });

  it('builds connectable base URLs', () => {
    assert.equal(baseUrlOf('127.0.0.1', 3000), 'http://127.0.0.1:3000');
    assert.equal(baseUrlOf('0.0.0.0', 3000), 'http://127.0.0.1:3000');
    assert.equal(baseUrlOf('::1', 3000), 'http://[::1]:3000');
  });
});

describe('credentials from .env', () => {
  it('parses dotenv lines', () => {
    const values = parseDotenv('# comment\nexport ADMIN_USER=admin\nADMIN_PASSWORD="p w#1"\nEMPTY=\nX=1 # note\n');
    assert.equal(values.get('ADMIN_USER'), 'admin');
    assert.equal(values.get('ADMIN_PASSWORD'), 'p w#1');
    assert.equal(values.get('EMPTY'), '');
    assert.equal(values.get('X'), '1');
  });

  it('prefers the admin pair, then the API key pair', () => {
    assert.deepEqual(credentialsFromEnv(parseDotenv('ADMIN_USER=a\nADMIN_PASSWORD=b\nPROJECT_ID_API_KEY=k\nPROJECT_ID_API_SECRET=s')), { username: 'a', password: 'b' });
    assert.deepEqual(credentialsFromEnv(parseDotenv('ADMIN_USER=a\nPROJECT_ID_API_KEY=k\nPROJECT_ID_API_SECRET=s')), { username: 'k', password: 's' });
    assert.equal(credentialsFromEnv(parseDotenv('ADMIN_USER=a\nADMIN_PASSWORD=')), undefined);
  });
});
