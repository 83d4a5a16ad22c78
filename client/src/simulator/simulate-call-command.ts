/**
 * The Simulate Call command: picks the project, asks for the caller and called numbers, makes
 * sure the project's runtime runs (a runtime started under the debugger is reused, so breakpoints
 * pause the call), and walks the call in the Simulated Call panel. A finished call can be saved
 * under `.sinch/calls/` and replayed with `sinch-functions-dev simulate --replay`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, type EndpointCommandArgs } from '../../../common/src/protocol';
import { parseChoice } from '../../../runtime/src/simulator/simulate-args';
import {
  CallSimulation,
  checkPhoneNumber,
  DEFAULT_FROM,
  DEFAULT_TO,
  SimulationOptionError,
} from '../../../runtime/src/simulator/simulation';
import { detectVoiceApi, HttpTransport, TransportError } from '../../../runtime/src/simulator/http-transport';
import { defaultRecordingName, saveRecording, toRecording, checkRecordingName } from '../../../runtime/src/simulator/recording';
import { signingCredentialsFor } from '../../../runtime/src/simulator/signing';
import type { CallerChoice, CallerInput, SimulationResult } from '../../../runtime/src/simulator/types';
import { reportStartFailure } from '../commands/runtime-commands';
import { resolveEndpointTarget, resolveProjectDir } from '../commands/targets';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import { errorMessage } from '../log/channels';
import type { RuntimeManager } from '../runtime/runtime-manager';
import { CallPanel } from './call-panel';

/** Arguments for scripted use (tests, keybindings); every field is optional. */
export interface SimulateCallArgs {
  projectDir?: string;
  from?: string;
  to?: string;
  /** Caller answers in order (`1`, `t`, `h`, `a`, `b`, `n`, `f`, `c`) instead of asking in the panel. */
  answers?: string[];
  /** Name under `.sinch/calls/` to save the finished call as. */
  save?: string;
}

export interface SimulateCallOutcome {
  result: SimulationResult;
  /** The saved recording, when `save` was given. */
  file?: string;
  /** Timeline entries the panel received. */
  entriesShown: number;
}

const NUMBERS_KEY = 'sinchFunctions.simulateCall.numbers';

export interface Dependencies {
  state: vscode.Memento;
  runtimes: RuntimeManager;
  registry: EndpointRegistry;
  log: vscode.LogOutputChannel;
  runtimeLog: vscode.LogOutputChannel;
}

function isLensArgs(value: unknown): value is EndpointCommandArgs {
  return typeof (value as EndpointCommandArgs)?.uri === 'string' && typeof (value as EndpointCommandArgs)?.exportName === 'string';
}

export async function projectDirOf(registry: EndpointRegistry, arg: unknown): Promise<string | undefined> {
  if (isLensArgs(arg)) return (await resolveEndpointTarget(registry, arg))?.projectDir;
  const given = (arg as { projectDir?: unknown } | undefined)?.projectDir;
  if (typeof given === 'string' && given !== '') return given;
  return resolveProjectDir(registry, arg);
}

/** Asks for a phone number, offering the last one used; undefined when the user cancels. */
async function askNumber(title: string, value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value,
    prompt: 'E.164: a + followed by the country code and number',
    validateInput: (text) => {
      try {
        checkPhoneNumber(text.trim(), title.toLowerCase());
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    },
  });
}

function scriptedAnswers(tokens: string[], log: vscode.LogOutputChannel): CallerInput {
  const choices: CallerChoice[] = tokens.map(parseChoice);
  let next = 0;
  return async () => {
    const choice = choices[next++];
    if (choice !== undefined) return choice;
    log.info('Simulated call: the scripted answers ran out, so the caller hangs up.');
    return { kind: 'hangup' };
  };
}

/**
 * Returns the address of the project's runtime, starting it when none runs. A runtime started
 * under the debugger is reused. Reports a failed start and returns undefined.
 */
export async function runtimeUrlFor(deps: Pick<Dependencies, 'runtimes' | 'runtimeLog'>, projectDir: string): Promise<string | undefined> {
  let baseUrl: string | undefined;
  try {
    const running = deps.runtimes.get(projectDir);
    baseUrl = running?.baseUrl ?? (await deps.runtimes.ensureRunning(projectDir)).status.url ?? undefined;
  } catch (error) {
    await reportStartFailure(error, deps.runtimeLog);
    return undefined;
  }
  if (baseUrl === undefined) void vscode.window.showErrorMessage(`The runtime for ${projectDir} reports no address; restart it and try again.`);
  return baseUrl;
}

