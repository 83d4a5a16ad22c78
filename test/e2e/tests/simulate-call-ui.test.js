// Drives one simulated call through the Simulated Call panel in code-server, as a user would:
// the Simulate call lens over ice, the numbers accepted, key 2 pressed on the panel's
// keypad, and the finished call saved as a test. The extension is loaded from the repository
// folder (as F5 does), so the test needs `npm run build` but no .vsix.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { findFreePort } = require('../lib/code-server');
const { openWorkbench, repositoryRoot } = require('../lib/workbench');

const verbose = process.env.E2E_VERBOSE === '1';
let workspace;
let workbench;
let failed = false;

before(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-e2e-simulate-'));
  fs.cpSync(path.join(repositoryRoot, 'examples', 'voice-ivr'), workspace, { recursive: true });
  workbench = await openWorkbench({
    folder: workspace,
    developmentPath: repositoryRoot,
    // Other test runs on this machine may hold the runtime's default port 3000.
    settings: { 'sinchFunctions.runtime.port': await findFreePort() },
    log: verbose ? (line) => console.log(line) : () => {},
  });
});

after(async () => {
  if (workbench) await workbench.close({ keepFolders: failed });
  if (workspace && !failed) fs.rmSync(workspace, { recursive: true, force: true });
});

/** Accepts the value an input box offers, such as the remembered phone number. */
async function acceptInputBox(title) {
  const { page } = workbench;
  const box = page.locator('.quick-input-widget', { hasText: title });
  await box.waitFor();
  await box.locator('.quick-input-box input').press('Enter');
  await box.waitFor({ state: 'hidden' });
}

test('simulated call through the panel', { timeout: 120_000 }, async () => {
  const { page } = workbench;
  try {
    await workbench.openFile('function.ts');
    await workbench.clickCodeLens('POST /ice', 'Simulate call');
    await acceptInputBox('Caller number');
    await acceptInputBox('Called number');

    const panel = await workbench.webviewContent('#timeline');
    await panel.locator('#prompt .keypad').waitFor({ timeout: 60_000 });
    // The timeline entry lists the menu's options; the prompt below it does not repeat them.
    assert.equal(await panel.locator('div', { hasText: /^\s*1 → return\(sales\)\s*$/ }).count(), 1);
    assert.match(await panel.locator('#timeline').textContent(), /Welcome to Example AB\. Press 1 for sales or 2 for support\./);
    await panel.locator('#prompt .keypad button', { hasText: /^2$/ }).click();
    assert.equal(await panel.locator('#keys').inputValue(), '2');
    await panel.locator('#prompt button', { hasText: 'Send keys' }).click();

    await panel.locator('#outcome', { hasText: 'Call ended: CALLEEHANGUP (ANSWERED)' }).waitFor({ timeout: 60_000 });
    const timeline = await panel.locator('#timeline').textContent();
    assert.match(timeline, /Support is open from 9 to 17\. Goodbye\./);
    assert.match(timeline, /→ dice \/dice/);
    await workbench.screenshot('simulated-call-panel');

    await panel.locator('#save').click();
    const nameBox = page.locator('.quick-input-widget', { hasText: 'Save the call as a test' });
    await nameBox.waitFor();
    await nameBox.locator('.quick-input-box input').fill('support-from-ui');
    await nameBox.locator('.quick-input-box input').press('Enter');
    await panel.locator('#outcome', { hasText: 'saved to' }).waitFor();
    const saved = JSON.parse(fs.readFileSync(path.join(workspace, '.sinch', 'calls', 'support-from-ui.json'), 'utf8'));
    assert.deepEqual(saved.exchanges.map((exchange) => exchange.event), ['ice', 'pie', 'dice']);
    assert.deepEqual(saved.inputs, [{ prompt: 'menu', menuId: 'main', choice: { kind: 'keys', keys: '2' } }]);
  } catch (error) {
    failed = true;
    await workbench.screenshot('simulated-call-panel-failed').catch(() => {});
    throw error;
  }
});
