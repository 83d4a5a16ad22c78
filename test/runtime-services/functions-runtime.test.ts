import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AceSvamlBuilder,
  IceSvamlBuilder,
  PieSvamlBuilder,
  createIceBuilder,
  createMenu,
  type FunctionContext,
  type FunctionRequest,
} from '../../runtime/functions-runtime/src/index';
import { onCall, type CallInfo } from '../../runtime/functions-runtime/src/voice';
import { createSimulatedCall, validateSvaml } from '../../runtime/src/voice';

const context = {} as FunctionContext;

function requestFor(body: unknown): FunctionRequest {
  return { method: 'POST', path: '/webhook/voice', query: {}, headers: {}, body };
}

describe('functions-runtime SVAML builders', () => {
  it('ice builder output passes validation', () => {
    const svaml = createIceBuilder()
      .answer()
      .say('Welcome')
      .setCookie('step', 'menu')
      .runMenu(createMenu().prompt('Press 1 for sales, 2 for support').option('1', 'return(sales)').option(2, 'return(support)').timeout(5000).repeats(1))
      .build();
    assert.deepEqual(validateSvaml('ice', svaml), []);
    assert.deepEqual(svaml.action, {
      name: 'runMenu',
      barge: true,
      menus: [
        {
          id: 'main',
          mainPrompt: '#tts[Press 1 for sales, 2 for support]',
          repeats: 1,
          maxDigits: 1,
          timeoutMills: 5000,
          options: [
            { dtmf: '1', action: 'return(sales)' },
            { dtmf: '2', action: 'return(support)' },
          ],
        },
      ],
    });
  });

  it('every builder action passes validation', () => {
    const cases: [('ice' | 'ace' | 'pie'), unknown][] = [
      ['ice', new IceSvamlBuilder().connectPstn('+46700000123', { cli: 'private', timeout: 30, enableAce: false }).build()],
      ['ice', new IceSvamlBuilder().connectSip('sip:a@b.example').build()],
      ['ice', new IceSvamlBuilder().connectMxp('alice').build()],
      ['ice', new IceSvamlBuilder().connectConf('room-1', { dtmfMode: 'forward' }).build()],
      ['ice', new IceSvamlBuilder().park({ holdPrompt: 'Please hold' }).build()],
      ['ice', new IceSvamlBuilder().play('https://example.invalid/a.mp3').hangup().build()],
      ['ace', new AceSvamlBuilder().say('Connected').continue().build()],
      ['ace', new AceSvamlBuilder().hangup().build()],
      ['pie', new PieSvamlBuilder().sendDtmf('1#').startRecording().stopRecording().continue().build()],
      ['pie', new PieSvamlBuilder().connectPstn('+46700000123').build()],
      ['pie', new PieSvamlBuilder().runMenu({ menus: [createMenu().option(1, 'menu(more)'), createMenu('more').option(9, 'return(done)')] }).build()],
    ];
    for (const [callback, svaml] of cases) assert.deepEqual(validateSvaml(callback, svaml), [], JSON.stringify(svaml));
  });

  it('connectPstn maps runtime option names', () => {
    const svaml = new IceSvamlBuilder().connectPstn('+46700000123', { timeout: 25, enableAce: false }).build();
    assert.deepEqual(svaml.action, { name: 'connectPstn', number: '+46700000123', dialTimeout: 25, suppressCallbacks: true });
  });

  it('a second action throws', () => {
    assert.throws(() => new IceSvamlBuilder().hangup().connectConf('x'), /exactly one action.*"hangup" is already set/);
  });

  it('build without action fails validation', () => {
    assert.deepEqual(validateSvaml('ice', new IceSvamlBuilder().say('Hi').build()).map((finding) => finding.path), ['action']);
  });
});

