/**
 * Replays a recorded call as a test: the same call identity, the same caller answers in the same
 * order, and a comparison of every exchange with the recording. A difference in what the
 * function returned (status, SVAML, findings) or in what the platform sent because of it (the
 * next event, a PIE value) is reported with its step and JSON path.
 */
import type { CallRecording } from './recording';
import { CallSimulation } from './simulation';
import type { CallerChoice, CallerInput, CallerPrompt, CallTransport, Exchange, SimulationResult, TimelineEntry } from './types';

export interface ReplayDifference {
  /** 1-based number of the exchange in the call, or 0 for differences in the caller's prompts. */
  step: number;
  event: string;
  /** `event`, `request`, `status`, `response`, `findings`, `input` or `length`. */
  field: string;
  /** JSON path inside the field, such as `instructions[0].text`; empty for the whole field. */
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface ReplayResult {
  matches: boolean;
  differences: ReplayDifference[];
  result: SimulationResult;
}

/** Most differences reported per replay; the count of the rest is reported in the last one. */
export const MAX_DIFFERENCES = 50;

/** Feeds the recorded answers in order and reports a prompt that does not fit the next answer. */
function scriptedCaller(recording: CallRecording, differences: ReplayDifference[]): CallerInput {
  let next = 0;
  return async (prompt: CallerPrompt): Promise<CallerChoice> => {
    const recorded = recording.inputs[next];
    if (recorded === undefined) {
      differences.push({ step: 0, event: prompt.kind, field: 'input', path: '', expected: 'the end of the call', actual: describePrompt(prompt) });
      return { kind: 'hangup' };
    }
    next += 1;
    const menuDiffers = prompt.kind === 'menu' && recorded.menuId !== undefined && recorded.menuId !== prompt.menuId;
    if (recorded.prompt !== prompt.kind || menuDiffers || !prompt.choices.includes(recorded.choice.kind)) {
      differences.push({
        step: 0,
        event: prompt.kind,
        field: 'input',
        path: `inputs[${next - 1}]`,
        expected: recorded.menuId === undefined ? recorded.prompt : `${recorded.prompt} ${recorded.menuId}`,
        actual: describePrompt(prompt),
      });
      return { kind: 'hangup' };
    }
    return recorded.choice;
  };
}

function describePrompt(prompt: CallerPrompt): string {
  return prompt.kind === 'menu' ? `menu ${prompt.menuId}` : prompt.kind;
}

/** Lists the differences between two JSON values, each with its path. */
export function diffJson(expected: unknown, actual: unknown, path = '', out: Array<{ path: string; expected: unknown; actual: unknown }> = []): typeof out {
  if (Object.is(expected, actual)) return out;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual);
  if (bothArrays) {
    const length = Math.max(expected.length, actual.length);
    for (let index = 0; index < length; index += 1) diffJson(expected[index], actual[index], `${path}[${index}]`, out);
    return out;
  }
  if (bothObjects) {
    const left = expected as Record<string, unknown>;
    const right = actual as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      diffJson(left[key], right[key], path === '' ? key : `${path}.${key}`, out);
    }
    return out;
  }
  out.push({ path, expected, actual });
  return out;
}

/** Compares the exchanges of a replay with the recorded ones. */
export function compareExchanges(expected: Exchange[], actual: Exchange[]): ReplayDifference[] {
  const differences: ReplayDifference[] = [];
  const shared = Math.min(expected.length, actual.length);
  for (let index = 0; index < shared; index += 1) {
    const before = expected[index];
    const after = actual[index];
    const step = index + 1;
    if (before.event !== after.event) {
      differences.push({ step, event: after.event, field: 'event', path: '', expected: before.event, actual: after.event });
      // Once the events differ, the rest of the call follows another path; comparing further only repeats this.
      return differences;
    }
    const fields: Array<[string, unknown, unknown]> = [
      ['request', before.request, after.request],
      ['status', before.status, after.status],
      ['response', before.response, after.response],
      ['findings', before.findings, after.findings],
    ];
    for (const [field, left, right] of fields) {
      for (const change of diffJson(left, right)) differences.push({ step, event: after.event, field, ...change });
    }
  }
  if (expected.length !== actual.length) {
    differences.push({
      step: shared + 1,
      event: (expected[shared] ?? actual[shared]).event,
      field: 'length',
      path: '',
      expected: `${expected.length} events: ${expected.map((exchange) => exchange.event).join(', ')}`,
      actual: `${actual.length} events: ${actual.map((exchange) => exchange.event).join(', ')}`,
    });
  }
  return differences;
}

export interface ReplayOptions {
  transport: CallTransport;
  onEntry?: (entry: TimelineEntry) => void;
}

/** Replays a recording against the function behind the transport and reports the differences. */
export async function replayCall(recording: CallRecording, options: ReplayOptions): Promise<ReplayResult> {
  const inputDifferences: ReplayDifference[] = [];
  const simulation = new CallSimulation({
    api: recording.api,
    transport: options.transport,
    caller: scriptedCaller(recording, inputDifferences),
    seed: recording.call.seed,
    from: recording.call.from,
    to: recording.call.to,
    startTime: recording.call.startTime,
    // Every event of the recording must be sent again, even past findings, to compare them all.
    continueOnFindings: recording.outcome.status !== 'stopped',
    onEntry: options.onEntry,
  });
  if (simulation.identity.callId !== recording.call.callId) {
    // The id is derived from the seed; a different id means the recording was edited by hand.
    inputDifferences.push({ step: 0, event: 'call', field: 'request', path: 'callid', expected: recording.call.callId, actual: simulation.identity.callId });
  }
  const result = await simulation.run();
  let differences = [...compareExchanges(recording.exchanges, result.exchanges), ...inputDifferences];
  if (differences.length > MAX_DIFFERENCES) {
    const rest = differences.length - MAX_DIFFERENCES + 1;
    differences = differences.slice(0, MAX_DIFFERENCES - 1);
    differences.push({ step: 0, event: '', field: 'more', path: '', expected: '', actual: `${rest} more differences` });
  }
  return { matches: differences.length === 0, differences, result };
}

/** Shows a value in one line for a difference report. */
function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Formats a difference as one line, such as `step 2 (pie) response.instructions[0].text: expected "a", got "b"`. */
export function formatDifference(difference: ReplayDifference): string {
  if (difference.field === 'more') return String(difference.actual);
  const where = difference.step === 0 ? `caller (${difference.event})` : `step ${difference.step} (${difference.event})`;
  const field = difference.path === '' ? difference.field : `${difference.field}.${difference.path}`;
  if (difference.field === 'input') return `${where}: the recording answered a ${show(difference.expected)} prompt, but the call asked at ${show(difference.actual)}`;
  return `${where} ${field}: expected ${show(difference.expected)}, got ${show(difference.actual)}`;
}
