/**
 * The state one simulated call carries between events: the timeline, the exchanges with the
 * function, the caller's answers and the cookies. The v1 and v2 walk-throughs drive a session;
 * the session sends each event through the transport and records what came back.
 */
import type { SvamlFinding } from '../voice';
import type {
  CallerChoice,
  CallerInput,
  CallerPrompt,
  CallIdentity,
  CallOutcome,
  CallTransport,
  Exchange,
  NewTimelineEntry,
  RecordedInput,
  SimulationResult,
  TimelineEntry,
  TransportResponse,
  VoiceApi,
} from './types';

/** Most events one call may send before the simulator stops it, so a loop in the function ends. */
export const DEFAULT_MAX_EVENTS = 200;
/** Most caller prompts one call may show, for the same reason. */
export const DEFAULT_MAX_PROMPTS = 500;

/** Thrown inside a walk-through to end the call at once; `run` turns it into the outcome. */
export class CallEnded extends Error {
  constructor(readonly outcome: CallOutcome) {
    super(outcome.reason);
  }
}

export interface SessionOptions {
  api: VoiceApi;
  call: CallIdentity;
  transport: CallTransport;
  caller: CallerInput;
  maxEvents?: number;
  maxPrompts?: number;
  /** Called for every new timeline entry, as it happens. */
  onEntry?: (entry: TimelineEntry) => void;
}

export interface SentEvent {
  exchange: Exchange;
  response: TransportResponse;
}

export class CallSession {
  readonly timeline: TimelineEntry[] = [];
  readonly exchanges: Exchange[] = [];
  readonly inputs: RecordedInput[] = [];
  readonly cookies: Record<string, string> = {};
  private hangUpRequested = false;
  private prompts = 0;

  constructor(private readonly options: SessionOptions) {}

  get call(): CallIdentity {
    return this.options.call;
  }

  /** Asks for the caller to hang up; the call ends at the next prompt, or after the event in flight. */
  requestHangUp(): void {
    this.hangUpRequested = true;
  }

  get hangUpPending(): boolean {
    return this.hangUpRequested;
  }

  record(entry: NewTimelineEntry): TimelineEntry {
    const full = { ...entry, seq: this.timeline.length + 1 } as TimelineEntry;
    this.timeline.push(full);
    this.options.onEntry?.(full);
    return full;
  }

  note(text: string): void {
    this.record({ kind: 'note', text });
  }

  hear(text: string, source: string): void {
    this.record({ kind: 'hear', text, source });
  }

  setCookie(key: string, value: string): void {
    this.cookies[key] = value;
    this.record({ kind: 'cookie', key, value });
  }

  /**
   * Sends one event and records the exchange. `findingsOf` turns the response into SVAML findings
   * (empty for events whose answer the platform ignores). A transport failure, such as a refused
   * connection, stops the call.
   */
  async send(
    event: string,
    path: string,
    body: Record<string, unknown>,
    headers: Record<string, string>,
    findingsOf: (response: TransportResponse) => SvamlFinding[],
  ): Promise<SentEvent> {
    const maxEvents = this.options.maxEvents ?? DEFAULT_MAX_EVENTS;
    if (this.exchanges.length >= maxEvents) {
      throw new CallEnded({ status: 'stopped', reason: `The call sent ${maxEvents} events without ending; the simulator stopped it.` });
    }
    let response: TransportResponse;
    try {
      response = await this.options.transport.send({ path, headers, body });
    } catch (error) {
      const reason = `Sending ${event} to ${path} failed: ${(error as Error).message}`;
      this.record({ kind: 'stop', event, reason, findings: [] });
      throw new CallEnded({ status: 'stopped', reason });
    }
    const findings = findingsOf(response);
    const exchange: Exchange = { event, path, request: body, status: response.status, response: response.body, findings };
    const duration = Number(response.headers['x-sinch-duration-ms']);
    if (response.headers['x-sinch-duration-ms'] !== undefined && Number.isFinite(duration)) exchange.durationMs = duration;
    this.exchanges.push(exchange);
    this.record({ kind: 'request', roundTripMs: response.roundTripMs, ...exchange });
    return { exchange, response };
  }

  /** Asks the caller, records the answer, and rejects answers the prompt does not offer. */
  async ask(prompt: CallerPrompt): Promise<CallerChoice> {
    const maxPrompts = this.options.maxPrompts ?? DEFAULT_MAX_PROMPTS;
    if (++this.prompts > maxPrompts) {
      throw new CallEnded({ status: 'stopped', reason: `The call asked the caller ${maxPrompts} times without ending; the simulator stopped it.` });
    }
    let choice: CallerChoice;
    if (this.hangUpRequested) {
      choice = { kind: 'hangup' };
    } else {
      choice = await this.options.caller(prompt);
      if (this.hangUpRequested) choice = { kind: 'hangup' };
    }
    if (!prompt.choices.includes(choice.kind)) {
      throw new CallEnded({
        status: 'stopped',
        reason: `The caller answered "${choice.kind}" to a ${prompt.kind} prompt, which offers ${prompt.choices.join(', ')}.`,
      });
    }
    const recorded: RecordedInput = { prompt: prompt.kind, choice };
    if (prompt.kind === 'menu') recorded.menuId = prompt.menuId;
    this.inputs.push(recorded);
    this.record({ kind: 'input', prompt: prompt.kind, choice });
    return choice;
  }

  /** Records why the call stops at this event and ends the walk-through. */
  stop(event: string, reason: string, findings: SvamlFinding[] = []): never {
    this.record({ kind: 'stop', event, reason, findings });
    throw new CallEnded({ status: 'stopped', reason });
  }

  result(outcome: CallOutcome): SimulationResult {
    return {
      api: this.options.api,
      call: this.options.call,
      outcome,
      exchanges: this.exchanges,
      inputs: this.inputs,
      timeline: this.timeline,
      cookies: { ...this.cookies },
    };
  }
}

/** Describes a failed HTTP answer in one sentence, with the runtime's own message when it sent one. */
export function describeHttpFailure(event: string, response: TransportResponse): string {
  const body = response.body;
  let detail = '';
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const parts = [record.error, record.message, record.detail, record.fix].filter((part): part is string => typeof part === 'string');
    detail = parts.join(' ');
  } else if (typeof body === 'string') {
    detail = body.slice(0, 300);
  }
  return `The function returned HTTP ${response.status} for ${event}${detail ? `: ${detail}` : ''}.`;
}