describe('functions-runtime createMenu limits', () => {
  it('applies the defaults', () => {
    assert.deepEqual(createMenu().build(), { id: 'main', repeats: 2, maxDigits: 1, timeoutMills: 8000, options: [] });
  });

  it('accepts the edges', () => {
    const menu = createMenu().timeout(1000).maxDigits(20).repeats(0).build();
    assert.equal(menu.timeoutMills, 1000);
    assert.equal(createMenu().timeout(30000).repeats(5).maxDigits(1).build().timeoutMills, 30000);
  });

  it('rejects values outside the limits', () => {
    assert.throws(() => createMenu().timeout(999), /timeoutMills must be an integer from 1000 to 30000; got 999/);
    assert.throws(() => createMenu().timeout(30001), RangeError);
    assert.throws(() => createMenu().maxDigits(0), /maxDigits must be an integer from 1 to 20/);
    assert.throws(() => createMenu().maxDigits(21), RangeError);
    assert.throws(() => createMenu().repeats(-1), RangeError);
    assert.throws(() => createMenu().repeats(6), /repeats must be an integer from 0 to 5/);
    assert.throws(() => createMenu().maxDigits(1.5), RangeError);
  });

  it('rejects bad options', () => {
    assert.throws(() => createMenu().option('a', 'return(x)'), /digits, \* or #/);
    assert.throws(() => createMenu().option('1', 'goto(x)'), /"return\(<value>\)" or "menu\(<id>\)"/);
    assert.throws(() => createMenu().option('1', 'return(x)').option(1, 'return(y)'), /already has an option for "1"/);
    assert.throws(() => createMenu().option('12', 'return(x)').build(), /more keys than maxDigits/);
  });

  it('keeps prompts that are already prompts', () => {
    assert.equal(createMenu().prompt('#ssml[<speak>Hi</speak>]').build().mainPrompt, '#ssml[<speak>Hi</speak>]');
    assert.equal(createMenu().prompt('https://example.invalid/p.mp3').build().mainPrompt, 'https://example.invalid/p.mp3');
  });
});

describe('functions-runtime onCall dispatch', () => {
  const seen: string[] = [];
  const record = (slot: string) => (call: CallInfo) => {
    seen.push(`${slot}:${call.event}:${call.callId}`);
  };
  const webhook = onCall({
    incoming: (call, builder) => builder.answer().say(`Hello ${call.from}`),
    answered: record('answered'),
    manage: record('manage'),
    completed: record('completed'),
    webhooks: { orderStatus: (_call, builder) => builder.say('Your order shipped').build(), billing: record('webhooks.billing') },
    fallback: record('fallback'),
  });
  const call = createSimulatedCall({ seed: 'dispatch' });

  it('incoming returns the builder as commands', async () => {
    const response = await webhook(context, requestFor(call.v2('call.incoming')));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.body, {
      commands: [{ command: 'answer' }, { command: 'messages', messages: [{ type: 'SAY', say: { text: `Hello ${call.from}` } }] }],
    });
  });

  it('routes each event to its slot', async () => {
    seen.length = 0;
    const events: [string, { menuName: string; input?: string }?][] = [
      ['call.answered'],
      ['call.menu', { menuName: 'main', input: '1' }],
      ['call.menu', { menuName: 'billing', input: '2' }],
      ['call.webhook.unknownName'],
      ['call.hangup'],
      ['call.failed'],
      ['call.busy'],
      ['call.amd.machine'],
    ];
    for (const [event, menu] of events) {
      const response = await webhook(context, requestFor(call.v2(event as 'call.menu', menu)));
      assert.equal(response.statusCode, 204, event);
      assert.equal(response.body, undefined);
    }
    assert.deepEqual(seen, [
      `answered:call.answered:${call.callId}`,
      `manage:call.menu:${call.callId}`,
      `webhooks.billing:call.menu:${call.callId}`,
      `manage:call.webhook.unknownName:${call.callId}`,
      `completed:call.hangup:${call.callId}`,
      `completed:call.failed:${call.callId}`,
      `fallback:call.busy:${call.callId}`,
      `fallback:call.amd.machine:${call.callId}`,
    ]);
  });

  it('named webhook answers with built commands', async () => {
    const response = await webhook(context, requestFor(call.v2('call.webhook.orderStatus')));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.body, { commands: [{ command: 'messages', messages: [{ type: 'SAY', say: { text: 'Your order shipped' } }] }] });
  });

  it('a missing slot answers 204', async () => {
    const bare = onCall({});
    assert.equal((await bare(context, requestFor(call.v2('call.incoming')))).statusCode, 204);
  });

  it('a non-event body answers 400 naming the field', async () => {
    const response = await webhook(context, requestFor({ event: 'call.incoming' }));
    assert.equal(response.statusCode, 400);
    assert.match((response.body as { message: string }).message, /Field "call" must be an object/);
  });
});
