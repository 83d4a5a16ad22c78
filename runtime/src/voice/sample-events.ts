/**
 * Sample events with realistic fields: every Voice API v1 callback, the Voice API v2 `call.*`
 * events and a Conversation API inbound message. A `SimulatedCall` gives all events of one call
 * the same call id, so cache keys, cookies and PIE loops can be tested. The extension's request
 * panel and the tests use these samples.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { VoiceCallbackName } from '../../../common/src/routes';
import { V2_EVENTS } from './event-validate';

export interface SimulatedCallOptions {
  /** Fixed call id; otherwise derived from `seed`, or random. */
  callId?: string;
  /** Makes every id of the call deterministic, for repeatable tests and saved requests. */
  seed?: string;
  /** Caller number in E.164. */
  from?: string;
  /** Called Sinch number in E.164. */
  to?: string;
  applicationKey?: string;
  projectId?: string;
  serviceId?: string;
  /** Time of the ICE / `call.incoming` event; later events add seconds to it. */
  startTime?: Date;
}

export interface MenuResultInput {
  menuId?: string;
  type?: 'return' | 'sequence' | 'timeout' | 'hangup' | 'invalidinput' | 'error';
  value?: string;
  inputMethod?: 'dtmf' | 'voice';
}

export interface DiceInput {
  reason?: string;
  result?: 'ANSWERED' | 'BUSY' | 'NOANSWER' | 'FAILED' | 'N/A';
  durationSeconds?: number;
}

export type V2EventName = (typeof V2_EVENTS)[number] | `call.webhook.${string}`;

export type SampleEvent = Record<string, unknown>;

