/**
 * Runs one simulated call from start to end against any transport. The simulation owns the call
 * identity (a seeded `SimulatedCall`, so a replay sends the same ids and timestamps) and returns
 * the timeline, the exchanges and the caller's answers.
 */
import { randomUUID } from 'node:crypto';
import { createSimulatedCall } from '../voice';
import { CallEnded, CallSession } from './call-session';
import type { CallerInput, CallIdentity, CallTransport, SimulationResult, TimelineEntry, VoiceApi } from './types';
import { V1CallWalk } from './v1-call';
import { V2CallWalk } from './v2-call';

export const DEFAULT_FROM = '+46700000001';
export const DEFAULT_TO = '+46700000999';
/** First-event time of every simulated call unless one is given, so recordings stay stable. */
export const DEFAULT_START_TIME = '2026-12-04T10:15:30Z';

const E164 = /^\+[1-9]\d{6,14}$/;

export interface CallSimulationOptions {
  api: VoiceApi;
  transport: CallTransport;
  caller: CallerInput;
  /** Caller number in E.164. */
  from?: string;
  /** Called number in E.164. */
  to?: string;
  /** Seed of the call's ids; a random one when absent. */
  seed?: string;
  startTime?: string;
  /** Keep following SVAML that has findings, as long as its action can be followed. */
  continueOnFindings?: boolean;
  maxEvents?: number;
  maxPrompts?: number;
  onEntry?: (entry: TimelineEntry) => void;
}

export class SimulationOptionError extends Error {}

/** Checks a phone number option and returns it, or throws naming the value and the fix. */
export function checkPhoneNumber(value: string, option: string): string {
  if (!E164.test(value)) {
    throw new SimulationOptionError(`Invalid ${option} number "${value}": use E.164, a + followed by 7 to 15 digits, such as +46700000001.`);
  }
  return value;
}

export class CallSimulation {
  readonly identity: CallIdentity;
  private readonly session: CallSession;
  private readonly walk: { run(): Promise<void> };

  constructor(options: CallSimulationOptions) {
    const seed = options.seed ?? randomUUID();
    const startTime = options.startTime ?? DEFAULT_START_TIME;
    if (Number.isNaN(Date.parse(startTime))) {
      throw new SimulationOptionError(`Invalid start time "${startTime}": use an ISO 8601 time such as ${DEFAULT_START_TIME}.`);
    }
    const from = checkPhoneNumber(options.from ?? DEFAULT_FROM, 'caller (--from)');
    const to = checkPhoneNumber(options.to ?? DEFAULT_TO, 'called (--to)');
    const call = createSimulatedCall({ seed, from, to, startTime: new Date(startTime) });
    this.identity = { seed, callId: call.callId, from, to, startTime };
    this.session = new CallSession({
      api: options.api,
      call: this.identity,
      transport: options.transport,
      caller: options.caller,
      maxEvents: options.maxEvents,
      maxPrompts: options.maxPrompts,
      onEntry: options.onEntry,
    });
    const walkOptions = { continueOnFindings: options.continueOnFindings };
    this.walk = options.api === 'v2' ? new V2CallWalk(this.session, call, walkOptions) : new V1CallWalk(this.session, call, walkOptions);
  }

  /** The caller hangs up: at the prompt shown now, or as soon as the event in flight is answered. */
  hangUp(): void {
    this.session.requestHangUp();
  }

  /** Runs the call to its end; never rejects for problems of the function, which end up in the outcome. */
  async run(): Promise<SimulationResult> {
    try {
      await this.walk.run();
      return this.session.result({ status: 'completed', reason: this.endReason() });
    } catch (error) {
      if (error instanceof CallEnded) return this.session.result(error.outcome);
      throw error;
    }
  }

  private endReason(): string {
    const end = [...this.session.timeline].reverse().find((entry) => entry.kind === 'end');
    return end?.kind === 'end' ? `${end.reason} (${end.result})` : 'ended';
  }
}

/** Runs one call and returns its result. */
export function simulateCall(options: CallSimulationOptions): Promise<SimulationResult> {
  return new CallSimulation(options).run();
}
