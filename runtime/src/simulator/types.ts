/**
 * Types of the call simulator: what the engine asks the caller, what the caller answers, how the
 * engine reaches the function (a transport), and the timeline it records. The engine plays the
 * platform's part; everything that talks to people or sockets sits behind these interfaces.
 */
import type { SvamlFinding } from '../voice';

/** Voice API generation: v1 callbacks (`ice`, `pie`, …) or v2 `call.*` events to `voiceWebhook`. */
export type VoiceApi = 'v1' | 'v2';

/** One option of a menu as the caller sees it. */
export interface MenuOptionView {
  /** Keys that pick the option, such as `1` or `12#`. */
  dtmf: string;
  /** What the option does: `return(sales)` or `menu(billing)` in v1, the option's value in v2. */
  action: string;
}

/** The kinds of answer a caller can give; which ones apply depends on the prompt. */
export type CallerChoiceKind = 'keys' | 'timeout' | 'answered' | 'busy' | 'noanswer' | 'failed' | 'hangup' | 'calleeHangup';

export type CallerChoice =
  | { kind: 'keys'; keys: string }
  | { kind: Exclude<CallerChoiceKind, 'keys'> };

/** What the engine waits for: a menu, an outgoing leg, a connected call, or an idle call. */
export type CallerPrompt =
  | {
      kind: 'menu';
      menuId: string;
      /** What the caller hears before pressing keys, one entry per prompt part. */
      prompt: string[];
      options: MenuOptionView[];
      maxDigits: number;
      timeoutMs: number;
      /** 1 for the first play of this menu, 2 for the first repeat, and so on. */
      attempt: number;
      /** Total number of plays before the menu gives up (the first play plus `repeats`). */
      maxAttempts: number;
      choices: CallerChoiceKind[];
    }
  | { kind: 'connect'; action: string; destination: string; choices: CallerChoiceKind[] }
  | { kind: 'connected'; action: string; destination: string; choices: CallerChoiceKind[] }
  | { kind: 'idle'; reason: string; choices: CallerChoiceKind[] };

/** Supplies the caller's answers: a terminal prompt, the editor's panel, or a recorded call. */
export type CallerInput = (prompt: CallerPrompt) => Promise<CallerChoice>;

export interface TransportRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface TransportResponse {
  status: number;
  /** Response headers with lower-case names. */
  headers: Record<string, string>;
  bodyText: string;
  /** The body parsed as JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** Time from sending the request to the end of the response, in milliseconds. */
  roundTripMs: number;
}

/** Sends one event to the function and returns its answer. */
export interface CallTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** One event sent to the function and what it returned. */
export interface Exchange {
  /** `ice`, `pie`, `dice`, `call.incoming`, `call.menu`, … */
  event: string;
  path: string;
  request: Record<string, unknown>;
  status: number;
  response: unknown;
  /** The handler's own running time (`X-Sinch-Duration-Ms`), when the runtime reported it. */
  durationMs?: number;
  findings: SvamlFinding[];
}

export type TimelineEntry =
  | ({ kind: 'request'; seq: number; roundTripMs: number; error?: string } & Exchange)
  | { kind: 'hear'; seq: number; text: string; source: string }
  | { kind: 'menu'; seq: number; menuId: string; prompt: string[]; options: MenuOptionView[]; attempt: number; maxAttempts: number }
  | { kind: 'input'; seq: number; prompt: CallerPrompt['kind']; choice: CallerChoice }
  | { kind: 'cookie'; seq: number; key: string; value: string }
  | { kind: 'connect'; seq: number; action: string; destination: string }
  | { kind: 'note'; seq: number; text: string }
  | { kind: 'stop'; seq: number; event: string; reason: string; findings: SvamlFinding[] }
  | { kind: 'end'; seq: number; reason: string; result: string };

/** Distributes `Omit` over the timeline union, so each kind keeps its own fields. */
export type NewTimelineEntry = TimelineEntry extends infer Entry ? (Entry extends TimelineEntry ? Omit<Entry, 'seq'> : never) : never;

/** A caller answer as a recording keeps it, with the prompt it answered. */
export interface RecordedInput {
  prompt: CallerPrompt['kind'];
  /** The menu the keys were pressed in, for menu prompts. */
  menuId?: string;
  choice: CallerChoice;
}

/** Identity of a simulated call; the same values make the same event bodies. */
export interface CallIdentity {
  /** Seed of every generated id, so a replay sends the same ids. */
  seed: string;
  callId: string;
  from: string;
  to: string;
  /** ISO time of the first event. */
  startTime: string;
}

/** How a simulated call ended. */
export interface CallOutcome {
  /** `completed` when the call ended the way a call ends; `stopped` when the simulator had to stop it. */
  status: 'completed' | 'stopped';
  reason: string;
}

export interface SimulationResult {
  api: VoiceApi;
  call: CallIdentity;
  outcome: CallOutcome;
  exchanges: Exchange[];
  inputs: RecordedInput[];
  timeline: TimelineEntry[];
  /** Cookies set with `setCookie` during the call (v1). */
  cookies: Record<string, string>;
}
