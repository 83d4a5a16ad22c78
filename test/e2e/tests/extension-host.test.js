// Runs the extension's mocha suite (test/extension-host, compiled to out/test/extension-host) in
// code-server's extension host, the same suite that @vscode/test-electron runs on a desktop VS
// Code. The suite's exit code decides each test; its output is printed as it arrives.
//
// The suite needs a workspace folder that is a copy of examples/custom-endpoints (it edits and
// saves function.ts). It runs twice: trusted for the main suite, and in Restricted Mode, where
// only its Restricted Mode part runs.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { findFreePort } = require('../lib/code-server');
const { runExtensionHostSuite } = require('../lib/extension-host');

const repositoryRoot = path.join(__dirname, '..', '..', '..');
const suiteIndex = path.join(repositoryRoot, 'out', 'test', 'extension-host', 'index.js');
const extensionMain = path.join(repositoryRoot, 'dist', 'client', 'extension.js');

/** Copies examples/custom-endpoints into a throwaway folder. */
function copyExample() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-e2e-suite-'));
  fs.cpSync(path.join(repositoryRoot, 'examples', 'custom-endpoints'), folder, { recursive: true });
  return folder;
}

async function runSuite(name, { workspaceTrust }) {
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

test('extension-host suite trusted', { timeout: 240_000 }, async () => {
  const lines = await runSuite('trusted', { workspaceTrust: false });
  assert.ok(lines.some((line) => /\d+ passing/.test(line)), 'mocha printed no "passing" summary');
});

test('extension-host suite in Restricted Mode', { timeout: 240_000 }, async () => {
  const lines = await runSuite('restricted', { workspaceTrust: true });
  assert.ok(lines.some((line) => /\d+ passing/.test(line)), 'mocha printed no "passing" summary');
});
