/**
 * Saves a simulated call of a copy of the voice-ivr example, replays it unchanged, then edits
 * the example and checks that the replay reports each changed answer with its step and path.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CALLS_FOLDER,
  formatDifference,
  loadRecording,
  RecordingError,
  replayCall,
  saveRecording,
  toRecording,
} from '../../runtime/src/simulator';
import { copyExample, runProject, stopAll, type RunningProject } from './helpers';

/** Applies each [from, to] replacement and writes the file once, so the runtime reloads once. */
function editFile(file: string, ...replacements: Array<[string, string]>): void {
  let text = fs.readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    assert.ok(text.includes(from), `${file} does not contain ${from}`);
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
}

describe('recorded call replay', () => {
  let dir: string;
  let project: RunningProject;
  let recordingFile: string;

  before(async () => {
    dir = copyExample('voice-ivr');
    project = await runProject(dir);
    const result = await project.call('v1', '2');
    recordingFile = saveRecording(dir, 'support', toRecording(result));
  });
  after(async () => {
    await stopAll();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('saves under .sinch/calls', () => {
    assert.equal(recordingFile, path.join(dir, CALLS_FOLDER, 'support.json'));
    const recording = loadRecording(recordingFile);
    assert.deepEqual(recording.exchanges.map((exchange) => exchange.event), ['ice', 'pie', 'dice']);
    assert.deepEqual(recording.inputs, [{ prompt: 'menu', menuId: 'main', choice: { kind: 'keys', keys: '2' } }]);
  });

  it('an unchanged function replays the same', async () => {
    const replay = await replayCall(loadRecording(recordingFile), { transport: project.transport });
    assert.deepEqual(replay.differences.map(formatDifference), []);
    assert.equal(replay.matches, true);
    assert.equal(replay.result.call.callId, loadRecording(recordingFile).call.callId);
  });

  it('a changed prompt is reported with its path', async () => {
    const source = path.join(dir, 'function.ts');
    editFile(
      source,
      ['Welcome to ${company}.', 'Hello from ${company}.'],
      ['Support is open from 9 to 17. Goodbye.', 'Support is open from 8 to 16. Goodbye.'],
    );
    await project.runtime.waitForOutput('Reloaded function');

    const replay = await replayCall(loadRecording(recordingFile), { transport: project.transport });
    assert.equal(replay.matches, false);
    const lines = replay.differences.map(formatDifference);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.equal(
      lines[0],
      'step 1 (ice) response.action.menus[0].mainPrompt: expected "#tts[Welcome to Example AB. Press 1 for sales or 2 for support.]", ' +
        'got "#tts[Hello from Example AB. Press 1 for sales or 2 for support.]"',
    );
    assert.equal(lines[1], 'step 2 (pie) response.instructions[0].text: expected "Support is open from 9 to 17. Goodbye.", got "Support is open from 8 to 16. Goodbye."');
  });

  it('a changed branch is reported in the next request', async () => {
    const source = path.join(dir, 'function.ts');
    editFile(source, ["{ dtmf: '2', action: 'return(support)' }", "{ dtmf: '2', action: 'return(help)' }"]);
    await project.runtime.waitForOutput(/(Reloaded function[\s\S]*){2}/);

    const replay = await replayCall(loadRecording(recordingFile), { transport: project.transport });
    const pieRequest = replay.differences.find((difference) => difference.step === 2 && difference.field === 'request');
    assert.deepEqual(pieRequest && [pieRequest.path, pieRequest.expected, pieRequest.actual], ['menuResult.value', 'support', 'help']);
  });

  it('an invalid recording names the file and the field', () => {
    const broken = path.join(dir, CALLS_FOLDER, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ format: 'sinch-functions-simulated-call', version: 1, api: 'v3' }));
    assert.throws(() => loadRecording(broken), (error: unknown) => error instanceof RecordingError && error.message.includes(broken) && error.message.includes('"api"'));
  });
});
