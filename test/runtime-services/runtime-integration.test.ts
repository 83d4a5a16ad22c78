// The platform services through the real runtime process on a real port: context, auth, event
// checks, SVAML findings, setup hooks and Voice API v2, plus the IVR example's whole call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createSimulatedCall, signVoiceRequest, SVAML_FINDINGS_HEADER } from '../../runtime/src/voice';
import { examplesDir, makeProject, postJson, runCli, startCli, type RuntimeProcess } from '../runtime/helpers';
import { basic, request } from './http-helpers';

function useRuntime(files: () => string, args: string[] = []): () => RuntimeProcess {
  let runtime: RuntimeProcess | undefined;
  before(async () => {
    runtime = await startCli(files(), args);
  });
  after(async () => {
    await runtime?.stop();
  });
  return () => runtime!;
}

describe('IVR example call flow', () => {
  const runtime = useRuntime(() => path.join(examplesDir, 'voice-ivr'));

  it('keeps call state from ICE through PIE to DICE', async () => {
    const call = createSimulatedCall({ seed: 'ivr-flow', from: '+46700000042' });
    const ice = await postJson(`${runtime().url}/ice`, call.ice());
    assert.equal(ice.status, 200);
    assert.equal(ice.headers.get(SVAML_FINDINGS_HEADER), null);
    const iceSvaml = (await ice.json()) as { action: { name: string; menus: { id: string }[] } };
    assert.equal(iceSvaml.action.name, 'runMenu');
    assert.equal(iceSvaml.action.menus[0].id, 'main');

    // The sales branch dials out with the caller id the ICE stored in the cache.
    const pie = await postJson(`${runtime().url}/pie`, call.pie({ menuId: 'main', type: 'return', value: 'sales' }));
    assert.equal(pie.status, 200);
    assert.equal(pie.headers.get(SVAML_FINDINGS_HEADER), null);
    const pieSvaml = (await pie.json()) as { action: { name: string; cli: string } };
    assert.equal(pieSvaml.action.name, 'connectPstn');
    assert.equal(pieSvaml.action.cli, '+46700000042');

    const dice = await postJson(`${runtime().url}/dice`, call.dice());
    assert.ok(dice.status < 300, `DICE answered ${dice.status}`);
    await runtime().waitForOutput(`Call ${call.callId} ended (CALLERHANGUP); choice: sales`);

    // DICE removed the state, so a late PIE of the same call no longer finds the caller.
    const late = await postJson(`${runtime().url}/pie`, call.pie({ type: 'return', value: 'sales' }));
    assert.equal(((await late.json()) as { action: { cli: string } }).action.cli, 'unknown');
  });

  it('keeps two calls apart', async () => {
    const first = createSimulatedCall({ seed: 'ivr-a', from: '+46700000001' });
    const second = createSimulatedCall({ seed: 'ivr-b', from: '+46700000002' });
    await postJson(`${runtime().url}/ice`, first.ice());
    await postJson(`${runtime().url}/ice`, second.ice());
    const pie = await postJson(`${runtime().url}/pie`, first.pie({ type: 'return', value: 'sales' }));
    assert.equal(((await pie.json()) as { action: { cli: string } }).action.cli, '+46700000001');
  });

  it('rejects an ICE without callid', async () => {
    const response = await postJson(`${runtime().url}/ice`, { event: 'ice', callId: 'wrong-case' });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { field: string; error: string };
    assert.equal(body.field, 'callid');
    assert.match(body.error, /all lower case/);
  });
});

const SERVICES_PROJECT = {
  'sinch.json': JSON.stringify({ name: 'services-check', variables: { COMPANY_NAME: 'Example AB' } }),
  '.env': 'ADMIN_USER=ops\nADMIN_PASSWORD=correct horse battery\nAPI_TOKEN=tok-abcdef-123456\n',
  'assets/greeting.txt': 'Hej from assets',
  'function.ts': `
import { onCall } from '@sinch/functions-runtime/voice';

let iceCalls = 0;
export const auth = ['admin', 'public/private.html'];

export function setup(runtime: any) {
  runtime.onStartup(async (context: any) => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await context.cache.set('startup', { ready: true, functionName: context.config.functionName });
  });
  runtime.onWebSocket('/echo', (socket: any) => {
    socket.on('message', (data: any) => socket.send('echo:' + data.toString()));
  });
}

export async function admin() { return { secret: 'area' }; }

export async function info(context: any) {
  context.log.info('token is ' + context.env.API_TOKEN);
  return {
    startup: await context.cache.get('startup'),
    company: context.config.requireVariable('COMPANY_NAME'),
    greeting: await context.assets('greeting.txt'),
    database: context.database,
    requestId: context.requestId,
    hasVoice: typeof context.voice,
    processCompany: process.env.COMPANY_NAME,
    sms: context.sms === undefined,
  };
}

export async function leak() { throw new Error('failed with tok-abcdef-123456'); }

export async function shout(context: any) {
  console.log('printing', context.env.API_TOKEN, { nested: context.env.ADMIN_PASSWORD });
  console.error('error output ' + context.env.API_TOKEN);
  return { printed: true };
}

export async function ice(context: any) {
  iceCalls += 1;
  return { instructions: [{ name: 'say', text: 'no action here' }] };
}

export async function iceCount() { return { iceCalls }; }

export const voiceWebhook = onCall({
  incoming: (call, builder) => builder.answer().say('Hello ' + call.from),
});

export async function conversationWebhook(context: any, request: any) {
  return { text: request.body.message.contact_message.text_message.text };
}
`,
  'public/private.html': '<h1>private</h1>',
  'public/open.html': '<h1>open</h1>',
};

