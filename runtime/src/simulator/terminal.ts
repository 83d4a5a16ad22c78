/**
 * `sinch-functions-dev simulate`: runs a simulated call (or replays recorded calls) from the
 * terminal. Given a project folder it starts the runtime on a free port and stops it at the end;
 * given a URL it uses the runtime running there. Exit codes are listed in the help text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import { detectVoiceApi, HttpTransport, parseBaseUrl, TransportError } from './http-transport';
import {
  CALLS_FOLDER,
  defaultRecordingName,
  loadRecording,
  RecordingError,
  recordingFiles,
  saveRecording,
  toRecording,
  writeRecordingFile,
} from './recording';
import { formatDifference, replayCall } from './replay';
import { launchRuntime, type LaunchedRuntime } from './runtime-launcher';
import { signingCredentialsFor } from './signing';
import { parseSimulateArgs, SIMULATE_HELP_TEXT, type SimulateOptions } from './simulate-args';
import { CallSimulation, SimulationOptionError } from './simulation';
import { interactiveTerminalCaller, scriptedTerminalCaller } from './terminal-caller';
import { describeEntry } from './timeline-text';
import type { SimulationResult, TimelineEntry, VoiceApi } from './types';

export interface SimulateIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const isUrl = (target: string) => /^[a-z]+:\/\//i.test(target);

/** Runs the `simulate` command and returns its exit code; `cliPath` is the runtime CLI to start. */
export async function runSimulateCommand(argv: readonly string[], cliPath: string, io: SimulateIo = process): Promise<number> {
  let options: SimulateOptions;
  try {
    options = parseSimulateArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.stdout.write(SIMULATE_HELP_TEXT);
    return 0;
  }

  let runtime: LaunchedRuntime | undefined;
  let baseUrl: URL;
  let projectDir: string;
  try {
    if (isUrl(options.target)) {
      baseUrl = parseBaseUrl(options.target);
      projectDir = process.cwd();
    } else {
      projectDir = path.resolve(options.target);
      if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory()) {
        io.stderr.write(`Project folder not found: ${projectDir}. Give the folder that contains function.ts, or a runtime URL.\n`);
        return 2;
      }
      runtime = await launchRuntime({
        cliPath,
        projectDir,
        inspect: options.inspect,
        timeoutSeconds: options.timeoutSeconds,
        onLine: (line) => io.stderr.write(`runtime│ ${line}\n`),
      });
      baseUrl = parseBaseUrl(runtime.url);
    }
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return error instanceof TransportError ? 2 : 1;
  }

  try {
    // The process environment, plus the project's files when the runtime was started here.
    const envProject = runtime === undefined ? undefined : projectDir;
    if (options.replay !== undefined) {
      return await replayFiles(options.replay, projectDir, (api) => new HttpTransport(baseUrl, signingCredentialsFor(api, envProject)), options, io);
    }
    const api = options.voiceApi ?? (await detectVoiceApi(baseUrl));
    return await simulateOnce(api, new HttpTransport(baseUrl, signingCredentialsFor(api, envProject)), projectDir, options, io);
  } catch (error) {
    if (error instanceof TransportError || error instanceof RecordingError || error instanceof SimulationOptionError) {
      io.stderr.write(`${error.message}\n`);
      return error instanceof SimulationOptionError ? 2 : 1;
    }
    throw error;
  } finally {
    await runtime?.stop();
  }
}

function printEntry(io: SimulateIo, entry: TimelineEntry): void {
  for (const line of describeEntry(entry)) io.stdout.write(`${line}\n`);
}

async function simulateOnce(api: VoiceApi, transport: HttpTransport, projectDir: string, options: SimulateOptions, io: SimulateIo): Promise<number> {
  const print = (entry: TimelineEntry) => {
    if (!options.json) printEntry(io, entry);
  };
  let simulation: CallSimulation | undefined;
  const interactive =
    options.script === undefined ? interactiveTerminalCaller(io.stdin, options.json ? io.stderr : io.stdout, options.wait, () => simulation?.hangUp()) : undefined;
  const caller = interactive?.caller ?? scriptedTerminalCaller(options.script ?? [], (text) => io.stderr.write(`${text}\n`));
  simulation = new CallSimulation({
    api,
    transport,
    caller,
    from: options.from,
    to: options.to,
    seed: options.seed,
    continueOnFindings: options.continueOnFindings,
    onEntry: print,
  });
  if (!options.json) io.stdout.write(`Simulating a Voice API ${api} call ${simulation.identity.callId} from ${options.from} to ${options.to} on ${transport.baseUrl.origin}\n`);

  let result: SimulationResult;
  try {
    result = await simulation.run();
  } finally {
    interactive?.close();
  }

  if (options.save !== undefined) {
    const recording = toRecording(result);
    let file: string;
    if (options.save.endsWith('.json')) {
      file = path.resolve(options.save);
      writeRecordingFile(file, recording);
    } else {
      file = saveRecording(projectDir, options.save || defaultRecordingName(), recording);
    }
    io.stderr.write(`Saved the call to ${file}; replay it with: sinch-functions-dev simulate <projectDir> --replay ${file}\n`);
  }
  if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(`Outcome: ${result.outcome.status}: ${result.outcome.reason}\n`);
  return result.outcome.status === 'completed' ? 0 : 1;
}

async function replayFiles(
  target: string,
  projectDir: string,
  transportFor: (api: VoiceApi) => HttpTransport,
  options: SimulateOptions,
  io: SimulateIo,
): Promise<number> {
  // A bare name such as "sales" means .sinch/calls/sales.json in the project.
  const candidate = path.resolve(target);
  const named = path.join(projectDir, CALLS_FOLDER, target.endsWith('.json') ? target : `${target}.json`);
  const files = recordingFiles(fs.existsSync(candidate) || !fs.existsSync(named) ? candidate : named);
  const reports: Array<{ file: string; matches: boolean; differences: string[] }> = [];
  for (const file of files) {
    const recording = loadRecording(file);
    const replay = await replayCall(recording, { transport: transportFor(recording.api) });
    const differences = replay.differences.map(formatDifference);
    reports.push({ file, matches: replay.matches, differences });
    if (options.json) continue;
    const events = replay.result.exchanges.length;
    if (replay.matches) {
      io.stdout.write(`✓ ${path.basename(file)}: the function returned the same (${events} events)\n`);
    } else {
      io.stdout.write(`✗ ${path.basename(file)}: ${differences.length} difference(s)\n`);
      for (const line of differences) io.stdout.write(`    ${line}\n`);
    }
  }
  if (options.json) io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  return reports.every((report) => report.matches) ? 0 : 1;
}
