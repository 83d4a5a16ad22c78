import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSvaml, type SvamlCallback } from '../../runtime/src/voice';
import { findingsHeaderValue, MAX_FINDINGS_HEADER_LENGTH } from '../../runtime/src/voice';

const HANGUP = { name: 'hangup' };
const menu = (extra: Record<string, unknown> = {}) => ({
  name: 'runMenu',
  menus: [{ id: 'main', mainPrompt: '#tts[Press 1]', options: [{ dtmf: '1', action: 'return(sales)' }], ...extra }],
});

interface SvamlCase {
  name: string;
  callback: SvamlCallback;
  svaml: unknown;
  /** Paths of the expected findings, in order; empty for valid SVAML. */
  paths: string[];
  /** A fragment of the first finding's message. */
  message?: RegExp;
}

const TABLE: SvamlCase[] = [
  { name: 'ice hangup', callback: 'ice', svaml: { action: HANGUP }, paths: [] },
  { name: 'ice say then menu', callback: 'ice', svaml: { instructions: [{ name: 'say', text: 'Hi', locale: 'en-US' }, { name: 'answer' }], action: menu() }, paths: [] },
  { name: 'ice connectPstn', callback: 'ice', svaml: { action: { name: 'connectPstn', number: '+46700000123', cli: 'private', maxDuration: 3600 } }, paths: [] },
  { name: 'ice park', callback: 'ice', svaml: { action: { name: 'park', holdPrompt: '#tts[Hold on]' } }, paths: [] },
  { name: 'ice connectMxp', callback: 'ice', svaml: { action: { name: 'connectMxp', destination: { type: 'username', endpoint: 'alice' } } }, paths: [] },
  { name: 'ace continue', callback: 'ace', svaml: { action: { name: 'continue' } }, paths: [] },
  { name: 'ace connectConf', callback: 'ace', svaml: { action: { name: 'connectConf', conferenceId: 'room-1' } }, paths: [] },
  { name: 'pie connectSip', callback: 'pie', svaml: { instructions: [{ name: 'sendDtmf', value: '12#' }], action: { name: 'connectSip', destination: { type: 'Sip', endpoint: 'a@b.example' } } }, paths: [] },
  { name: 'pie numeric dtmf', callback: 'pie', svaml: { action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: 1, action: 'return(x)' }] }] } }, paths: [] },
  { name: 'nothing returned', callback: 'ice', svaml: undefined, paths: ['(response)'], message: /returned nothing/ },
  { name: 'string returned', callback: 'pie', svaml: 'hangup', paths: ['(response)'], message: /must return a SVAML object/ },
  { name: 'no action', callback: 'ice', svaml: { instructions: [{ name: 'say', text: 'Hi' }] }, paths: ['action'], message: /exactly one action/ },
  { name: 'two actions as array', callback: 'ice', svaml: { action: [HANGUP, HANGUP] }, paths: ['action'], message: /exactly one action/ },
  { name: 'actions field', callback: 'ice', svaml: { actions: [HANGUP] }, paths: ['actions', 'action'], message: /exactly one "action"/ },
  { name: 'action without name', callback: 'ice', svaml: { action: {} }, paths: ['action.name'], message: /"name" is required/ },
  { name: 'unknown action', callback: 'ice', svaml: { action: { name: 'transfer' } }, paths: ['action.name'], message: /Unknown action "transfer"/ },
  { name: 'continue in ice', callback: 'ice', svaml: { action: { name: 'continue' } }, paths: ['action.name'], message: /"continue" is not allowed in ICE/ },
  { name: 'park in pie', callback: 'pie', svaml: { action: { name: 'park' } }, paths: ['action.name'], message: /"park" is not allowed in PIE/ },
  { name: 'connectPstn in ace', callback: 'ace', svaml: { action: { name: 'connectPstn', number: '+1' } }, paths: ['action.name'], message: /not allowed in ACE/ },
  { name: 'connectMxp in pie', callback: 'pie', svaml: { action: { name: 'connectMxp', destination: { type: 'username', endpoint: 'a' } } }, paths: ['action.name'] },
  { name: 'answer in pie', callback: 'pie', svaml: { instructions: [{ name: 'answer' }], action: HANGUP }, paths: ['instructions[0].name'], message: /"answer" is not allowed in PIE/ },
  { name: 'sendDtmf in ace', callback: 'ace', svaml: { instructions: [{ name: 'sendDtmf', value: '1' }], action: HANGUP }, paths: ['instructions[0].name'] },
  { name: 'unknown instruction', callback: 'ice', svaml: { instructions: [{ name: 'speak', text: 'x' }], action: HANGUP }, paths: ['instructions[0].name'], message: /Unknown instruction "speak"/ },
  { name: 'instructions not array', callback: 'ice', svaml: { instructions: { name: 'say' }, action: HANGUP }, paths: ['instructions'] },
  { name: 'say without text', callback: 'ice', svaml: { instructions: [{ name: 'say' }], action: HANGUP }, paths: ['instructions[0].text'], message: /"text" is required/ },
  { name: 'say too long', callback: 'ice', svaml: { instructions: [{ name: 'say', text: 'a'.repeat(601) }], action: HANGUP }, paths: ['instructions[0].text'], message: /601 characters.*at most 600/ },
  { name: 'playFiles empty', callback: 'ice', svaml: { instructions: [{ name: 'playFiles', ids: [] }], action: HANGUP }, paths: ['instructions[0].ids'] },
  { name: 'setCookie number value', callback: 'ice', svaml: { instructions: [{ name: 'setCookie', key: 'step', value: 2 }], action: HANGUP }, paths: ['instructions[0].value'], message: /must be a string; got 2/ },
  { name: 'sendDtmf bad digits', callback: 'pie', svaml: { instructions: [{ name: 'sendDtmf', value: '12a' }], action: HANGUP }, paths: ['instructions[0].value'] },
  { name: 'connectConf without id', callback: 'ice', svaml: { action: { name: 'connectConf' } }, paths: ['action.conferenceId'] },
  { name: 'connectConf id too long', callback: 'ice', svaml: { action: { name: 'connectConf', conferenceId: 'x'.repeat(65) } }, paths: ['action.conferenceId'] },
  { name: 'connectSip without destination', callback: 'ice', svaml: { action: { name: 'connectSip' } }, paths: ['action.destination'] },
  { name: 'connectPstn too long', callback: 'ice', svaml: { action: { name: 'connectPstn', number: '+1', maxDuration: 14401 } }, paths: ['action.maxDuration'] },
  { name: 'runMenu without menus', callback: 'ice', svaml: { action: { name: 'runMenu' } }, paths: ['action.menus'] },
  { name: 'runMenu without main', callback: 'ice', svaml: { action: { name: 'runMenu', menus: [{ id: 'start' }] } }, paths: ['action.menus'], message: /No menu has the id "main"/ },
  { name: 'runMenu mainMenu names another', callback: 'ice', svaml: { action: { name: 'runMenu', mainMenu: 'start', menus: [{ id: 'start' }] } }, paths: [] },
  { name: 'menu timeout too short', callback: 'ice', svaml: { action: menu({ timeoutMills: 500 }) }, paths: ['action.menus[0].timeoutMills'], message: /from 1000 to 30000; got 500/ },
  { name: 'menu timeout too long', callback: 'ice', svaml: { action: menu({ timeoutMills: 30001 }) }, paths: ['action.menus[0].timeoutMills'] },
  { name: 'menu maxDigits zero', callback: 'ice', svaml: { action: menu({ maxDigits: 0 }) }, paths: ['action.menus[0].maxDigits'] },
  { name: 'menu maxDigits 21', callback: 'ice', svaml: { action: menu({ maxDigits: 21 }) }, paths: ['action.menus[0].maxDigits'] },
  { name: 'menu repeats 6', callback: 'ice', svaml: { action: menu({ repeats: 6 }) }, paths: ['action.menus[0].repeats'] },
  { name: 'menu limits at the edges', callback: 'ice', svaml: { action: menu({ timeoutMills: 30000, maxDigits: 20, repeats: 0 }) }, paths: [] },
  { name: 'option jumps to missing menu', callback: 'ice', svaml: { action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: '9', action: 'menu(billing)' }] }] } }, paths: ['action.menus[0].options[0].action'], message: /does not exist/ },
  { name: 'option bad action', callback: 'ice', svaml: { action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: '1', action: 'goto(2)' }] }] } }, paths: ['action.menus[0].options[0].action'] },
  { name: 'option longer than maxDigits', callback: 'ice', svaml: { action: { name: 'runMenu', menus: [{ id: 'main', options: [{ dtmf: '12', action: 'return(x)' }] }] } }, paths: ['action.menus[0].options[0].dtmf'], message: /longer than the menu's maxDigits/ },
  { name: 'duplicate menu ids', callback: 'ice', svaml: { action: { name: 'runMenu', menus: [{ id: 'main' }, { id: 'main' }] } }, paths: ['action.menus[1].id'] },
];

describe('SVAML validation table', () => {
  for (const testCase of TABLE) {
    it(testCase.name, () => {
      const findings = validateSvaml(testCase.callback, testCase.svaml);
      assert.deepEqual(findings.map((finding) => finding.path), testCase.paths);
      if (testCase.message !== undefined) assert.match(findings[0].message, testCase.message);
    });
  }
});

describe('SVAML findings header', () => {
  it('is ASCII JSON', () => {
    const value = findingsHeaderValue([{ path: 'action', message: 'Action "ü" is unknown' }]);
    assert.match(value, /^[\x20-\x7e]+$/);
    assert.deepEqual(JSON.parse(value), [{ path: 'action', message: 'Action "ü" is unknown' }]);
  });

  it('is cut at the length limit', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({ path: `instructions[${index}].name`, message: 'Unknown instruction "x".' }));
    const value = findingsHeaderValue(many);
    const parsed = JSON.parse(value) as { path: string; message: string }[];
    assert.ok(value.length <= MAX_FINDINGS_HEADER_LENGTH + 100);
    assert.equal(parsed[parsed.length - 1].path, '(more)');
    assert.match(parsed[parsed.length - 1].message, new RegExp(`^${200 - (parsed.length - 1)} more findings`));
  });
});