describe('runtime services through the CLI', () => {
  let dir: string;
  const runtime = useRuntime(() => {
    dir = makeProject(SERVICES_PROJECT);
    return dir;
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('onStartup finished before the first request', async () => {
    const body = (await (await fetch(`${runtime().url}/info`)).json()) as Record<string, unknown>;
    assert.deepEqual(body.startup, { ready: true, functionName: 'services-check' });
    assert.equal(body.company, 'Example AB');
    assert.equal(body.greeting, 'Hej from assets');
    assert.equal(body.database, path.join(dir, 'data', 'function.db'));
    assert.equal(body.hasVoice, 'function');
    assert.equal(body.processCompany, 'Example AB');
    assert.equal(body.sms, true);
  });

  it('logs context.log with the request id and no secret', async () => {
    const response = await fetch(`${runtime().url}/info`);
    const { requestId } = (await response.json()) as { requestId: string };
    assert.equal(response.headers.get('x-sinch-request-id'), requestId);
    await runtime().waitForOutput(new RegExp(`token is \\[redacted\\] requestId=${requestId}`));
    assert.ok(!runtime().output().includes('tok-abcdef-123456'));
  });

  it('redacts secrets in error responses and logs', async () => {
    const response = await fetch(`${runtime().url}/leak`);
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.match(text, /failed with \[redacted\]/);
    await runtime().waitForOutput(/Handler "leak" threw Error: failed with \[redacted\]/);
    assert.ok(!runtime().output().includes('tok-abcdef-123456'));
  });

  it('redacts secrets that handlers print', async () => {
    assert.equal((await fetch(`${runtime().url}/shout`)).status, 200);
    await runtime().waitForOutput("printing [redacted] { nested: '[redacted]' }");
    await runtime().waitForOutput('error output [redacted]');
    assert.ok(!runtime().output().includes('tok-abcdef-123456'));
    assert.ok(!runtime().output().includes('correct horse battery'));
  });

  it('gates listed handlers and static files', async () => {
    const anonymous = await fetch(`${runtime().url}/admin`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), null);
    const signedIn = await fetch(`${runtime().url}/admin`, { headers: { authorization: basic('ops', 'correct horse battery') } });
    assert.equal(signedIn.status, 200);
    const browser = await request(`${runtime().url}/admin`, { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.location, '/login?returnTo=%2Fadmin');
    assert.equal((await fetch(`${runtime().url}/private.html`)).status, 401);
    assert.equal((await fetch(`${runtime().url}/open.html`)).status, 200);
    assert.equal((await fetch(`${runtime().url}/health`)).status, 200);
    assert.equal((await fetch(`${runtime().url}/info`)).status, 200);
  });

  it('serves the login page and its cookie', async () => {
    const page = await fetch(`${runtime().url}/login`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/login">/);
    const signIn = await fetch(`${runtime().url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ops&password=correct+horse+battery&returnTo=%2Fadmin',
      redirect: 'manual',
    });
    assert.equal(signIn.status, 303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await fetch(`${runtime().url}/admin`, { headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${runtime().url}/logout`, { method: 'POST', headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${runtime().url}/admin`, { headers: { cookie } })).status, 401);
  });

  it('reports SVAML findings and sends the answer unchanged', async () => {
    const before = (await (await fetch(`${runtime().url}/iceCount`)).json()) as { iceCalls: number };
    const response = await postJson(`${runtime().url}/ice`, createSimulatedCall({ seed: 'findings' }).ice());
    assert.equal(response.status, 200);
    const findings = JSON.parse(response.headers.get(SVAML_FINDINGS_HEADER) ?? '[]') as { path: string }[];
    assert.deepEqual(findings.map((finding) => finding.path), ['action']);
    assert.deepEqual(await response.json(), { instructions: [{ name: 'say', text: 'no action here' }] });
    await runtime().waitForOutput(/SVAML from "ice" at action: SVAML needs exactly one action/);
    const after = (await (await fetch(`${runtime().url}/iceCount`)).json()) as { iceCalls: number };
    assert.equal(after.iceCalls, before.iceCalls + 1);
  });

  it('does not call the handler for an invalid event', async () => {
    const before = (await (await fetch(`${runtime().url}/iceCount`)).json()) as { iceCalls: number };
    const response = await postJson(`${runtime().url}/ice`, { event: 'ice', callid: 42 });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { field: string }).field, 'callid');
    const after = (await (await fetch(`${runtime().url}/iceCount`)).json()) as { iceCalls: number };
    assert.equal(after.iceCalls, before.iceCalls);
  });

  it('dispatches v2 events through the stand-in onCall', async () => {
    const call = createSimulatedCall({ seed: 'v2', from: '+46700000077' });
    const incoming = call.v2('call.incoming');
    const response = await fetch(`${runtime().url}/`, { method: 'POST', headers: call.v2Headers(incoming), body: JSON.stringify(incoming) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      commands: [{ command: 'answer' }, { command: 'messages', messages: [{ type: 'SAY', say: { text: 'Hello +46700000077' } }] }],
    });
    const hangup = call.v2('call.hangup');
    const empty = await fetch(`${runtime().url}/webhook/voice`, { method: 'POST', headers: call.v2Headers(hangup), body: JSON.stringify(hangup) });
    assert.equal(empty.status, 204);
    const unknown = await postJson(`${runtime().url}/webhook/voice`, { ...incoming, event: 'call.unheard.of' });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { field: string }).field, 'event');
  });

  it('explains events that reach no export', async () => {
    const missingPie = await postJson(`${runtime().url}/`, createSimulatedCall({ seed: 'unrouted' }).pie());
    assert.equal(missingPie.status, 404);
    const pieBody = (await missingPie.json()) as { error: string; field: string; fix: string };
    assert.equal(pieBody.field, 'event');
    assert.match(pieBody.error, /no "pie" export/);
    assert.match(pieBody.fix, /export default \{ async pie/);

    const unknown = await postJson(`${runtime().url}/`, { event: 'incoming_call' });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: string }).error, /Unknown event "incoming_call"/);

    const plain = await postJson(`${runtime().url}/nothing`, { hello: 'world' });
    assert.equal(plain.status, 404);
    assert.equal(((await plain.json()) as { error: string }).error, 'Not Found');
  });

  it('checks Conversation envelopes', async () => {
    const call = createSimulatedCall({ seed: 'conversation' });
    const good = await postJson(`${runtime().url}/webhook/conversation`, call.conversationInbound('Need help'));
    assert.equal(good.status, 200);
    assert.deepEqual(await good.json(), { text: 'Need help' });
    const bad = await postJson(`${runtime().url}/webhook/conversation`, { message: {} });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { field: string }).field, 'app_id');
  });

  it('serves WebSockets registered in setup', async () => {
    const socket = new WebSocket(`${runtime().url.replace('http', 'ws')}/echo`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('ping'));
      socket.on('message', (data) => resolve(data.toString()));
      socket.on('error', reject);
    });
    socket.close();
    assert.equal(reply, 'echo:ping');

    const missing = new WebSocket(`${runtime().url.replace('http', 'ws')}/nowhere`);
    // With an 'unexpected-response' listener, ws leaves the aborted request to the caller.
    missing.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      missing.on('unexpected-response', (upgradeRequest, response) => {
        resolve(response.statusCode ?? 0);
        upgradeRequest.destroy();
      }),
    );
    assert.equal(status, 404);
  });

  it('re-reads .env when it is saved', async () => {
    // Saved the way editors do (write a temporary file, rename it over .env), so the watcher
    // never reports a half-written file. The runtime re-reads .env before it logs the change.
    const temporary = path.join(dir, 'env.next');
    fs.writeFileSync(temporary, 'ADMIN_USER=ops\nADMIN_PASSWORD=new password value\nAPI_TOKEN=tok-abcdef-123456\n');
    fs.renameSync(temporary, path.join(dir, '.env'));
    await runtime().waitForOutput(/Reloaded configuration file=\.env/);
    const renewed = await fetch(`${runtime().url}/admin`, { headers: { authorization: basic('ops', 'new password value') } });
    assert.equal(renewed.status, 200);
    assert.equal((await fetch(`${runtime().url}/admin`, { headers: { authorization: basic('ops', 'correct horse battery') } })).status, 401);
  });
});

/** Replaces a file the way editors save: write a temporary file, then rename it into place. */
function saveFile(file: string, contents: string): void {
  const temporary = `${file}.next`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

function echoFunction(prefix: string, failStartup = false): string {
  return `export function setup(runtime: any) {
  runtime.onStartup(async () => { ${failStartup ? "throw new Error('cannot reach the queue');" : ''} });
  runtime.onWebSocket('/echo', (socket: any) => socket.on('message', (data: any) => socket.send('${prefix}' + data.toString())));
}
export async function status() { return { prefix: '${prefix}' }; }
export async function remember(context: any) { await context.cache.set('kept', { by: '${prefix}' }); return { ok: true }; }
export async function recall(context: any) { return { kept: await context.cache.get('kept') }; }
`;
}

async function echoOnce(url: string): Promise<string> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/echo`);
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('ping'));
      socket.on('message', (data) => resolve(data.toString()));
      socket.on('error', reject);
    });
  } finally {
    socket.close();
  }
}

describe('setup across hot reloads', () => {
  let dir: string;
  const runtime = useRuntime(() => {
    dir = makeProject({ 'function.ts': echoFunction('one:') });
    return dir;
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('new WebSocket handlers take over after a save', async () => {
    assert.equal(await echoOnce(runtime().url), 'one:ping');
    assert.equal((await fetch(`${runtime().url}/remember`)).status, 200);
    saveFile(path.join(dir, 'function.ts'), echoFunction('two:'));
    await runtime().waitForOutput(/Reloaded function generation=2/);
    assert.equal(await echoOnce(runtime().url), 'two:ping');
  });

  it('cache survives the reload', async () => {
    assert.deepEqual(await (await fetch(`${runtime().url}/recall`)).json(), { kept: { by: 'one:' } });
  });

  it('a failing setup on reload keeps the previous code', async () => {
    saveFile(path.join(dir, 'function.ts'), echoFunction('three:', true));
    await runtime().waitForOutput(/onStartup handler 1 of 1 failed: Error: cannot reach the queue; the previous version keeps serving/);
    assert.equal(await echoOnce(runtime().url), 'two:ping');
    assert.deepEqual(await (await fetch(`${runtime().url}/status`)).json(), { prefix: 'two:' });
    const status = runtime().status();
    assert.equal(status.state, 'error');
    assert.match(status.error?.message ?? '', /onStartup handler 1 of 1 failed/);
  });
});

describe('signature checks through the CLI', () => {
  const secret = Buffer.from('signing-secret-16').toString('base64');
  let dir: string;
  const runtime = useRuntime(() => {
    dir = makeProject({
      '.env': `WEBHOOK_PROTECTION=always\nVOICE_APPLICATION_KEY=app-key\nVOICE_APPLICATION_SECRET=${secret}\n`,
      'function.ts': "export default { async ice() { return { action: { name: 'hangup' } }; } };",
    });
    return dir;
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('accepts a signed ICE and rejects an unsigned one', async () => {
    const body = JSON.stringify(createSimulatedCall({ seed: 'signed' }).ice());
    const headers = signVoiceRequest('v1', { id: 'app-key', secret }, {
      method: 'POST',
      path: '/ice',
      contentType: 'application/json',
      rawBody: Buffer.from(body),
    });
    const signedResponse = await fetch(`${runtime().url}/ice`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    assert.equal(signedResponse.status, 200);
    const unsigned = await postJson(`${runtime().url}/ice`, JSON.parse(body));
    assert.equal(unsigned.status, 401);
    assert.match(((await unsigned.json()) as { fix: string }).fix, /WEBHOOK_PROTECTION=deploy/);
    assert.ok(!runtime().output().includes(secret));
  });
});

describe('setup failures', () => {
  it('a failing onStartup stops the start', async () => {
    const dir = makeProject({
      'function.ts': `export function setup(runtime: any) { runtime.onStartup(async () => { throw new Error('database unreachable'); }); }
export async function status() { return { ok: true }; }`,
    });
    try {
      const result = await runCli([dir, '--port', '0']);
      assert.equal(result.code, 1);
      assert.match(result.output, /The start was stopped: onStartup handler 1 of 1 failed: Error: database unreachable/);
      assert.ok(!result.output.includes('Listening on'));
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('an invalid WebSocket path stops the start', async () => {
    const dir = makeProject({ 'function.ts': `export function setup(runtime: any) { runtime.onWebSocket('media', () => {}); }` });
    try {
      const result = await runCli([dir, '--port', '0']);
      assert.equal(result.code, 1);
      assert.match(result.output, /expects a path that starts with "\/", such as "\/media"; got "media"/);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
