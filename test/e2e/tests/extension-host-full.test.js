// Runs the whole extension-host suite in code-server with the workspace trusted, the breakpoint
// rebinding test included. Its exit code decides the test.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { runRepositorySuite } = require('../lib/repository-suite');

test('extension-host suite trusted, every test', { timeout: 240_000 }, async () => {
  const lines = await runRepositorySuite('trusted', { workspaceTrust: false });
  assert.ok(lines.some((line) => /\d+ passing/.test(line)), 'mocha printed no "passing" summary');
});
