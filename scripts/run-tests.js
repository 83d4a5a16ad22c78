#!/usr/bin/env node
// Runs every compiled test file under out/test with Node's test runner. Benchmarks are not tests
// and live under out/test/bench, which is skipped.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const testRoot = path.join(root, 'out', 'test');

function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'bench' || entry.name === 'node_modules' || entry.name === 'e2e') continue;
      found.push(...findTests(full));
    } else if (entry.name.endsWith('.test.js')) {
      found.push(full);
    }
  }
  return found;
}

const files = findTests(testRoot).sort();
if (files.length === 0) {
  console.error(`No test files found under ${testRoot}; did the build run?`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
const unitStatus = result.status ?? 1;

// The end-to-end tests run the extension in code-server with headless Chromium; the runner
// installs code-server and Chromium when they are missing. SKIP_E2E=1 leaves them out.
let e2eStatus = 0;
if (process.env.SKIP_E2E === '1') {
  console.log('SKIP_E2E=1: the end-to-end tests were skipped.');
} else {
  const e2e = spawnSync(process.execPath, [path.join(root, 'test', 'e2e', 'run.js')], { cwd: root, stdio: 'inherit' });
  e2eStatus = e2e.status ?? 1;
}
process.exit(unitStatus !== 0 ? unitStatus : e2eStatus);
