import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { makeProject, postJson, runCli, startCli, type RuntimeProcess } from './helpers';

const processes: RuntimeProcess[] = [];
after(async () => {
  await Promise.all(processes.map((runtime) => runtime.stop()));
});

async function start(dir: string, args: string[] = []): Promise<RuntimeProcess> {
  const runtime = await startCli(dir, args);
  processes.push(runtime);
  return runtime;
}

describe('command line', () => {
  it('prints the URL and the route table on start', async () => {
    const dir = makeProject({ 'function.ts': `export default { ice: () => ({ action: { name: 'hangup' } }) }; export const status = () => ({});` });
    const runtime = await start(dir);
    assert.match(runtime.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(runtime.output(), /POST\s+\/ice\s+ice\s+voice-callback/);
    assert.match(runtime.output(), /GET\s+\/status\s+status\s+custom/);
    assert.match(runtime.output(), /GET\s+\/health\s+\(built-in\)\s+health/);
    const status = runtime.status();
    assert.equal(status.state, 'ready');
    assert.equal(status.url, runtime.url);
  });

  it('busy port exits 1 with the fix', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const dir = makeProject({ 'function.ts': `export const a = () => ({});` });
      const result = await runCli([dir, '--port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(result.output, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(result.output, /--port/);
    } finally {
      blocker.close();
    }
  });

  it('invalid arguments exit 2 with the value and the fix', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'abc'], /Invalid --port "abc"/],
      [['--log-format', 'xml'], /Invalid --log-format "xml": use text or json/],
      [['--timeout', '-1'], /Invalid --timeout "-1"/],
      [['--body-limit', 'lots'], /Invalid size "lots"/],
      [['--bogus'], /Unknown option --bogus: See --help/],
      [['--prot', '3000'], /Unknown option --prot: did you mean --port\?/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.output, pattern);
    }
  });

  it('a missing project or entry exits 1 with the fix', async () => {
    const missing = await runCli(['/nonexistent/project', '--port', '0']);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /Project folder not found/);
    const empty = await runCli([makeProject({ 'README.md': '' }), '--port', '0']);
    assert.equal(empty.code, 1);
    assert.match(empty.output, /No function\.ts or function\.js/);
  });

  it('--help prints every option', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    for (const flag of ['--port', '--host', '--entry', '--inspect', '--log-format', '--timeout', '--body-limit', '--status-file']) {
      assert.ok(result.output.includes(flag), flag);
    }
  });

  it('--entry and sinch.json entry pick the entry file', async () => {
    const dir = makeProject({ 'src/main.ts': `export const a = () => ({ from: 'main' });`, 'sinch.json': '{"entry":"src/main.ts"}' });
    const fromManifest = await start(dir);
    assert.deepEqual(await (await fetch(`${fromManifest.url}/a`)).json(), { from: 'main' });
    const other = makeProject({ 'function.ts': `export const a = () => ({ from: 'function' });`, 'alt.ts': `export const a = () => ({ from: 'alt' });` });
    const fromFlag = await start(other, ['--entry', 'alt.ts']);
    assert.deepEqual(await (await fetch(`${fromFlag.url}/a`)).json(), { from: 'alt' });
  });

  it('--log-format json writes one JSON object per line', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({});` });
    const runtime = await start(dir, ['--log-format', 'json']);
    await fetch(`${runtime.url}/a`);
    await runtime.waitForOutput('"msg":"request"');
    const requestLine = runtime.output().split('\n').find((line) => line.includes('"msg":"request"'))!;
    const record = JSON.parse(requestLine);
    assert.equal(record.method, 'GET');
    assert.equal(record.path, '/a');
    assert.equal(record.exportName, 'a');
    assert.equal(record.status, 200);
    assert.equal(typeof record.durationMs, 'number');
  });

  it('SIGTERM stops with exit 0 and a stopped status', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({});` });
    const runtime = await startCli(dir);
    const code = await runtime.stop();
    assert.equal(code, 0, runtime.output());
    assert.equal(runtime.status().state, 'stopped');
  });

  it('--inspect opens the inspector', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({});` });
    const runtime = await start(dir, ['--inspect=127.0.0.1:0']);
    assert.match(runtime.output(), /Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
  });
});

describe('hot reload on a real process', () => {
  it('serves new code after five quick saves', async () => {
    const dir = makeProject({ 'function.ts': `export const v = () => ({ v: 0 });` });
    const runtime = await start(dir);
    const file = path.join(dir, 'function.ts');
    for (let version = 1; version <= 5; version++) {
      fs.writeFileSync(file, `export const v = () => ({ v: ${version} });`);
      const response = await fetch(`${runtime.url}/v`);
      assert.deepEqual(await response.json(), { v: version });
    }
    assert.doesNotMatch(runtime.output(), /EADDRINUSE|already in use/);
  });

  it('a reload that changes routes prints the new table', async () => {
    const dir = makeProject({ 'function.ts': `export const a = () => ({});` });
    const runtime = await start(dir);
    fs.writeFileSync(path.join(dir, 'function.ts'), `export const a = () => ({});\nexport const b = () => ({});`);
    await runtime.waitForOutput(/Routes changed:\n(.*\n)*\s+GET\s+\/b\s+b\s+custom/);
    assert.doesNotMatch(runtime.output(), /DEBUG/, 'debug records stay hidden without DEBUG=1');
  });

  it('a syntax error is logged with file:line:column and the old code keeps serving', async () => {
    const dir = makeProject({ 'function.ts': `export const v = () => ({ v: 1 });` });
    const runtime = await start(dir);
    const file = path.join(dir, 'function.ts');
    fs.writeFileSync(file, `export const v = () => ({ v: 2 });\nconst = ;\n`);
    await runtime.waitForOutput(`${file}:2:`);
    assert.deepEqual(await (await fetch(`${runtime.url}/v`)).json(), { v: 1 });
    assert.equal(runtime.status().state, 'error');
  });

  it('a crash outside a request is reported and the runtime keeps serving', async () => {
    const dir = makeProject({
      'function.ts': `export const boom = () => { setTimeout(() => { throw new Error('late failure'); }, 1); return {}; };
        export const quit = () => { setTimeout(() => process.exit(1), 1); return {}; };
        export const ok = () => ({ ok: true });`,
    });
    const runtime = await start(dir);
    await fetch(`${runtime.url}/boom`);
    await runtime.waitForOutput('late failure');
    assert.match(runtime.output(), /outside any request; the runtime keeps serving/);
    await fetch(`${runtime.url}/quit`);
    await runtime.waitForOutput('called process.exit(1)');
    assert.deepEqual(await (await fetch(`${runtime.url}/ok`)).json(), { ok: true });
  });

  it('stack traces name the .ts line', async () => {
    const dir = makeProject({
      'function.ts': [
        'interface Unused { a: number }',
        'const top = 1;',
        'export const fail = async () => { throw new Error("first line"); };',
      ].join('\n'),
    });
    const runtime = await start(dir);
    const response = await postJson(`${runtime.url}/fail`, {});
    assert.equal(response.status, 500);
    await runtime.waitForOutput('first line');
    assert.match(runtime.output(), new RegExp(`${path.join(dir, 'function.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:`));
  });
});
