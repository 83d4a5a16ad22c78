import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createContextFactory } from '../../runtime/src/context';
import { MemoryCache, globToRegExp } from '../../runtime/src/context/cache';
import { REDACTED, redactConsole } from '../../runtime/src/context/redact';
import { createProject, recordLogs, removeProject } from './helpers';

const folders: string[] = [];
after(() => folders.forEach(removeProject));

function project(files: Record<string, string>): string {
  const folder = createProject(files);
  folders.push(folder);
  return folder;
}

describe('context config and env', () => {
  it('reads sinch.json name and variables', () => {
    const dir = project({ 'sinch.json': JSON.stringify({ name: 'demo-ivr', variables: { COMPANY: 'Example AB', RETRIES: 3 } }) });
    const context = createContextFactory({ projectDir: dir, env: { PROJECT_ID: 'p-1' }, log: () => {} }).forRequest('r1');
    assert.equal(context.config.functionName, 'demo-ivr');
    assert.equal(context.config.environment, 'development');
    assert.equal(context.config.projectId, 'p-1');
    assert.deepEqual(context.config.variables, { COMPANY: 'Example AB', RETRIES: '3' });
    assert.equal(context.requestId, 'r1');
    assert.ok(!Number.isNaN(Date.parse(context.timestamp)));
  });

  it('merges process env over .env over variables', () => {
    const dir = project({
      'sinch.json': JSON.stringify({ name: 'x', variables: { A: 'from-json', B: 'from-json', C: 'from-json' } }),
      '.env': '# secrets\nB=from-dotenv\nC="from-dotenv"\nD=quoted value\n',
    });
    const context = createContextFactory({ projectDir: dir, env: { C: 'from-process' }, log: () => {} }).forRequest('r');
    assert.equal(context.env.A, 'from-json');
    assert.equal(context.env.B, 'from-dotenv');
    assert.equal(context.env.C, 'from-process');
    assert.equal(context.env.D, 'quoted value');
  });

  it('exportToProcessEnv follows reloads', () => {
    const dir = project({ 'sinch.json': '{"name":"x","variables":{"COMPANY":"Example AB"}}', '.env': 'TOKEN=first\nGONE=soon\n' });
    const target: Record<string, string | undefined> = { TOKEN: 'from-shell', PATH: '/bin' };
    const factory = createContextFactory({ projectDir: dir, env: target, log: () => {} });
    factory.exportToProcessEnv(target);
    assert.deepEqual({ ...target }, { TOKEN: 'from-shell', PATH: '/bin', COMPANY: 'Example AB', GONE: 'soon' });
    fs.writeFileSync(path.join(dir, '.env'), 'TOKEN=second\nNEW=value\n');
    factory.reloadConfig();
    assert.deepEqual({ ...target }, { TOKEN: 'from-shell', PATH: '/bin', COMPANY: 'Example AB', NEW: 'value' });
    assert.equal(factory.forRequest('r').env.NEW, 'value');
    assert.equal(factory.forRequest('r').env.TOKEN, 'from-shell');
  });

  it('env is read-only', () => {
    const dir = project({ '.env': 'ADMIN_PASSWORD=original\n' });
    const factory = createContextFactory({ projectDir: dir, env: {}, log: () => {} });
    const context = factory.forRequest('r');
    assert.throws(() => {
      context.env.ADMIN_PASSWORD = 'changed';
    }, TypeError);
    assert.throws(() => {
      context.config.variables.X = 'y';
    }, TypeError);
    assert.equal(factory.env().ADMIN_PASSWORD, 'original');
  });

  it('requireVariable names the variable and where to set it', () => {
    const dir = project({ 'sinch.json': '{"name":"x","variables":{"SET":"yes"}}' });
    const context = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    assert.equal(context.config.requireVariable('SET'), 'yes');
    assert.throws(() => context.config.requireVariable('SUPPORT_NUMBER'), /"SUPPORT_NUMBER" is not set.*sinch\.json.*\.env/);
  });

  it('reports invalid sinch.json and keeps serving', () => {
    const dir = project({ 'sinch.json': '{ "name": ' });
    const { records, log } = recordLogs();
    const factory = createContextFactory({ projectDir: dir, env: {}, log });
    assert.equal(factory.forRequest('r').config.functionName, path.basename(dir));
    assert.equal(records.length, 1);
    assert.equal(records[0].level, 'warn');
    assert.match(records[0].message, /sinch\.json is not valid JSON/);
  });

  it('reloadConfig picks up a saved .env', () => {
    const dir = project({ '.env': 'GREETING=hello\n' });
    const factory = createContextFactory({ projectDir: dir, env: {}, log: () => {} });
    assert.equal(factory.forRequest('r').env.GREETING, 'hello');
    fs.writeFileSync(path.join(dir, '.env'), 'GREETING=goodbye\n');
    assert.deepEqual(factory.reloadConfig(), []);
    assert.equal(factory.forRequest('r').env.GREETING, 'goodbye');
  });

  it('a sinch.json that stops parsing keeps the last variables', () => {
    const dir = project({ 'sinch.json': '{ "name": "fn", "variables": { "GREETING_NAME": "Bob" } }' });
    const factory = createContextFactory({ projectDir: dir, env: {}, log: () => {} });
    fs.writeFileSync(path.join(dir, 'sinch.json'), '{\n  "variables": { "GREETING_NAME": "Bob", }\n}');
    const problems = factory.reloadConfig();
    assert.equal(problems.length, 1);
    assert.match(problems[0], /at line 2, column \d+/);
    assert.match(problems[0], /previous name and variables stay in use/);
    const context = factory.forRequest('r');
    assert.equal(context.config.variables.GREETING_NAME, 'Bob');
    assert.equal(context.config.functionName, 'fn');
    assert.equal(context.env.GREETING_NAME, 'Bob');
  });
});

