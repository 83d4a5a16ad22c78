#!/usr/bin/env node
// Runs the end-to-end tests in code-server and headless Chromium: installs what is missing
// (scripts/ensure-e2e.js), packages the extension when a test needs the .vsix, then runs the test
// files one at a time with Node's test runner. Screenshots go to test-results/e2e/.
//
// Usage: node test/e2e/run.js [test file names in test/e2e/tests, e.g. extension-host.test.js]
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const testsFolder = path.join(__dirname, 'tests');

/**
 * Known test files, in order. `npm test` runs those with `byDefault` set; a file gets it only
 * once it passed twice in a row. `needsVsix` makes the runner package the extension first.
 */
const testFiles = [
  { file: 'harness.test.js', needsVsix: false, byDefault: true },
  { file: 'editor-ui.test.js', needsVsix: true, byDefault: true },
  { file: 'simulate-call-ui.test.js', needsVsix: false, byDefault: true },
  { file: 'extension-host-restricted.test.js', needsVsix: false, byDefault: true },
  { file: 'extension-host.test.js', needsVsix: false, byDefault: true },
  // The whole trusted suite, including the breakpoint rebinding test that extension-host.test.js
  // leaves out (see the note there).
  { file: 'extension-host-full.test.js', needsVsix: false, byDefault: false },
];

/** The end-to-end part must finish within 5 minutes on a 2-core machine. */
const runTimeoutMs = 5 * 60_000;

function main() {
  const requested = process.argv.slice(2);
  const selected = requested.length === 0
    ? testFiles.filter((entry) => entry.byDefault)
    : requested.map((name) => testFiles.find((entry) => entry.file === name) ?? { file: name, needsVsix: true });
  for (const { file } of selected) {
    if (!fs.existsSync(path.join(testsFolder, file))) {
      console.error(`End-to-end test file not found: ${path.join(testsFolder, file)}`);
      return 1;
    }
  }

  const { ensureE2e } = require('../../scripts/ensure-e2e');
  try {
    ensureE2e();
  } catch (error) {
    console.error(`Installing the end-to-end tools failed: ${error.message}`);
    return 1;
  }

  if (selected.some((entry) => entry.needsVsix)) {
    console.log('Packaging the extension (npm run package)…');
    const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: root, stdio: 'inherit' });
    if (packaged.status !== 0) {
      console.error(`npm run package failed with exit code ${packaged.status ?? packaged.signal}.`);
      return 1;
    }
    // Packaging leaves minified bundles without source maps in dist/; the tests that load the
    // repository folder and later debugging sessions get the development bundles back.
    const rebundled = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: 'inherit' });
    if (rebundled.status !== 0) {
      console.error(`node scripts/bundle.js failed with exit code ${rebundled.status ?? rebundled.signal}.`);
      return 1;
    }
  }

  const result = spawnSync(process.execPath, [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    ...selected.map((entry) => path.join(testsFolder, entry.file)),
  ], { cwd: root, stdio: 'inherit', timeout: runTimeoutMs, killSignal: 'SIGTERM' });
  if (result.error && result.error.code === 'ETIMEDOUT') {
    console.error(`The end-to-end tests did not finish within ${runTimeoutMs / 60_000} minutes.`);
    return 1;
  }
  return result.status ?? 1;
}

process.exit(main());
