/**
 * Walks a Voice API v2 call: `call.incoming` first, then the commands `voiceWebhook` returned,
 * in order. `messages` are what the caller hears; `menu` waits for keys and sends `call.menu`;
 * `dial` lets the caller pick the far end's outcome (`call.answered`, `call.busy`,
 * `call.timeout`, `call.failed`); `hangup` and the caller hanging up send `call.hangup`.
 *
 * NOTE: the v2 command shapes follow `@sinch/functions-runtime/voice` as this project ships it;
 * the public Voice API v2 reference does not yet document how Functions map them to the wire.
 */
import type { SimulatedCall, V2EventName } from '../voice/sample-events';
import { CallEnded, describeHttpFailure, type CallSession } from './call-session';
import { promptParts } from './prompt-text';
import { checkV2Response, V2_NOTED_COMMANDS } from './v2-commands';
import type { MenuOptionView } from './types';

type Json = Record<string, unknown>;

/** Path the platform posts v2 events to; `/` reaches `voiceWebhook` too. */
export const V2_EVENT_PATH = '/webhook/voice';
/** Menu timeout when a v2 menu names none, in milliseconds (the MenuBuilder default). */
const V2_MENU_TIMEOUT_MS = 8000;

/** Next step of the call after a list of commands: another event, or the end. */
type Next = { type: 'event'; event: V2EventName; menu?: { menuName: string; input?: string } } | { type: 'end'; event: 'call.hangup' | 'call.failed'; reason: string };

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface V2WalkOptions {
  continueOnFindings?: boolean;
}

export class V2CallWalk {
  private legConnected = false;
  private ended = false;

  constructor(
    private readonly session: CallSession,
    private readonly call: SimulatedCall,
    private readonly options: V2WalkOptions = {},
  ) {}

  async run(): Promise<void> {
    try {
      let commands = await this.sendEvent('call.incoming');
      for (;;) {
        const next = await this.runCommands(commands);
        if (next.type === 'end') {
          await this.sendFinal(next.event, next.reason);
          return;
        }
        commands = await this.sendEvent(next.event, next.menu);
      }
    } catch (error) {
      if (error instanceof CallEnded && error.outcome.status === 'stopped' && !this.ended && this.session.exchanges.length > 0) {
        await this.sendFinal('call.failed', 'the simulator stopped the call').catch(() => undefined);
      }
      throw error;
    }
  }

  /** Sends one event and returns its commands, or stops the call when the response cannot be followed. */
  private async sendEvent(event: V2EventName, menu?: { menuName: string; input?: string }): Promise<Json[]> {
    const body = this.call.v2(event, menu);
    const headers = this.call.v2Headers(body);
    const { exchange, response } = await this.session.send(event, V2_EVENT_PATH, body, headers, (answer) =>
      answer.status >= 200 && answer.status < 300 ? checkV2Response(answer.status, answer.body) : [],
    );
    if (response.status < 200 || response.status >= 300) this.session.stop(event, describeHttpFailure(event, response));
    if (exchange.findings.length > 0 && !this.options.continueOnFindings) {
      const first = exchange.findings[0];
      this.session.stop(event, `The response to ${event} is invalid, so the platform drops the call: ${first.path}: ${first.message}`, exchange.findings);
    }
    if (response.status === 204 || !isObject(response.body) || !Array.isArray(response.body.commands)) return [];
    return response.body.commands.filter(isObject);
  }

  private async sendFinal(event: 'call.hangup' | 'call.failed', reason: string): Promise<void> {
    this.ended = true;
    const body = this.call.v2(event);
    const { response } = await this.session.send(event, V2_EVENT_PATH, body, this.call.v2Headers(body), () => []);
    if (response.status >= 300) this.session.note(describeHttpFailure(event, response));
    this.session.record({ kind: 'end', reason, result: event === 'call.failed' ? 'FAILED' : 'COMPLETED' });
  }

  /** Runs commands in order until one waits for the caller or ends the call. */
  private async runCommands(commands: Json[]): Promise<Next> {
    for (const [index, command] of commands.entries()) {
      const name = String(command.command);
      switch (name) {
        case 'answer':
          this.session.note('The call is answered.');
          break;
        case 'messages':
          this.playMessages(command);
          break;
        case 'hangup':
          this.session.note('voiceWebhook answered hangup: the platform ends the call.');
          return { type: 'end', event: 'call.hangup', reason: 'hangup command' };
        case 'menu':
          this.noteSkipped(commands.length - index - 1, 'menu');
          return this.runMenu(isObject(command.menu) ? command.menu : {});
        case 'dial':
          this.noteSkipped(commands.length - index - 1, 'dial');
          return this.dial(command);
        default:
          if ((V2_NOTED_COMMANDS as readonly string[]).includes(name)) this.session.note(`Command "${name}" is not simulated.`);
      }
    }
    if (this.legConnected) {
      const choice = await this.session.ask({ kind: 'connected', action: 'dial', destination: 'the dialled party', choices: ['hangup', 'calleeHangup'] });
      return { type: 'end', event: 'call.hangup', reason: choice.kind === 'calleeHangup' ? 'the dialled party hung up' : 'the caller hung up' };
    }
    await this.session.ask({ kind: 'idle', reason: 'The commands are done; nothing else is playing.', choices: ['hangup'] });
    return { type: 'end', event: 'call.hangup', reason: 'the caller hung up' };
  }