describe('context log and redaction', () => {
  it('logs with the request id and redacts secrets', () => {
    const dir = project({ '.env': 'PROJECT_ID_API_SECRET=s3cr3t-value\nPLAIN_FROM_DOTENV=dotenv-only-value\n' });
    const { records, log } = recordLogs();
    const factory = createContextFactory({ projectDir: dir, env: { MY_TOKEN: 'tok-12345', HOME_DIR: '/home/u' }, log });
    const context = factory.forRequest('req-42');
    context.log.info('key s3cr3t-value token tok-12345 and dotenv-only-value in /home/u', { nested: ['s3cr3t-value'] });
    context.log.error('boom');
    assert.equal(records.length, 2);
    assert.equal(records[0].level, 'info');
    assert.equal(records[0].message, `key ${REDACTED} token ${REDACTED} and ${REDACTED} in /home/u`);
    assert.equal(records[0].fields.requestId, 'req-42');
    assert.deepEqual(records[0].fields.details, [{ nested: [REDACTED] }]);
    assert.equal(records[1].level, 'error');
    assert.equal(factory.redact('x s3cr3t-value y'), `x ${REDACTED} y`);
  });

  it('redactConsole formats, redacts and restores', () => {
    const lines: string[] = [];
    const fake = { log: (line: string) => lines.push(`log:${line}`), error: (line: string) => lines.push(`error:${line}`) } as unknown as Console;
    const fakeMethods = ['info', 'warn', 'debug', 'trace'] as const;
    for (const method of fakeMethods) (fake as unknown as Record<string, unknown>)[method] = () => undefined;
    const originalLog = fake.log;
    const restore = redactConsole((text) => text.split('hunter22').join(REDACTED), fake);
    fake.log('value %s and', 'hunter22', { key: 'hunter22' });
    fake.error(new Error('boom hunter22'));
    restore();
    assert.equal(lines[0], `log:value ${REDACTED} and { key: '${REDACTED}' }`);
    assert.match(lines[1], new RegExp(`^error:Error: boom \\[redacted\\]`));
    assert.equal(fake.log, originalLog);
  });

  it('keeps sinch.json variables visible', () => {
    const dir = project({ 'sinch.json': '{"name":"x","variables":{"COMPANY_NAME":"Example AB"}}' });
    const factory = createContextFactory({ projectDir: dir, env: {}, log: () => {} });
    assert.equal(factory.redact('Example AB'), 'Example AB');
  });
});