/** Builds a UUID-shaped id from a seed, so a seeded call always gets the same ids. */
function seededId(seed: string, purpose: string): string {
  const hex = createHash('sha256').update(`${seed}\0${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class SimulatedCall {
  readonly callId: string;
  readonly from: string;
  readonly to: string;
  readonly applicationKey: string;
  readonly projectId: string;
  readonly serviceId: string;
  readonly startTime: Date;
  private readonly idFor: (purpose: string) => string;
  /** Seconds since the start; each event moves it forward so timestamps increase. */
  private elapsed = 0;
  private lastEventTime: string | undefined;

  constructor(options: SimulatedCallOptions = {}) {
    const seed = options.seed;
    this.idFor = seed === undefined ? () => randomUUID() : (purpose) => seededId(seed, purpose);
    this.callId = options.callId ?? this.idFor('call');
    this.from = options.from ?? '+46700000001';
    this.to = options.to ?? '+46700000999';
    this.applicationKey = options.applicationKey ?? '11111111-2222-3333-4444-555555555555';
    this.projectId = options.projectId ?? '00000000-aaaa-4bbb-8ccc-000000000001';
    this.serviceId = options.serviceId ?? '00000000-dddd-4eee-8fff-000000000002';
    this.startTime = options.startTime ?? new Date('2026-12-04T10:15:30Z');
  }

  /** Moves the call's clock forward and returns the new event time. */
  private tick(seconds: number): string {
    this.elapsed += seconds;
    return isoSeconds(new Date(this.startTime.getTime() + this.elapsed * 1000));
  }

  private v1Base(event: VoiceCallbackName, seconds: number): SampleEvent {
    return { event, callid: this.callId, timestamp: this.tick(seconds), version: 1, custom: '', applicationKey: this.applicationKey };
  }

  ice(): SampleEvent {
    const event = this.v1Base('ice', 0);
    return {
      ...event,
      callResourceUrl: `https://calling-euc1.api.sinch.com/calling/v1/calls/id/${this.callId}`,
      userRate: { currencyId: 'EUR', amount: 0.0 },
      cli: this.from,
      to: { type: 'number', endpoint: this.to },
      domain: 'pstn',
      originationType: 'pstn',
      rdnis: '',
    };
  }

  ace(amdStatus: 'human' | 'machine' | 'notsure' | 'hangup' = 'human'): SampleEvent {
    return {
      ...this.v1Base('ace', 4),
      amd: { status: amdStatus, reason: amdStatus === 'machine' ? 'greeting' : 'longgreeting', duration: 1800 },
    };
  }

  pie(input: MenuResultInput = {}): SampleEvent {
    const type = input.type ?? 'return';
    const defaultValues: Record<string, string> = { return: '1', sequence: '1234' };
    const value = input.value ?? defaultValues[type] ?? '';
    return {
      ...this.v1Base('pie', 6),
      menuResult: { menuId: input.menuId ?? 'main', type, value, inputMethod: input.inputMethod ?? 'dtmf' },
    };
  }

  dice(input: DiceInput = {}): SampleEvent {
    const duration = input.durationSeconds ?? Math.max(this.elapsed + 5, 1);
    const result = input.result ?? 'ANSWERED';
    return {
      ...this.v1Base('dice', 5),
      reason: input.reason ?? 'CALLERHANGUP',
      result,
      duration,
      debit: { currencyId: 'EUR', amount: Number((duration * 0.000168).toFixed(4)) },
      userRate: { currencyId: 'EUR', amount: 0.0101 },
      to: { type: 'number', endpoint: this.to },
      from: this.from,
    };
  }

  notify(type = 'recording_available'): SampleEvent {
    const event: SampleEvent = { event: 'notify', callid: this.callId, version: 1, custom: '', type };
    if (type === 'recording_available' || type === 'recording_finished') {
      event.destination = `https://example.invalid/recordings/${this.callId}.mp3`;
    } else if (type === 'transcription_available') {
      event.destination = `https://example.invalid/transcriptions/${this.callId}.json`;
    } else if (type === 'amd' || type === 'amd_beep') {
      event.amd = { status: 'machine', reason: type === 'amd_beep' ? 'beep' : 'greeting', duration: 2400 };
    } else if (type === 'callingerror') {
      Object.assign(event, { errorCode: 40003, errorMsg: 'Invalid destination number', user: this.from });
    }
    return event;
  }

  /** Returns a Voice API v2 event of this call. */
  v2(event: V2EventName, menu?: { menuName: string; input?: string }): SampleEvent {
    const time = this.tick(event === 'call.incoming' ? 0 : 3);
    const callResults: Record<string, string> = { 'call.hangup': 'COMPLETED', 'call.failed': 'FAILED' };
    const callResult = callResults[event] ?? 'NONE';
    const body: SampleEvent = {
      event,
      call: {
        callId: this.callId,
        projectId: this.projectId,
        serviceId: this.serviceId,
        sessionId: this.idFor('session'),
        from: { type: 'PHONE', phone: { number: this.from } },
        to: { type: 'PHONE', phone: { number: this.to } },
        startTime: isoSeconds(this.startTime),
        callType: 'PHONE',
        direction: 'INBOUND',
        callResult,
        originationType: 'PSTN',
        callRate: { currencyId: 'EUR', amount: 0.01 },
        callResourceUrl: `https://voice.api.sinch.com/v2/projects/${this.projectId}/calls/${this.callId}`,
      },
    };
    this.lastEventTime = time;
    if (event === 'call.menu') body.menu = menu ?? { menuName: 'main', input: '1' };
    else if (menu !== undefined) body.menu = menu;
    return body;
  }

  /** CloudEvents binary-mode headers that accompany the v2 event made last. */
  v2Headers(body: SampleEvent): Record<string, string> {
    return {
      'content-type': 'application/json',
      'ce-id': this.idFor(`ce:${String(body.event)}:${this.elapsed}`),
      'ce-source': `projects/${this.projectId}/services/${this.serviceId}`,
      'ce-specversion': '1.0',
      'ce-type': String(body.event),
      'ce-time': this.lastEventTime ?? isoSeconds(this.startTime),
    };
  }

  /** A Conversation API MESSAGE_INBOUND callback from this call's caller, sent as an SMS. */
  conversationInbound(text = 'Hello, I need help with my order'): SampleEvent {
    const time = this.tick(1);
    return {
      app_id: '01HCONVERSATIONAPP0000000',
      accepted_time: time,
      event_time: time,
      project_id: this.projectId,
      message: {
        id: this.idFor(`message:${this.elapsed}`),
        direction: 'TO_APP',
        contact_message: { text_message: { text } },
        channel_identity: { channel: 'SMS', identity: this.from.replace(/^\+/, ''), app_id: '' },
        conversation_id: this.idFor('conversation'),
        contact_id: this.idFor('contact'),
        metadata: '',
        accept_time: time,
        sender_id: '',
        processing_mode: 'CONVERSATION',
        injected: false,
      },
      message_metadata: '',
      correlation_id: '',
    };
  }
}

export function createSimulatedCall(options?: SimulatedCallOptions): SimulatedCall {
  return new SimulatedCall(options);
}

export type SampleName = VoiceCallbackName | V2EventName | 'conversation.message_inbound';

/** Names of every sample `sampleEvents` returns, in a stable order. */
export const SAMPLE_NAMES: readonly SampleName[] = [
  'ice',
  'ace',
  'pie',
  'dice',
  'notify',
  ...V2_EVENTS,
  'call.webhook.checkStatus',
  'conversation.message_inbound',
];

/**
 * Returns one sample of every event type, all from the same simulated call. With the same
 * options (a `seed` or `callId`) the result is the same on every call.
 */
export function sampleEvents(options: SimulatedCallOptions = { seed: 'sample' }): Record<SampleName, SampleEvent> {
  const call = new SimulatedCall(options);
  const samples = {} as Record<SampleName, SampleEvent>;
  samples.ice = call.ice();
  samples.ace = call.ace();
  samples.pie = call.pie({ menuId: 'main', type: 'return', value: 'support' });
  samples.dice = call.dice();
  samples.notify = call.notify();
  for (const event of V2_EVENTS) samples[event] = call.v2(event);
  samples['call.webhook.checkStatus'] = call.v2('call.webhook.checkStatus');
  samples['conversation.message_inbound'] = call.conversationInbound();
  return samples;
}
