/**
 * Helpers for the simulator tests: the real runtime started on a free port for a project, a
 * caller that answers from a list and fails the test when the call asks for more, and a copy of
 * an example in a temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpTransport, simulateCall, type CallerChoice, type CallerInput, type CallerPrompt, type SimulationResult, type VoiceApi } from '../../runtime/src/simulator';
import { examplesDir, startCli, type RuntimeProcess } from '../runtime/helpers';

export { examplesDir, makeProject } from '../runtime/helpers';

/** Parses a short answer list: keys, `t` timeout, `h` hang up, `a`/`b`/`n`/`f` leg outcomes, `c` far end hangs up. */
export function answers(...tokens: string[]): CallerChoice[] {
  const words: Record<string, CallerChoice> = {
    t: { kind: 'timeout' },
    h: { kind: 'hangup' },
    a: { kind: 'answered' },
    b: { kind: 'busy' },
    n: { kind: 'noanswer' },
    f: { kind: 'failed' },
    c: { kind: 'calleeHangup' },
  };
  return tokens.map((token) => words[token] ?? { kind: 'keys', keys: token });
}

/** A caller that answers from the list and records every prompt it was shown. */
export function scriptedCaller(choices: CallerChoice[]): { caller: CallerInput; prompts: CallerPrompt[] } {
  const prompts: CallerPrompt[] = [];
  let next = 0;
  const caller: CallerInput = async (prompt) => {
    prompts.push(prompt);
    const choice = choices[next++];
    if (choice === undefined) throw new Error(`The call asked for answer ${next} (a ${prompt.kind} prompt) but the test gave ${choices.length}.`);
    return choice;
  };
  return { caller, prompts };
}

export interface RunningProject {
  runtime: RuntimeProcess;
  transport: HttpTransport;
  call(api: VoiceApi, ...tokens: string[]): Promise<SimulationResult & { prompts: CallerPrompt[] }>;
}

const started: RuntimeProcess[] = [];

/** Starts the built runtime CLI for a project on a free port; `stopAll` ends every one. */
export async function runProject(dir: string): Promise<RunningProject> {
  const runtime = await startCli(dir);
  started.push(runtime);
  const transport = new HttpTransport(runtime.url);
  return {
    runtime,
    transport,
    call: async (api, ...tokens) => {
      const { caller, prompts } = scriptedCaller(answers(...tokens));
      const result = await simulateCall({ api, transport, caller, seed: `test-${tokens.join('-')}` });
      return { ...result, prompts };
    },
  };
}

export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((runtime) => runtime.stop()));
}

/** Copies an example project into a new temporary folder and returns the copy's path. */
export function copyExample(name: string): string {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfd-simulator-')), name);
  fs.cpSync(path.join(examplesDir, name), target, { recursive: true });
  return target;
}

/** Events of a call in order, such as `ice pie dice`. */
export function eventNames(result: SimulationResult): string {
  return result.exchanges.map((exchange) => exchange.event).join(' ');
}

/** Everything the caller heard, in order. */
export function heard(result: SimulationResult): string[] {
  return result.timeline.flatMap((entry) => (entry.kind === 'hear' ? [entry.text] : []));
}