describe('context cache', () => {
  it('round-trips values through JSON', async () => {
    const cache = new MemoryCache();
    const when = new Date('2026-12-04T10:15:30Z');
    await cache.set('k', { when, list: [1, 2] });
    assert.deepEqual(await cache.get('k'), { when: '2026-12-04T10:15:30.000Z', list: [1, 2] });
    assert.equal(await cache.get('missing'), null);
    await assert.rejects(cache.set('u', undefined), /cannot be stored as JSON/);
    await assert.rejects(cache.set('', 1), /non-empty strings/);
  });

  it('expires after the TTL and extend adds time', async () => {
    let clock = 1_000_000;
    const cache = new MemoryCache(() => clock);
    await cache.set('short', 'v', 10);
    await cache.set('default', 'v');
    clock += 9_000;
    assert.equal(await cache.has('short'), true);
    assert.equal(await cache.extend('short', 5), true);
    clock += 4_000;
    assert.equal(await cache.get('short'), 'v');
    clock += 2_000;
    assert.equal(await cache.get('short'), null);
    assert.equal(await cache.extend('short', 5), false);
    clock += 3_600_000 - 15_000 - 1;
    assert.equal(await cache.has('default'), true);
    clock += 1;
    assert.equal(await cache.has('default'), false);
  });

  it('lists keys by glob and reads many', async () => {
    const cache = new MemoryCache();
    await cache.set('session:a', 1);
    await cache.set('session:b', 2);
    await cache.set('other', 3);
    assert.deepEqual(await cache.keys('session:*'), ['session:a', 'session:b']);
    assert.deepEqual(await cache.keys(), ['other', 'session:a', 'session:b']);
    assert.deepEqual({ ...(await cache.getMany(['session:a', 'nope'])) }, { 'session:a': 1, nope: null });
    assert.equal(await cache.delete('other'), true);
    assert.equal(await cache.delete('other'), false);
    assert.equal(globToRegExp('a.b?').test('a.bc'), true);
    assert.equal(globToRegExp('a.b?').test('axbc'), false);
  });

  it('lives in the factory across requests', async () => {
    const dir = project({});
    const factory = createContextFactory({ projectDir: dir, env: {}, log: () => {} });
    await factory.forRequest('r1').cache.set('call:1', { step: 'menu' });
    factory.reloadConfig();
    assert.deepEqual(await factory.forRequest('r2').cache.get('call:1'), { step: 'menu' });
  });
});

