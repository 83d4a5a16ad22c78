// One editor session for UI scenarios: code-server with the extension loaded, Chromium showing
// the workbench, and helpers that act as a user would (command palette, quick open, clicks).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const {
  createRunFolders, writeUserSettings, installExtension, startCodeServer, workbenchUrl,
} = require('./code-server');
const { launchBrowser, openPage, saveScreenshot } = require('./browser');

const repositoryRoot = path.join(__dirname, '..', '..', '..');
const screenshotFolder = path.join(repositoryRoot, 'test-results', 'e2e');

/**
 * Starts an editor session. Give `vsix` to install the packaged extension as a user would, or
 * `developmentPath` to load an extension folder as a developer would.
 *
 * @param {object} options
 * @param {string} options.folder absolute folder that the workbench opens
 * @param {string} [options.vsix]
 * @param {string} [options.developmentPath]
 * @param {Record<string,unknown>} [options.settings] user settings added to the quiet defaults
 * @param {Record<string,string>} [options.env] extra environment for code-server and the
 *   extension host
 * @param {(line: string) => void} [options.log]
 */
async function openWorkbench({ folder, vsix, developmentPath, settings, env, log = () => {} }) {
  const folders = createRunFolders('sinch-e2e-ui-');
  writeUserSettings(folders, settings);
  if (vsix) installExtension(folders, vsix);
  const server = await startCodeServer({ folders, env, onOutput: (line) => log(`code-server: ${line}`) });
  let browser;
  try {
    browser = await launchBrowser();
    const page = await openPage(browser.browser, { onConsole: (text) => log(`page: ${text}`) });
    page.setDefaultTimeout(60_000);
    await page.goto(workbenchUrl(server, { folder, developmentPath }));
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    return new Workbench(page, server, browser, folders);
  } catch (error) {
    if (browser) await browser.close();
    await server.stop();
    throw error;
  }
}

class Workbench {
  constructor(page, server, browser, folders) {
    this.page = page;
    this.server = server;
    this.browser = browser;
    this.folders = folders;
  }

  /**
   * Stops Chromium and code-server's whole process group, and removes the run folder unless
   * `keepFolders` is set (it holds code-server's log, worth keeping after a failure).
   */
  async close({ keepFolders = false } = {}) {
    await this.browser.close();
    await this.server.stop();
    if (!keepFolders) fs.rmSync(this.folders.root, { recursive: true, force: true });
  }

  async screenshot(name) {
    return saveScreenshot(this.page, screenshotFolder, name);
  }

  /** Runs a command by its title through the command palette. */
  async runCommand(title) {
    const page = this.page;
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => {});
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await input.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens a file of the workspace by its path relative to the opened folder. */
  async openFile(relativePath) {
    const page = this.page;
    const fileName = path.basename(relativePath);
    const folderName = path.basename(path.dirname(relativePath));
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(relativePath);
    // Quick open shows the file name as the label and its folder as the description.
    let row = page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName });
    if (folderName && folderName !== '.') row = row.filter({ hasText: folderName });
    await row.first().click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    const breadcrumbs = page.locator('.editor-group-container.active .breadcrumbs-control');
    if (folderName && folderName !== '.') await breadcrumbs.filter({ hasText: folderName }).waitFor();
    await breadcrumbs.filter({ hasText: fileName }).waitFor();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
  }

  /** Moves the cursor of the active editor to a 1-based line with "Go to Line/Column". */
  async goToLine(line) {
    const page = this.page;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await input.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) }).waitFor();
  }

  /** Returns the code lens line whose text contains `text` in the active editor. */
  codeLensLine(text) {
    return this.page.locator('.editor-group-container.active .codelens-decoration', { hasText: text }).first();
  }

  /** Clicks the lens titled `title` on the code lens line that contains `lineText`. */
  async clickCodeLens(lineText, title) {
    const lens = this.codeLensLine(lineText).locator('a', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
    await lens.click();
  }

  /**
   * Returns a frame locator for the content of the webview view whose page contains `selector`.
   * In VS Code 1.100 each webview is an outer iframe with the content in an inner `#active-frame`.
   */
  async webviewContent(selector) {
    const page = this.page;
    const outer = page.locator('iframe.webview.ready');
    // A collapsed view keeps its webview in the page, hidden, so presence is enough.
    await outer.first().waitFor({ state: 'attached' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const count = await outer.count();
      for (let index = 0; index < count; index += 1) {
        const content = page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
        if ((await content.locator(selector).count()) > 0) return content;
      }
      if (Date.now() > deadline) throw new Error(`No webview contains ${selector} after 30 s.`);
      await page.waitForTimeout(200);
    }
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { openWorkbench, Workbench, repositoryRoot, screenshotFolder };
