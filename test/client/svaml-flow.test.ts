import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSvaml } from '../../client/src/request/svaml-flow';

describe('describeSvaml', () => {
  it('describes v1 instructions then the action', () => {
    const flow = describeSvaml(
      JSON.stringify({
        instructions: [
          { name: 'say', text: 'Welcome', locale: 'en-US' },
          { name: 'setCookie', key: 'step', value: 'menu' },
        ],
        action: {
          name: 'runMenu',
          mainMenu: 'main',
          menus: [{ id: 'main', mainPrompt: '#tts[Press 1]', options: [{ dtmf: '1', action: 'return(sales)' }] }],
        },
      }),
    );
    assert.ok(flow);
    assert.equal(flow.version, 1);
    assert.deepEqual(
      flow.steps.map((step) => [step.role, step.name]),
      [
        ['instruction', 'say'],
        ['instruction', 'setCookie'],
        ['action', 'runMenu'],
      ],
    );
    assert.equal(flow.steps[0].text, 'Say "Welcome" (en-US)');
    assert.deepEqual(flow.steps[2].details, ['Menu main: #tts[Press 1]', '  1 → return(sales)']);
  });

  it('describes connectPstn and hangup', () => {
    assert.equal(describeSvaml('{"action":{"name":"connectPstn","number":"+4670","cli":"private"}}')?.steps[0].text, 'Connect to +4670 as private');
    assert.equal(describeSvaml('{"action":{"name":"hangup"}}')?.steps[0].text, 'Hang up');
  });

  it('keeps unknown names with their fields', () => {
    assert.equal(describeSvaml('{"action":{"name":"teleport","to":"mars"}}')?.steps[0].text, 'teleport to: mars');
  });

  it('describes v2 commands', () => {
    const flow = describeSvaml(
      JSON.stringify({ commands: [{ command: 'answer' }, { command: 'messages', messages: [{ type: 'SAY', say: { text: 'Hi' } }] }, { command: 'hangup' }] }),
    );
    assert.equal(flow?.version, 2);
    assert.deepEqual(flow?.steps.map((step) => step.name), ['answer', 'messages', 'hangup']);
    assert.deepEqual(flow?.steps[1].details, ['SAY Hi']);
  });

  it('returns undefined for other bodies', () => {
    assert.equal(describeSvaml('{"status":"ok"}'), undefined);
    assert.equal(describeSvaml('not json'), undefined);
    assert.equal(describeSvaml('[1,2]'), undefined);
  });
});