describe('context storage, database and assets', () => {
  it('writes, reads, lists and deletes files under storage/', async () => {
    const dir = project({});
    const { storage } = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    await storage.write('reports/daily.json', '{"n":1}');
    await storage.write('reports/raw.bin', new Uint8Array([1, 2, 3]));
    await storage.write('top.txt', 'top');
    assert.equal(fs.readFileSync(path.join(dir, 'storage', 'reports', 'daily.json'), 'utf8'), '{"n":1}');
    assert.equal((await storage.read('reports/daily.json')).toString('utf8'), '{"n":1}');
    assert.deepEqual([...(await storage.read('reports/raw.bin'))], [1, 2, 3]);
    assert.deepEqual(await storage.list('reports/'), ['reports/daily.json', 'reports/raw.bin']);
    assert.deepEqual(await storage.list(), ['reports/daily.json', 'reports/raw.bin', 'top.txt']);
    assert.equal(await storage.exists('top.txt'), true);
    assert.equal(await storage.delete('top.txt'), true);
    assert.equal(await storage.exists('top.txt'), false);
    await assert.rejects(storage.read('top.txt'), { code: 'ENOENT', message: /"top.txt" does not exist/ });
  });

  it('rejects storage keys that leave the folder', async () => {
    const dir = project({ 'secret.txt': 'outside' });
    fs.mkdirSync(path.join(dir, 'storage'));
    fs.symlinkSync(dir, path.join(dir, 'storage', 'link'));
    const { storage } = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    for (const key of ['../secret.txt', '/etc/passwd', 'a/../../secret.txt', 'a\\..\\b', 'link/secret.txt', '']) {
      await assert.rejects(storage.read(key), /Storage key/, `key ${JSON.stringify(key)}`);
    }
    await assert.rejects(storage.write('link/new.txt', 'x'), /symbolic link/);
    assert.equal(fs.existsSync(path.join(dir, 'new.txt')), false);
  });

  it('database is a path under data/ whose folder exists', () => {
    const dir = project({});
    const context = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    assert.equal(context.database, path.join(dir, 'data', 'function.db'));
    assert.equal(fs.statSync(path.join(dir, 'data')).isDirectory(), true);
  });

  it('assets reads assets/ and nothing outside', async () => {
    const dir = project({ 'assets/greeting.txt': 'Hej', '.env': 'X=1' });
    const context = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    assert.equal(await context.assets('greeting.txt'), 'Hej');
    await assert.rejects(context.assets('../.env'), /Asset name "..\/.env" is not allowed/);
    await assert.rejects(context.assets('nope.txt'), /Asset "nope.txt" not found/);
  });
});

describe('context SDK clients', () => {
  it('without @sinch/sdk-core voice rejects and others are undefined', async () => {
    const dir = project({});
    const context = createContextFactory({ projectDir: dir, env: {}, log: () => {} }).forRequest('r');
    assert.equal(context.sms, undefined);
    assert.equal(context.conversation, undefined);
    assert.equal(context.numbers, undefined);
    await assert.rejects(context.voice.callouts.custom({}), /context\.voice has no credentials.*@sinch\/sdk-core.*VOICE_APPLICATION_KEY/);
  });

  it('builds clients from the project copy of the SDK', async () => {
    // A stand-in package in the project's node_modules records what the runtime passes to it.
    const dir = project({
      'node_modules/@sinch/sdk-core/package.json': '{"name":"@sinch/sdk-core","main":"index.js"}',
      'node_modules/@sinch/sdk-core/index.js':
        'exports.SinchClient = class { constructor(p) { this.voice = { p, kind: "voice" }; this.sms = { kind: "sms" }; this.conversation = { kind: "conversation" }; this.numbers = { kind: "numbers" }; } };',
    });
    const env = {
      PROJECT_ID: 'p', PROJECT_ID_API_KEY: 'k', PROJECT_ID_API_SECRET: 's',
      VOICE_APPLICATION_KEY: 'ak', VOICE_APPLICATION_SECRET: 'as', CONVERSATION_APP_ID: 'c',
    };
    const context = createContextFactory({ projectDir: dir, env, log: () => {} }).forRequest('r');
    assert.deepEqual(context.voice, {
      kind: 'voice',
      p: { projectId: 'p', keyId: 'k', keySecret: 's', applicationKey: 'ak', applicationSecret: 'as' },
    });
    assert.deepEqual(context.conversation, { kind: 'conversation' });
    assert.equal(context.sms, undefined);
    assert.equal(context.numbers, undefined);

    const noVoice = createContextFactory({ projectDir: dir, env: { PROJECT_ID: 'p' }, log: () => {} }).forRequest('r');
    await assert.rejects(noVoice.voice.calls.get('x'), /set VOICE_APPLICATION_KEY in \.env, set VOICE_APPLICATION_SECRET/);
  });
});
