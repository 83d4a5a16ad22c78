// Runs an extension-host test suite (a module exporting `run()`, as @vscode/test-electron
// expects) inside code-server. The workbench URL carries extensionDevelopmentPath and
// extensionTestsPath, so the extension host loads the suite and runs it. The page then reports
// the result through `codeAutomationExit(code)`, which is 0 when every test passed.
'use strict';

const fs = require('node:fs');
const { createRunFolders, writeUserSettings, startCodeServer, workbenchUrl } = require('./code-server');
const { launchBrowser, openPage } = require('./browser');

/** Workbench start-up messages that are unrelated to the suite. */
const noisePatterns = [
  /Ignoring fetching additional builtin extensions/,
  /Failed to load resource/,
  /Creating a socket|Resolving connection token|Resolved connection token/,
  /\[Service Worker\]|same-origin iframe|can escape its sandboxing/,
  /ChatSessionStore|copilot-instructions|Updating additional builtin extensions cache/,
];

/**
 * @param {object} options
 * @param {string} options.developmentPath absolute folder of the extension's package.json
 * @param {string} options.testsPath absolute path of the suite's index.js
 * @param {string} [options.folder] absolute folder to open in the workbench
 * @param {Record<string,string>} [options.env] extra environment for the extension host
 * @param {Record<string,unknown>} [options.settings] user settings added to the quiet defaults
 * @param {boolean} [options.workspaceTrust] open the folder in Restricted Mode (see
 *   startCodeServer)
 * @param {number} [options.timeoutMs] limit for the whole suite
 * @param {(line: string) => void} [options.log] receives the extension host's console output
 * @param {boolean} [options.keepFolderOnFailure] keep the run folder with code-server's log when
 *   the suite fails
 * @returns {Promise<number>} the suite's exit code
 */
async function runExtensionHostSuite({
  developmentPath, testsPath, folder, env, settings, workspaceTrust = false,
  timeoutMs = 180_000, log = console.log, keepFolderOnFailure = true,
}) {
  const folders = createRunFolders('sinch-e2e-host-');
  writeUserSettings(folders, settings);
  const server = await startCodeServer({ folders, env, workspaceTrust });
  let browser;
  let passed = false;
  try {
    browser = await launchBrowser();
    const page = await openPage(browser.browser, {
      onConsole: (text) => {
        if (!noisePatterns.some((pattern) => pattern.test(text))) log(text);
      },
    });
    let timer;
    const exitCode = new Promise((resolve, reject) => {
      page.exposeFunction('codeAutomationLog', () => {}).catch(reject);
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).catch(reject);
      page.on('crash', () => reject(new Error('The workbench page crashed.')));
      timer = setTimeout(() => reject(new Error(`The extension-host suite did not finish within ${timeoutMs} ms; ` +
        `code-server log: ${server.logFile}`)), timeoutMs);
    });
    await page.goto(workbenchUrl(server, { folder, developmentPath, testsPath }));
    try {
      const code = await exitCode;
      passed = code === 0;
      // The last lines (mocha's failure details) may still be on their way to `log`.
      await page.flushConsole();
      return code;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    if (browser) await browser.close();
    await server.stop();
    // The run folder contains code-server's log, so it stays when the suite failed.
    if (passed || !keepFolderOnFailure) fs.rmSync(folders.root, { recursive: true, force: true });
    else log(`code-server's run folder was kept: ${folders.root}`);
  }
}

module.exports = { runExtensionHostSuite };
