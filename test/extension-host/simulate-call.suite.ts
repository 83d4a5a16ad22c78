/// <reference types="mocha" />
/**
 * Drives one simulated call through the Simulate Call command in the real editor: the command
 * starts the runtime for a copy of examples/voice-ivr, walks the call in the Simulated Call
 * panel with scripted keys, saves it under `.sinch/calls/`, and replays it before and after an
 * edit of the function.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SinchFunctionsApi } from '../../client/src/extension';
import type { ReplayReport } from '../../client/src/simulator/replay-calls-command';
import type { SimulateCallOutcome } from '../../client/src/simulator/simulate-call-command';
import { activateExtension } from './helpers';

/** The voice-ivr example next to the repository's out/ folder, found from this compiled file. */
function voiceIvrExample(): string {
  const candidate = path.resolve(__dirname, '..', '..', '..', 'examples', 'voice-ivr');
  if (!fs.existsSync(path.join(candidate, 'function.ts'))) throw new Error(`${candidate} is missing; the suite runs from the repository's out/ folder.`);
  return candidate;
}

(vscode.workspace.isTrusted ? describe : describe.skip)('Simulate Call command', () => {
  let api: SinchFunctionsApi;
  let project: string;

  before(async () => {
    api = await activateExtension();
    project = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-simulate-')), 'voice-ivr');
    fs.cpSync(voiceIvrExample(), project, { recursive: true });
  });

  after(async () => {
    await api?.runtimes.stop(project);
    fs.rmSync(path.dirname(project), { recursive: true, force: true });
  });

  it('walks the support branch and saves the call', async () => {
    const outcome = await vscode.commands.executeCommand<SimulateCallOutcome | undefined>('sinchFunctions.simulateCall', {
      projectDir: project,
      from: '+46701112233',
      to: '+46700000999',
      answers: ['2'],
      save: 'support',
    });
    assert.ok(outcome, 'the command returned no outcome; see the Sinch Functions log');
    assert.equal(outcome.result.outcome.status, 'completed', outcome.result.outcome.reason);
    assert.deepEqual(outcome.result.exchanges.map((exchange) => exchange.event), ['ice', 'pie', 'dice']);
    assert.equal(outcome.result.exchanges[0].request.cli, '+46701112233');
    assert.equal(outcome.entriesShown, outcome.result.timeline.length);
    assert.equal(outcome.file, path.join(project, '.sinch', 'calls', 'support.json'));
    assert.ok(fs.existsSync(outcome.file));
    assert.ok(api.runtimes.get(project), 'the runtime for the project is running');
  });

  it('replays the saved call, then reports a change', async () => {
    const same = await vscode.commands.executeCommand<ReplayReport[] | undefined>('sinchFunctions.replayCalls', { projectDir: project });
    assert.deepEqual(same?.map((report) => [path.basename(report.file), report.matches, report.differences]), [['support.json', true, []]]);

    const source = path.join(project, 'function.ts');
    fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('from 9 to 17', 'from 10 to 18'));
    const changed = await vscode.commands.executeCommand<ReplayReport[] | undefined>('sinchFunctions.replayCalls', { projectDir: project });
    assert.equal(changed?.length, 1);
    assert.equal(changed[0].matches, false);
    assert.deepEqual(changed[0].differences, [
      'step 2 (pie) response.instructions[0].text: expected "Support is open from 9 to 17. Goodbye.", got "Support is open from 10 to 18. Goodbye."',
    ]);
  });
});