  private noteSkipped(count: number, command: string): void {
    // NOTE: the Voice API reference does not say whether the platform runs the commands after a
    // blocking one. The simulator follows the response to the blocking command's event instead.
    if (count > 0) this.session.note(`${count} command(s) after ${command} are not run; the response to its event takes over.`);
  }

  private playMessages(command: Json): void {
    for (const message of Array.isArray(command.messages) ? command.messages.filter(isObject) : []) {
      const type = String(message.type).toUpperCase();
      if (type === 'SAY' && isObject(message.say)) this.session.hear(String(message.say.text ?? ''), 'say');
      else if (type === 'PLAY' && isObject(message.play)) this.session.hear(`[audio] ${String(message.play.url ?? '')}`, 'play');
      else this.session.hear(`[${type}] ${JSON.stringify(message)}`, 'message');
    }
  }

  private async runMenu(menu: Json): Promise<Next> {
    const menuName = String(menu.name ?? '');
    const promptText = String(menu.prompt ?? '');
    // A tagged prompt (#tts[...], a URL) is split like a v1 prompt; plain text is spoken as it is.
    let prompt: string[] = promptText === '' ? [] : [promptText];
    if (/^#|^https?:\/\//.test(promptText)) prompt = promptParts(promptText);
    const options: MenuOptionView[] = (Array.isArray(menu.options) ? menu.options : []).filter(isObject).map((option) => ({
      dtmf: String(option.dtmf),
      action: String(option.value ?? ''),
    }));
    const maxDigits = typeof menu.maxDigits === 'number' ? menu.maxDigits : 1;
    const timeoutMs = typeof menu.timeoutMs === 'number' ? menu.timeoutMs : V2_MENU_TIMEOUT_MS;
    for (const part of prompt) this.session.hear(part, `menu ${menuName}`);
    this.session.record({ kind: 'menu', menuId: menuName, prompt, options, attempt: 1, maxAttempts: 1 });

    const choice = await this.session.ask({
      kind: 'menu',
      menuId: menuName,
      prompt,
      options,
      maxDigits,
      timeoutMs,
      attempt: 1,
      maxAttempts: 1,
      choices: ['keys', 'timeout', 'hangup'],
    });
    if (choice.kind === 'hangup') return { type: 'end', event: 'call.hangup', reason: 'the caller hung up during the menu' };
    const digits = choice.kind === 'keys' ? choice.keys.replace(/[^0-9*#]/g, '').slice(0, maxDigits) : '';
    // Sending no keys is the same as letting the menu time out.
    if (digits === '') return { type: 'event', event: 'call.menu', menu: { menuName } };
    const option = options.find((candidate) => candidate.dtmf === digits);
    // A matched option reports its value; other keys are reported as pressed.
    return { type: 'event', event: 'call.menu', menu: { menuName, input: option?.action ?? digits } };
  }

  private async dial(command: Json): Promise<Next> {
    const to = isObject(command.to) ? command.to : {};
    const destination = isObject(to.phone) ? String(to.phone.number) : isObject(to.sip) ? String(to.sip.uri) : JSON.stringify(to);
    this.session.record({ kind: 'connect', action: 'dial', destination });
    const choice = await this.session.ask({ kind: 'connect', action: 'dial', destination, choices: ['answered', 'busy', 'noanswer', 'failed', 'hangup'] });
    switch (choice.kind) {
      case 'answered':
        this.legConnected = true;
        return { type: 'event', event: 'call.answered' };
      case 'busy':
        return { type: 'event', event: 'call.busy' };
      case 'noanswer':
        return { type: 'event', event: 'call.timeout' };
      case 'failed':
        // call.failed ends the call, so what the function returns to it is not followed.
        return { type: 'end', event: 'call.failed', reason: 'the dialled leg failed' };
      default:
        return { type: 'end', event: 'call.hangup', reason: 'the caller hung up while the call was dialling' };
    }
  }
}
