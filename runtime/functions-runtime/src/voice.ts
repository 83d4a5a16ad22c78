/**
 * `@sinch/functions-runtime/voice`: Voice API v2 support. `onCall` builds the `voiceWebhook`
 * export, which takes `call.*` events and dispatches each one to a slot:
 *
 * | event                                   | slot                                   |
 * |-----------------------------------------|----------------------------------------|
 * | `call.incoming`                         | `incoming`                             |
 * | `call.answered`                         | `answered`                             |
 * | `call.menu`, `call.webhook.<name>`      | `webhooks[<name>]`, else `manage`      |
 * | `call.hangup`, `call.failed`            | `completed`                            |
 * | any other `call.*` event                | `fallback`                             |
 *
 * For `call.menu` the name is the menu's `menuName`. A slot returns the command builder it
 * was given (calling `.build()` is optional) or nothing, which yields a 204 response.
 */
import type { FunctionContext, FunctionRequest, FunctionResponse } from './types.js';

export interface PhoneParty {
  type: string;
  phone?: { number: string };
  sip?: { uri: string };
  [field: string]: unknown;
}

/** The `call` object of a Voice API v2 event, as sent on the wire. */
export interface CallDetails {
  callId: string;
  projectId?: string;
  serviceId?: string;
  sessionId?: string;
  from?: PhoneParty;
  to?: PhoneParty;
  startTime?: string;
  callType?: string;
  direction?: string;
  callResult?: string;
  originationType?: string;
  callRate?: { currencyId: string; amount: number };
  callResourceUrl?: string;
  [field: string]: unknown;
}

