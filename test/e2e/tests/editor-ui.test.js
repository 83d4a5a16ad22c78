// Drives the packaged extension in code-server through Chromium as a user would. The scenarios
// cover diagnostics in the Problems panel, Run and Debug code lenses, the Request view, a
// breakpoint before and after an edit, and the endpoint tree with the SVAML call flow of a voice
// callback. Each test saves a screenshot under test-results/e2e/, with a "-failed" suffix when it
// failed.
//
// The tests share one editor session and run in order: later ones build on the runtime and the
// breakpoint that earlier ones started and set.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { findFreePort } = require('../lib/code-server');
const { openWorkbench, repositoryRoot } = require('../lib/workbench');

const vsixPath = path.join(repositoryRoot, 'sinch-functions-dev.vsix');
/** E2E_EXTENSION=development loads the repository folder (as F5 does) in place of the .vsix. */
const useDevelopmentFolder = process.env.E2E_EXTENSION === 'development';
const verbose = process.env.E2E_VERBOSE === '1';

/** Settings that keep typed text exactly as typed. */
const editorSettings = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.suggestOnTriggerCharacters': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'files.autoSave': 'off',
  'debug.openDebug': 'openOnDebugBreak',
};

let workspace;
let workbench;
let failed = false;

/** Copies the example projects and the e2e fixture into a throwaway workspace folder. */
function createWorkspace() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-e2e-workspace-'));
  for (const example of ['custom-endpoints', 'voice-ivr']) {
    fs.cpSync(path.join(repositoryRoot, 'examples', example), path.join(folder, example), { recursive: true });
  }
  fs.cpSync(path.join(__dirname, '..', 'fixtures', 'reserved-name'), path.join(folder, 'reserved-name'), { recursive: true });
  return folder;
}

/** Returns the 1-based number of the first line of `file` that contains `text`. */
function lineNumberOf(file, text) {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  assert.notEqual(index, -1, `${file} has no line with ${JSON.stringify(text)}`);
  return index + 1;
}

/**
 * Waits until the Request view shows a response with `status` and returns the view's frame.
 * `previousRequestId` makes it wait for a response other than the one shown before.
 */
async function waitForResponse(status, previousRequestId) {
  const view = await workbench.webviewContent('.status-line');
  // `data-status` also checks that the page sets data attributes as attributes.
  const summary = view.locator('.summary', { has: view.locator(`.status[data-status="${status}"]`, { hasText: new RegExp(`^${status} `) }) });
  if (previousRequestId) {
    await summary.filter({ hasNot: view.locator('.request-id', { hasText: previousRequestId }) }).waitFor({ timeout: 60_000 });
  } else {
    await summary.waitFor({ timeout: 60_000 });
  }
  return view;
}

/** Returns the request id of the response the Request view shows, such as "req=…". */
async function shownRequestId() {
  const view = await workbench.webviewContent('.status-line');
  return (await view.locator('.summary .request-id').textContent()).trim();
}

/** Runs one scenario and saves its screenshot, also when it fails. */
function scenario(name, body) {
  test(name, { timeout: 90_000 }, async () => {
    assert.ok(workbench, 'the editor session did not start');
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    try {
      await body();
      await workbench.screenshot(slug);
    } catch (error) {
      failed = true;
      await workbench.screenshot(`${slug}-failed`).catch(() => {});
      throw error;
    }
  });
}

before(async () => {
  if (!useDevelopmentFolder) assert.ok(fs.existsSync(vsixPath), `${vsixPath} is missing; run \`npm run package\` first`);
  workspace = createWorkspace();
  // Other test runs on this machine may hold the runtime's default port 3000.
  const runtimePort = await findFreePort();
  workbench = await openWorkbench({
    folder: workspace,
    ...(useDevelopmentFolder ? { developmentPath: repositoryRoot } : { vsix: vsixPath }),
    settings: { ...editorSettings, 'sinchFunctions.runtime.port': runtimePort },
    log: verbose ? (line) => console.log(line) : () => {},
  });
});

after(async () => {
  if (workbench) await workbench.close({ keepFolders: failed });
  if (workspace && !failed) fs.rmSync(workspace, { recursive: true, force: true });
});

scenario('reserved name warning and lenses', async () => {
  const { page } = workbench;
  await workbench.openFile('reserved-name/function.ts');
  await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  await page.locator('.markers-panel .monaco-tl-row', { hasText: 'is a reserved voice callback name' }).first().waitFor();

  await workbench.openFile('custom-endpoints/function.ts');
  for (const route of ['/status', '/inbound', '/admin']) {
    const line = workbench.codeLensLine(route);
    // Lenses below the visible lines exist but are hidden until scrolled to.
    await line.locator('a', { hasText: /^Run$/ }).waitFor({ state: 'attached' });
    await line.locator('a', { hasText: /^Debug$/ }).waitFor({ state: 'attached' });
  }
});

