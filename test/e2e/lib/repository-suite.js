// Runs the extension's own mocha suite (test/extension-host, compiled to out/test/extension-host)
// in code-server's extension host, the same suite that @vscode/test-electron runs on a desktop
// VS Code. The suite needs a workspace folder that is a copy of examples/custom-endpoints,
// because it edits and saves function.ts.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { findFreePort } = require('./code-server');
const { runExtensionHostSuite } = require('./extension-host');

const repositoryRoot = path.join(__dirname, '..', '..', '..');
const suiteIndex = path.join(repositoryRoot, 'out', 'test', 'extension-host', 'index.js');
const extensionMain = path.join(repositoryRoot, 'dist', 'client', 'extension.js');

/** Copies examples/custom-endpoints into a throwaway folder. */
function copyExample() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-e2e-suite-'));
  fs.cpSync(path.join(repositoryRoot, 'examples', 'custom-endpoints'), folder, { recursive: true });
  return folder;
}

/**
 * Runs the suite on a fresh copy of examples/custom-endpoints, printing its output with `name`
 * in front of each line, and returns the output lines. Throws when the suite failed.
 * `workspaceTrust` opens the copy in Restricted Mode, where only the suite's Restricted Mode part
 * runs. `skipTests` is a regular expression of test titles the suite leaves out.
 */
async function runRepositorySuite(name, { workspaceTrust, skipTests }) {
  for (const required of [suiteIndex, extensionMain]) {
    assert.ok(fs.existsSync(required), `${required} is missing; run \`npm run build\` first`);
  }
  const folder = copyExample();
  // The runtime's default port 3000 may be taken by another run on this machine.
  const settings = { 'sinchFunctions.runtime.port': await findFreePort() };
  if (workspaceTrust) {
    settings['security.workspace.trust.enabled'] = true;
    settings['security.workspace.trust.startupPrompt'] = 'never';
  }
  const lines = [];
  try {
    const exitCode = await runExtensionHostSuite({
      developmentPath: repositoryRoot,
      testsPath: suiteIndex,
      folder,
      settings,
      workspaceTrust,
      env: skipTests ? { SINCH_EXTENSION_TESTS_SKIP: skipTests } : {},
      log: (line) => {
        lines.push(line);
        process.stdout.write(`[${name}] ${line}\n`);
      },
    });
    assert.equal(exitCode, 0, `the extension-host suite failed (${name}); its output is above`);
    return lines;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

module.exports = { runRepositorySuite };