/** A Voice API v2 event body. */
export interface VoiceEvent {
  event: string;
  call: CallDetails;
  menu?: { menuName: string; input?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** The flat view of an event that slot handlers receive. */
export interface CallInfo {
  event: string;
  callId: string;
  /** The caller's number or SIP URI, or an empty string when the event has none. */
  from: string;
  to: string;
  direction?: string;
  projectId?: string;
  serviceId?: string;
  /** Menu name and input on `call.menu` events. */
  menu?: { menuName: string; input?: string };
  /** The event body exactly as received. */
  raw: VoiceEvent;
}

export interface VoiceCommand {
  command: string;
  [field: string]: unknown;
}

export interface VoiceCommandsResponse {
  commands: VoiceCommand[];
  callName?: string;
}

export interface SayOptions {
  locale?: string;
  voice?: string;
}

export interface MenuCommandOptions {
  name: string;
  prompt: string;
  options: { dtmf: string; value: string }[];
  maxDigits?: number;
  timeoutMs?: number;
}

/**
 * Collects Voice API v2 commands. `answer`, `say` (a `messages` command with a SAY message)
 * and `hangup` follow the documented wire format.
 */
export class CommandBuilder {
  private readonly commands: VoiceCommand[] = [];
  private name: string | undefined;

  answer(): this {
    return this.add({ command: 'answer' });
  }

  say(text: string, options: SayOptions = {}): this {
    return this.add({ command: 'messages', messages: [{ type: 'SAY', say: { text, ...options } }] });
  }

  /** Plays an audio file URL. */
  play(url: string): this {
    // NOTE: the PLAY message shape is not documented publicly; it mirrors SAY.
    return this.add({ command: 'messages', messages: [{ type: 'PLAY', play: { url } }] });
  }

  /** Dials a phone number in E.164 and bridges the caller to it. */
  dialPhone(number: string, options: { cli?: string; timeoutSeconds?: number } = {}): this {
    // NOTE: the dial command shape is not documented publicly; the party object follows the
    // `to` shape of v2 events.
    return this.add({ command: 'dial', to: { type: 'PHONE', phone: { number } }, ...options });
  }

  dialSip(uri: string): this {
    // NOTE: see dialPhone; the SIP party shape is this module's assumption.
    return this.add({ command: 'dial', to: { type: 'SIP', sip: { uri } } });
  }

  /** Runs a keypad menu whose result comes back as a `call.menu` event. */
  menu(options: MenuCommandOptions): this {
    // NOTE: the menu command shape is not documented publicly.
    return this.add({ command: 'menu', menu: { ...options } });
  }

  hangup(): this {
    return this.add({ command: 'hangup' });
  }

  /** Names the call in later events and logs. */
  callName(name: string): this {
    this.name = name;
    return this;
  }

  build(): VoiceCommandsResponse {
    const response: VoiceCommandsResponse = { commands: this.commands.map((command) => ({ ...command })) };
    if (this.name !== undefined) response.callName = this.name;
    return response;
  }

  private add(command: VoiceCommand): this {
    this.commands.push(command);
    return this;
  }
}

export type CallSlotResult = CommandBuilder | VoiceCommandsResponse | void | undefined;

export type CallSlotHandler = (
  call: CallInfo,
  builder: CommandBuilder,
  context: FunctionContext,
  request: FunctionRequest<VoiceEvent>,
) => CallSlotResult | Promise<CallSlotResult>;

export interface CallHandlers {
  incoming?: CallSlotHandler;
  answered?: CallSlotHandler;
  manage?: CallSlotHandler;
  completed?: CallSlotHandler;
  webhooks?: Record<string, CallSlotHandler>;
  fallback?: CallSlotHandler;
}

/** The handler `onCall` returns, exported as `voiceWebhook`. */
export interface VoiceWebhook {
  (context: FunctionContext, request: FunctionRequest): Promise<FunctionResponse>;
  readonly handlers: CallHandlers;
}

/** Names the slot that an event reaches, as in the table at the top of this module. */
export function slotForEvent(event: VoiceEvent, handlers: CallHandlers): { slot: string; handler?: CallSlotHandler } {
  const name = event.event;
  if (name === 'call.incoming') return { slot: 'incoming', handler: handlers.incoming };
  if (name === 'call.answered') return { slot: 'answered', handler: handlers.answered };
  if (name === 'call.hangup' || name === 'call.failed') return { slot: 'completed', handler: handlers.completed };

  let webhookName: string | undefined;
  if (name === 'call.menu') webhookName = event.menu?.menuName;
  else if (name.startsWith('call.webhook.')) webhookName = name.slice('call.webhook.'.length);
  if (name === 'call.menu' || webhookName !== undefined) {
    const webhook = webhookName !== undefined ? handlers.webhooks?.[webhookName] : undefined;
    if (webhook !== undefined) return { slot: `webhooks.${webhookName}`, handler: webhook };
    return { slot: 'manage', handler: handlers.manage };
  }

  return { slot: 'fallback', handler: handlers.fallback };
}

function partyAddress(party: PhoneParty | undefined): string {
  if (party === undefined) return '';
  return party.phone?.number ?? party.sip?.uri ?? '';
}

/** Flattens an event into the `call` argument of slot handlers. */
export function toCallInfo(event: VoiceEvent): CallInfo {
  const info: CallInfo = {
    event: event.event,
    callId: event.call.callId,
    from: partyAddress(event.call.from),
    to: partyAddress(event.call.to),
    raw: event,
  };
  if (event.call.direction !== undefined) info.direction = event.call.direction;
  if (event.call.projectId !== undefined) info.projectId = event.call.projectId;
  if (event.call.serviceId !== undefined) info.serviceId = event.call.serviceId;
  if (event.menu !== undefined) info.menu = { menuName: event.menu.menuName, input: event.menu.input };
  return info;
}

function badRequest(message: string): FunctionResponse {
  return { statusCode: 400, body: { error: 'Bad Request', message } };
}

function parseEvent(body: unknown): VoiceEvent | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'The request body must be a JSON object with "event" and "call".';
  }
  const record = body as Record<string, unknown>;
  if (typeof record.event !== 'string') return 'Field "event" must be a string such as "call.incoming".';
  if (!record.event.startsWith('call.')) return `Field "event" must name a call.* event; got "${record.event}".`;
  const call = record.call;
  if (call === null || typeof call !== 'object' || Array.isArray(call)) return 'Field "call" must be an object.';
  if (typeof (call as Record<string, unknown>).callId !== 'string') return 'Field "call.callId" must be a string.';
  return record as VoiceEvent;
}

/** Builds the `voiceWebhook` export from slot handlers. */
export function onCall(handlers: CallHandlers): VoiceWebhook {
  const webhook = async (context: FunctionContext, request: FunctionRequest): Promise<FunctionResponse> => {
    const event = parseEvent(request.body);
    if (typeof event === 'string') return badRequest(event);

    const { handler } = slotForEvent(event, handlers);
    if (handler === undefined) return { statusCode: 204 };

    const builder = new CommandBuilder();
    const result = await handler(toCallInfo(event), builder, context, request as FunctionRequest<VoiceEvent>);
    if (result === undefined || result === null) return { statusCode: 204 };
    const body = result instanceof CommandBuilder ? result.build() : result;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  };
  return Object.assign(webhook, { handlers });
}