scenario('run status shows response', async () => {
  await workbench.clickCodeLens('/status', 'Run');
  const view = await waitForResponse(200);
  const body = await view.locator('.body-view').textContent();
  assert.match(body, /"status":\s*"ok"/);
});

scenario('debug stops at breakpoint', async () => {
  const { page } = workbench;
  const file = path.join(workspace, 'custom-endpoints', 'function.ts');
  const line = lineNumberOf(file, 'export async function status') + 1;
  await workbench.openFile('custom-endpoints/function.ts');
  await workbench.goToLine(line);
  await workbench.runCommand('Debug: Toggle Breakpoint');
  await page.locator('.editor-group-container.active .codicon-debug-breakpoint').first().waitFor();

  const previousRequestId = await shownRequestId();
  await stopAtBreakpointAndContinue(line, 'debug-stopped-before-edit');
  const view = await waitForResponse(200, previousRequestId);
  assert.match(await view.locator('.body-view').textContent(), /"status":\s*"ok"/);
});

/**
 * Clicks Debug over `status`, checks that the editor stops on `line` with the handler's locals
 * in the Variables view, and continues.
 */
async function stopAtBreakpointAndContinue(line, screenshotName) {
  const { page } = workbench;
  await workbench.clickCodeLens('/status', 'Debug');
  await page.locator('.editor-group-container.active .debug-top-stack-frame-line').waitFor();
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) }).waitFor();
  const variables = page.locator('.debug-pane .monaco-list-row, .debug-variables .monaco-list-row');
  await variables.filter({ hasText: /^request\b/ }).first().waitFor();
  await variables.filter({ hasText: /^context\b/ }).first().waitFor();
  await workbench.screenshot(screenshotName);

  await workbench.runCommand('Debug: Continue');
  await page.locator('.editor-group-container.active .debug-top-stack-frame-line').waitFor({ state: 'detached' });
  await workbench.runCommand('Sinch Functions: Focus on Request View');
}

scenario('edit and save then debug again', async () => {
  const { page } = workbench;
  const file = path.join(workspace, 'custom-endpoints', 'function.ts');
  const breakpointLine = lineNumberOf(file, 'export async function status') + 1;
  const previousRequestId = await shownRequestId();

  await workbench.openFile('custom-endpoints/function.ts');
  await workbench.goToLine(lineNumberOf(file, "status: 'ok',"));
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type("status: 'edited in the editor',");
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  assert.match(fs.readFileSync(file, 'utf8'), /status: 'edited in the editor',/);

  await stopAtBreakpointAndContinue(breakpointLine, 'debug-stopped-after-edit');
  const view = await waitForResponse(200, previousRequestId);
  assert.match(await view.locator('.body-view').textContent(), /"status":\s*"edited in the editor"/);
});

scenario('voice callbacks and call flow', async () => {
  const { page } = workbench;
  const previousRequestId = await shownRequestId();
  await workbench.runCommand('Sinch Functions: Focus on Endpoints View');
  // The tree renders only the rows that fit, so the Request view is collapsed to make room; Run
  // expands it again.
  const requestHeader = page.locator('.pane-header[aria-expanded="true"]', { hasText: /^Request/ });
  if ((await requestHeader.count()) > 0) await requestHeader.click();
  const tree = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Endpoints' }) });
  const project = tree.locator('.monaco-list-row', { hasText: 'voice-ivr' });
  await project.waitFor();
  for (const callback of ['ice', 'pie', 'dice']) {
    await tree.locator('.monaco-list-row', { hasText: new RegExp(`^${callback}POST /${callback}`) }).waitFor();
  }

  const ice = tree.locator('.monaco-list-row', { hasText: /^icePOST \/ice/ });
  await ice.hover();
  await ice.locator('.action-label[aria-label^="Run Endpoint"]').click();
  const view = await waitForResponse(200, previousRequestId);
  await view.locator('vscode-tab-header', { hasText: 'Call Flow' }).click();
  const steps = view.locator('ol.flow .step');
  await steps.first().waitFor();
  await steps.first().scrollIntoViewIfNeeded();
  const names = await view.locator('ol.flow .step .step-name').allTextContents();
  assert.ok(names.includes('answer'), `call flow steps: ${names.join(', ')}`);
  assert.ok(names.includes('runMenu'), `call flow steps: ${names.join(', ')}`);
});
