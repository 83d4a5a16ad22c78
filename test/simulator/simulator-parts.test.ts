/**
 * The simulator's small pure parts: prompt strings, JSON differences, caller answers on the
 * command line, recording names and files, and the v2 response checks.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../runtime/src/args';
import { checkRecordingName, checkV2Response, diffJson, promptParts, RecordingError, recordingFiles } from '../../runtime/src/simulator';
import { parseChoice, parseSimulateArgs } from '../../runtime/src/simulator/simulate-args';

describe('prompt parts', () => {
  const cases: Array<[unknown, string[]]> = [
    ['#tts[Hello; welcome]', ['Hello; welcome']],
    ['#tts[One];#href[https://example.invalid/a.wav]', ['One', '[audio] https://example.invalid/a.wav']],
    ['https://example.invalid/b.mp3', ['[audio] https://example.invalid/b.mp3']],
    ['#ssml[<speak>Hi</speak>]', ['[SSML] <speak>Hi</speak>']],
    ['welcome-prompt', ['[prompt] welcome-prompt']],
    ['', []],
    [undefined, []],
  ];
  for (const [prompt, expected] of cases) {
    it(`splits ${JSON.stringify(prompt)}`, () => {
      assert.deepEqual(promptParts(prompt), expected);
    });
  }
});

describe('JSON difference', () => {
  it('lists changed, added and removed paths', () => {
    const changes = diffJson({ a: 1, list: [{ text: 'x' }], gone: true }, { a: 2, list: [{ text: 'y' }, 3] });
    assert.deepEqual(changes, [
      { path: 'a', expected: 1, actual: 2 },
      { path: 'list[0].text', expected: 'x', actual: 'y' },
      { path: 'list[1]', expected: undefined, actual: 3 },
      { path: 'gone', expected: true, actual: undefined },
    ]);
  });

  it('finds nothing in equal values', () => {
    assert.deepEqual(diffJson({ a: [1, { b: null }] }, { a: [1, { b: null }] }), []);
  });
});

describe('caller answers on the command line', () => {
  it('parses keys and words', () => {
    assert.deepEqual(parseChoice('*12#'), { kind: 'keys', keys: '*12#' });
    assert.deepEqual(parseChoice('t'), { kind: 'timeout' });
    assert.deepEqual(parseChoice('busy'), { kind: 'busy' });
    assert.deepEqual(parseChoice('c'), { kind: 'calleeHangup' });
  });

  it('rejects an unknown answer by name', () => {
    assert.throws(() => parseChoice('maybe'), (error: unknown) => error instanceof UsageError && error.message.startsWith('Invalid answer "maybe"'));
  });

  it('rejects --replay with --input', () => {
    assert.throws(() => parseSimulateArgs(['.', '--replay', 'x', '--input', '1']), /--replay takes the answers from the recording/);
  });
});

describe('recording names and files', () => {
  it('accepts safe names and drops .json', () => {
    assert.equal(checkRecordingName('sales-branch_2'), 'sales-branch_2');
    assert.equal(checkRecordingName('support.json'), 'support');
  });

  it('rejects names that leave the folder', () => {
    for (const name of ['../x', 'a/b', '', '.hidden']) {
      assert.throws(() => checkRecordingName(name), RecordingError, name);
    }
  });

  it('lists the .json files of a folder in order', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sfd-calls-'));
    try {
      for (const name of ['b.json', 'a.json', 'notes.txt']) fs.writeFileSync(path.join(folder, name), '{}');
      assert.deepEqual(recordingFiles(folder).map((file) => path.basename(file)), ['a.json', 'b.json']);
      fs.rmSync(path.join(folder, 'a.json'));
      fs.rmSync(path.join(folder, 'b.json'));
      assert.throws(() => recordingFiles(folder), /contains no recorded calls/);
      assert.throws(() => recordingFiles(path.join(folder, 'missing')), /No recorded call at/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('v2 response checks', () => {
  it('accepts no content and known commands', () => {
    assert.deepEqual(checkV2Response(204, undefined), []);
    assert.deepEqual(checkV2Response(200, { commands: [{ command: 'answer' }, { command: 'hangup' }] }), []);
  });

  it('reports the envelope and each bad command', () => {
    assert.deepEqual(checkV2Response(200, 'text').map((finding) => finding.path), ['(response)']);
    assert.deepEqual(checkV2Response(200, {}).map((finding) => finding.path), ['commands']);
    const findings = checkV2Response(200, {
      commands: [{ command: 'say' }, 'hangup', { command: 'menu', menu: {} }, { command: 'dial' }, { command: 'messages', messages: [{}] }],
    });
    assert.deepEqual(findings.map((finding) => finding.path), ['commands[0].command', 'commands[1]', 'commands[2].menu.name', 'commands[3].to', 'commands[4].messages']);
  });
});
