/**
 * The call simulator: plays the platform's part of a phone call against a function. The engine
 * (`simulation.ts` with the v1 and v2 walk-throughs) is pure logic behind a transport and a
 * caller-input callback; `http-transport.ts` drives a running runtime, `recording.ts` and
 * `replay.ts` save a call and replay it as a test, and `terminal.ts` is the `simulate` command.
 */
export { CallSimulation, DEFAULT_FROM, DEFAULT_START_TIME, DEFAULT_TO, SimulationOptionError, simulateCall, type CallSimulationOptions } from './simulation';
export { HttpTransport, TransportError, detectVoiceApi, parseBaseUrl } from './http-transport';
export {
  CALLS_FOLDER,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  RecordingError,
  checkRecordingName,
  defaultRecordingName,
  loadRecording,
  recordingFiles,
  saveRecording,
  toRecording,
  writeRecordingFile,
  type CallRecording,
} from './recording';
export { compareExchanges, diffJson, formatDifference, replayCall, type ReplayDifference, type ReplayResult } from './replay';
export { signingCredentialsFor, type SigningCredentials } from './signing';
export { describeEntry } from './timeline-text';
export { promptParts } from './prompt-text';
export { checkV2Response } from './v2-commands';
export { MENU_DEFAULTS } from './v1-call';
export type * from './types';
