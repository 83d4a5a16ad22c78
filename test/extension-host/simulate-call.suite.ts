/// <reference types="mocha" />
/**
 * Drives one simulated call through the Simulate Call command in the real editor: the command
 * starts the runtime for a copy of examples/voice-ivr, walks the call in the Simulated Call
 * panel with scripted keys, and saves it under `.sinch/calls/`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SinchFunctionsApi } from '../../client/src/extension';
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
});
