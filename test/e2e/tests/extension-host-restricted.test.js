// Runs the extension-host suite in code-server with the workspace in Restricted Mode, where only
// the suite's Restricted Mode tests run. Its exit code decides the test, and its output is
// printed as it arrives.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { runRepositorySuite } = require('../lib/repository-suite');

test('extension-host suite in Restricted Mode', { timeout: 240_000 }, async () => {
  const lines = await runRepositorySuite('restricted', { workspaceTrust: true });
  assert.ok(lines.some((line) => /\d+ passing/.test(line)), 'mocha printed no "passing" summary');
  assert.ok(!lines.some((line) => /\d+ failing/.test(line)), 'mocha reported failing tests');
  // In a trusted window the Restricted Mode tests are skipped, so at least one must have passed.
  const heading = lines.findIndex((line) => line.includes('in Restricted Mode'));
  assert.notEqual(heading, -1, 'the suite printed no Restricted Mode heading');
  assert.ok(lines.slice(heading).some((line) => line.includes('✔')), 'no Restricted Mode test passed');
});
