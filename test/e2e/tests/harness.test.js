// Checks the code-server harness itself with a throwaway extension: a suite that passes must
// give exit code 0 and one that throws must not, or no extension-host result could be trusted.
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');
const { runExtensionHostSuite } = require('../lib/extension-host');

const probeFolder = path.join(__dirname, '..', 'fixtures', 'harness-probe');
const probeSuite = path.join(probeFolder, 'suite', 'index.js');

test('probe suite passing gives exit code 0', { timeout: 120_000 }, async () => {
  const lines = [];
  const exitCode = await runExtensionHostSuite({
    developmentPath: probeFolder,
    testsPath: probeSuite,
    folder: probeFolder,
    log: (line) => lines.push(line),
  });
  assert.equal(exitCode, 0, `extension host output:\n${lines.join('\n')}`);
  assert.ok(lines.some((line) => line.includes('harness probe suite passed in a web workbench')),
    `the suite's console output was not forwarded:\n${lines.join('\n')}`);
});

test('probe suite throwing gives non-zero exit code', { timeout: 120_000 }, async () => {
  const lines = [];
  const exitCode = await runExtensionHostSuite({
    developmentPath: probeFolder,
    testsPath: probeSuite,
    folder: probeFolder,
    env: { HARNESS_PROBE_FAIL: '1' },
    keepFolderOnFailure: false,
    log: (line) => lines.push(line),
  });
  assert.notEqual(exitCode, 0);
  assert.ok(lines.some((line) => line.includes('HARNESS_PROBE_FAIL=1 requested a failure')),
    `the suite's error was not forwarded:\n${lines.join('\n')}`);
});
