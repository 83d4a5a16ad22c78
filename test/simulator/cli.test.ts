/**
 * `sinch-functions-dev simulate` as a real process: a scripted call that is saved and replayed,
 * keys typed on stdin, a run against an already running runtime, and bad arguments.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath, makeProject, runCli } from '../runtime/helpers';
import { copyExample, runProject, stopAll } from './helpers';

/** Runs `simulate` with the given stdin text and returns the exit code and all output. */
function runWithInput(args: string[], input: string, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'simulate', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulate did not exit within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(input);
  });
}

describe('simulate command', () => {
  const folders: string[] = [];
  after(async () => {
    await stopAll();
    for (const folder of folders) fs.rmSync(path.dirname(folder), { recursive: true, force: true });
  });

  it('scripted call saves, replays, then reports a change', async () => {
    const dir = copyExample('voice-ivr');
    folders.push(dir);
    const first = await runCli(['simulate', dir, '--input', '2', '--save', 'support'], 20_000);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /♪ Support is open from 9 to 17\. Goodbye\./);
    assert.match(first.output, /■ call ended: CALLEEHANGUP \(ANSWERED\)/);
    assert.ok(fs.existsSync(path.join(dir, '.sinch', 'calls', 'support.json')));

    const same = await runCli(['simulate', dir, '--replay', 'support'], 20_000);
    assert.equal(same.code, 0, same.output);
    assert.match(same.output, /✓ support\.json: the function returned the same \(3 events\)/);

    const source = path.join(dir, 'function.ts');
    fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('from 9 to 17', 'from 10 to 16'));
    const changed = await runCli(['simulate', dir, '--replay', path.join(dir, '.sinch', 'calls')], 20_000);
    assert.equal(changed.code, 1, changed.output);
    assert.match(changed.output, /✗ support\.json: 1 difference\(s\)/);
    assert.match(changed.output, /step 2 \(pie\) response\.instructions\[0\]\.text: expected "Support is open from 9 to 17\. Goodbye\.", got "Support is open from 10 to 16\. Goodbye\."/);
  });

  it('keys typed on stdin drive the call', async () => {
    const { code, output } = await runWithInput([path.join(__dirname, '..', '..', '..', 'examples', 'voice-ivr')], '5\n1\na\nc\n');
    assert.equal(code, 0, output);
    assert.match(output, /Keys then Enter \(up to 1\)/);
    assert.match(output, /Keys 5 match no option of menu "main"; the menu plays again\./);
    assert.match(output, /connectPstn to \+46700000456: a = answered/);
    assert.match(output, /■ call ended: CALLEEHANGUP \(ANSWERED\)/);
  });

  it('--inspect starts the runtime under the inspector', async () => {
    const { code, output } = await runCli(['simulate', path.join(__dirname, '..', '..', '..', 'examples', 'voice-ivr'), '--inspect=127.0.0.1:0', '--input', '2'], 20_000);
    assert.equal(code, 0, output);
    assert.match(output, /runtime│ .*Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
  });

  it('end of input hangs up', async () => {
    const { code, output } = await runWithInput([path.join(__dirname, '..', '..', '..', 'examples', 'voice-ivr')], '');
    assert.equal(code, 0, output);
    assert.match(output, /☎ the caller hangs up/);
  });

  it('a URL target uses the running runtime', async () => {
    const running = await runProject(path.join(__dirname, '..', '..', '..', 'examples', 'voice-ivr'));
    const { code, output } = await runCli(['simulate', running.runtime.url, '--input', '1,b', '--json', '--from', '+46701234567'], 20_000);
    assert.equal(code, 0, output);
    const result = JSON.parse(output) as { call: { from: string }; exchanges: Array<{ event: string; request: { result?: string } }> };
    assert.equal(result.call.from, '+46701234567');
    assert.deepEqual(result.exchanges.map((exchange) => exchange.event), ['ice', 'pie', 'dice']);
    assert.equal(result.exchanges[2].request.result, 'BUSY');
  });

  it('events are signed when the project sets the secret', async () => {
    const secret = Buffer.from('simulator-test-secret').toString('base64');
    const dir = makeProject({
      'function.ts': "export default { ice: () => ({ instructions: [{ name: 'say', text: 'Signed in' }], action: { name: 'hangup' } }), dice: () => undefined };",
      '.env': `WEBHOOK_PROTECTION=always\nVOICE_APPLICATION_KEY=app-key-1\nVOICE_APPLICATION_SECRET=${secret}\n`,
    });
    folders.push(dir);
    const signed = await runCli(['simulate', dir, '--input', 'h'], 20_000);
    assert.equal(signed.code, 0, signed.output);
    assert.match(signed.output, /♪ Signed in/);

    // The same runtime rejects events without a signature.
    const running = await runProject(dir);
    const unsigned = await running.call('v1');
    assert.equal(unsigned.outcome.status, 'stopped');
    assert.match(unsigned.outcome.reason, /HTTP 401/);
  });

  it('invalid arguments exit with 2 and name the fix', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['simulate'], /Missing target/],
      [['simulate', '.', '--from', '0701234567'], /Invalid caller \(--from\) number "0701234567": use E\.164/],
      [['simulate', '.', '--input', '1,zz'], /Invalid answer "zz"/],
      [['simulate', '.', '--voice-api', 'v3'], /Invalid --voice-api "v3"/],
      [['simulate', '/no/such/folder'], /Project folder not found/],
      [['simulate', 'https://127.0.0.1:1'], /the simulator talks to the local runtime over http/],
      [['simulate', '.', '--save', '../outside'], /Invalid call name "\.\.\/outside"/],
    ];
    for (const [args, message] of cases) {
      const { code, output } = await runCli(args);
      assert.equal(code, 2, `${args.join(' ')}: ${output}`);
      assert.match(output, message);
    }
  });

  it('a function without ice or voiceWebhook is reported', async () => {
    const dir = makeProject({ 'function.ts': 'export const status = () => ({ ok: true });' });
    folders.push(dir);
    const { code, output } = await runCli(['simulate', dir, '--input', 'h'], 20_000);
    assert.equal(code, 1, output);
    assert.match(output, /exports neither ice nor voiceWebhook/);
    assert.match(output, /Its exports are: status/);
  });
});
