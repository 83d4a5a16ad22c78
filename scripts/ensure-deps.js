#!/usr/bin/env node
// Installs the repository's npm dependencies when they are missing or older than the lockfile,
// so that `npm start` and `npm test` work on a fresh clone without a separate install step.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const lockfile = path.join(root, 'package-lock.json');
const installedMarker = path.join(root, 'node_modules', '.package-lock.json');

function isInstalled() {
  if (!fs.existsSync(installedMarker)) return false;
  return fs.statSync(installedMarker).mtimeMs >= fs.statSync(lockfile).mtimeMs;
}

if (!isInstalled()) {
  console.log('Installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm ci failed with exit code ${result.status}; run it by hand to see why.`);
    process.exit(result.status ?? 1);
  }
}