async function runCall(deps: Dependencies, projectDir: string, from: string, to: string, args: SimulateCallArgs, panel?: CallPanel): Promise<SimulateCallOutcome | undefined> {
  const baseUrl = await runtimeUrlFor(deps, projectDir);
  if (baseUrl === undefined) return undefined;

  let api;
  try {
    api = await detectVoiceApi(new URL(baseUrl));
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    deps.log.warn(`Simulated call: ${error.message}`);
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }

  const callPanel = panel ?? new CallPanel(`Call to ${path.basename(projectDir)}`);
  callPanel.reveal();
  let simulation: CallSimulation;
  try {
    simulation = new CallSimulation({
      api,
      transport: new HttpTransport(baseUrl, signingCredentialsFor(api, projectDir)),
      caller: args.answers ? scriptedAnswers(args.answers, deps.log) : (prompt) => callPanel.ask(prompt),
      from,
      to,
      onEntry: (entry) => callPanel.showEntry(entry),
    });
  } catch (error) {
    if (!(error instanceof SimulationOptionError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
  callPanel.start(api, simulation.identity);
  const hangUp = callPanel.onDidRequestHangUp(() => simulation.hangUp());
  deps.log.info(`Simulated call ${simulation.identity.callId} (Voice API ${api}) from ${from} to ${to} on ${baseUrl}`);
  let result: SimulationResult;
  try {
    result = await simulation.run();
  } finally {
    hangUp.dispose();
  }
  callPanel.showEnd(result.outcome);
  deps.log.info(`Simulated call ${result.call.callId} ${result.outcome.status}: ${result.outcome.reason}`);

  const outcome: SimulateCallOutcome = { result, entriesShown: callPanel.entriesShown };
  if (args.save !== undefined) {
    outcome.file = saveRecording(projectDir, args.save, toRecording(result));
    callPanel.showSaved(outcome.file);
  }
  if (panel === undefined) wirePanelButtons(deps, callPanel, projectDir, from, to, () => result);
  return outcome;
}

/** Connects Save and Call again once per panel; Save always saves the latest call. */
function wirePanelButtons(deps: Dependencies, panel: CallPanel, projectDir: string, from: string, to: string, latest: () => SimulationResult): void {
  let current = latest;
  const subscriptions = [
    panel.onDidRequestSave(async () => {
      const name = await vscode.window.showInputBox({
        title: 'Save the call as a test',
        value: defaultRecordingName(),
        prompt: `Saved as .sinch/calls/<name>.json; replay it with sinch-functions-dev simulate <project> --replay <name>`,
        validateInput: (text) => {
          try {
            checkRecordingName(text.trim());
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        },
      });
      if (name === undefined) return;
      const file = saveRecording(projectDir, name.trim(), toRecording(current()));
      panel.showSaved(file);
      deps.log.info(`Saved the simulated call to ${file}`);
    }),
    panel.onDidRequestAgain(async () => {
      const next = await runCall(deps, projectDir, from, to, {}, panel);
      if (next !== undefined) current = () => next.result;
    }),
  ];
  const release = (): void => {
    for (const subscription of subscriptions) subscription.dispose();
    panel.dispose();
  };
  // The user may have closed the panel during the call, before these buttons were wired.
  if (panel.isDisposed) {
    release();
    return;
  }
  const closed = panel.onDidClose(() => {
    closed.dispose();
    release();
  });
}

export function registerSimulateCallCommand(deps: Dependencies): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.simulateCall, async (arg?: unknown): Promise<SimulateCallOutcome | undefined> => {
    const args: SimulateCallArgs = arg !== null && typeof arg === 'object' && !isLensArgs(arg) ? (arg as SimulateCallArgs) : {};
    const projectDir = await projectDirOf(deps.registry, arg);
    if (projectDir === undefined) return undefined;

    const remembered = deps.state.get<{ from: string; to: string }>(NUMBERS_KEY) ?? { from: DEFAULT_FROM, to: DEFAULT_TO };
    const from = args.from ?? (await askNumber('Caller number', remembered.from))?.trim();
    if (from === undefined) return undefined;
    const to = args.to ?? (await askNumber('Called number', remembered.to))?.trim();
    if (to === undefined) return undefined;
    await deps.state.update(NUMBERS_KEY, { from, to });

    try {
      return await runCall(deps, projectDir, from, to, args);
    } catch (error) {
      deps.log.error(`Simulated call failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`The simulated call failed: ${errorMessage(error)}`);
      return undefined;
    }
  });
}
