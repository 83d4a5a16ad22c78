#!/usr/bin/env node
// Runs every benchmark script under out/test/bench one after another. Benchmarks print their
// figures and ratios; they are not tests and never fail on a number.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const benchDir = path.join(__dirname, '..', 'out', 'test', 'bench');
const scripts = fs.existsSync(benchDir)
  ? fs.readdirSync(benchDir).filter((name) => name.endsWith('-bench.js')).sort()
  : [];
let failed = 0;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const result = spawnSync(process.execPath, [path.join(benchDir, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
