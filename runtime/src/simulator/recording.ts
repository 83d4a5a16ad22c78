/**
 * The recorded-call file: a finished simulated call saved as JSON under `.sinch/calls/` in the
 * project, with the call's identity, the caller's answers and every exchange with the function.
 * A replay sends the same events with the same answers; `replay.ts` reports what changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallIdentity, CallOutcome, Exchange, RecordedInput, SimulationResult, VoiceApi } from './types';

export const RECORDING_FORMAT = 'sinch-functions-simulated-call';
export const RECORDING_VERSION = 1;
/** Folder of recorded calls, relative to the project. */
export const CALLS_FOLDER = path.join('.sinch', 'calls');

export interface CallRecording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  /** When the call was recorded, as an ISO time; informational. */
  savedAt: string;
  api: VoiceApi;
  call: CallIdentity;
  outcome: CallOutcome;
  inputs: RecordedInput[];
  exchanges: Exchange[];
}

export class RecordingError extends Error {}

export function toRecording(result: SimulationResult, savedAt = new Date()): CallRecording {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    savedAt: savedAt.toISOString(),
    api: result.api,
    call: result.call,
    outcome: result.outcome,
    inputs: result.inputs,
    exchanges: result.exchanges,
  };
}

/** Checks a recording name: letters, digits, `.`, `_` and `-`, so it is a safe file name. */
export function checkRecordingName(name: string): string {
  const bare = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(bare)) {
    throw new RecordingError(`Invalid call name "${name}": use up to 100 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
  }
  return bare;
}

/** Builds a default name from the time, such as `call-2026-12-04T10-15-30`. */
export function defaultRecordingName(now = new Date()): string {
  return `call-${now.toISOString().slice(0, 19).replace(/:/g, '-')}`;
}

/** Writes the recording to `<projectDir>/.sinch/calls/<name>.json` and returns the file path. */
export function saveRecording(projectDir: string, name: string, recording: CallRecording): string {
  const file = path.join(projectDir, CALLS_FOLDER, `${checkRecordingName(name)}.json`);
  writeRecordingFile(file, recording);
  return file;
}

/** Writes a recording to a file path, creating its folder. */
export function writeRecordingFile(file: string, recording: CallRecording): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads and checks a recording file; errors name the file and what is wrong in it. */
export function loadRecording(file: string): CallRecording {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecordingError(`Cannot read the recorded call ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordingError(`The recorded call ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const problem = recordingProblem(value);
  if (problem !== undefined) throw new RecordingError(`The recorded call ${file} is invalid: ${problem}`);
  return value as CallRecording;
}

function recordingProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the file must contain a JSON object.';
  if (value.format !== RECORDING_FORMAT) return `"format" must be "${RECORDING_FORMAT}"; got ${JSON.stringify(value.format)}.`;
  if (value.version !== RECORDING_VERSION) return `"version" must be ${RECORDING_VERSION}; got ${JSON.stringify(value.version)}. Record the call again.`;
  if (value.api !== 'v1' && value.api !== 'v2') return `"api" must be "v1" or "v2"; got ${JSON.stringify(value.api)}.`;
  const call = value.call;
  if (!isObject(call)) return '"call" must be an object with seed, callId, from, to and startTime.';
  for (const field of ['seed', 'callId', 'from', 'to', 'startTime']) {
    if (typeof call[field] !== 'string') return `"call.${field}" must be a string.`;
  }
  if (!Array.isArray(value.inputs) || !value.inputs.every((input) => isObject(input) && typeof input.prompt === 'string' && isObject(input.choice))) {
    return '"inputs" must be an array of { prompt, choice } objects.';
  }
  if (!Array.isArray(value.exchanges) || !value.exchanges.every((exchange) => isObject(exchange) && typeof exchange.event === 'string')) {
    return '"exchanges" must be an array of { event, request, status, response } objects.';
  }
  return undefined;
}

/** Lists the recordings in a folder (sorted), or the one file given. */
export function recordingFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new RecordingError(`No recorded call at ${target}: give a .json file or a folder such as ${CALLS_FOLDER}.`);
  }
  if (!stat.isDirectory()) return [target];
  const files = fs
    .readdirSync(target)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(target, name));
  if (files.length === 0) throw new RecordingError(`The folder ${target} contains no recorded calls (*.json).`);
  return files;
}
