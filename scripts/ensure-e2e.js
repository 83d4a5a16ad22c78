#!/usr/bin/env node
// Installs what the end-to-end tests and `npm start` need and are missing: the Debian packages
// that code-server's install and the browser need, a local seed for the ripgrep download that
// code-server's install would otherwise fetch from the internet, and the npm packages of
// test/e2e (code-server and playwright-core), which are kept out of the extension's own
// dependencies so that a plain `npm ci` at the top level stays small.
//
// Usable as a script (`node scripts/ensure-e2e.js`) and as a module (`ensureE2e()`).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const e2eDir = path.join(root, 'test', 'e2e');

/**
 * Debian packages: libkrb5-dev has the headers that code-server's `kerberos` module compiles
 * against, ripgrep provides the `rg` binary that seeds the ripgrep download cache, and chromium
 * is the browser that playwright-core drives.
 */
const debianPackages = ['libkrb5-dev', 'ripgrep', 'chromium'];

/**
 * `@vscode/ripgrep` 1.15.11 (a dependency of code-server 4.100.3) downloads ripgrep v13.0.0-10
 * from GitHub in its postinstall unless this archive is already in its cache folder.
 */
const ripgrepPackageVersion = '1.15.11';
const ripgrepReleaseVersion = 'v13.0.0-10';
const ripgrepTargets = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

function log(message) {
  console.log(`[ensure-e2e] ${message}`);
}

function fail(message) {
  const error = new Error(message);
  error.ensureE2e = true;
  throw error;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    fail(`\`${command} ${args.join(' ')}\` failed with exit code ${result.status ?? result.signal}.`);
  }
}

function isDebianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'install ok installed';
}

function ensureDebianPackages() {
  if (process.platform !== 'linux') {
    fail(`The end-to-end tools are set up for Debian Linux only; this is ${process.platform}.`);
  }
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) {
    fail(`dpkg-query was not found. Install ${debianPackages.join(', ')} (or their equivalents) ` +
      'with your system package manager and run this again.');
  }
  const missing = debianPackages.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    fail(`Missing Debian packages: ${missing.join(' ')}. Install them with ` +
      `\`sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\` and run this again.`);
  }
  log(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...missing], { env });
}

function findRipgrepBinary() {
  for (const candidate of ['/usr/bin/rg', '/usr/local/bin/rg']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  fail('The ripgrep binary `rg` was not found in /usr/bin or /usr/local/bin; install the ' +
    'Debian package ripgrep.');
}

/** Returns the path of the archive that `@vscode/ripgrep`'s postinstall looks for first. */
function ripgrepCacheArchive() {
  const target = ripgrepTargets[process.arch];
  if (!target) {
    fail(`No ripgrep cache seed is known for the CPU architecture ${process.arch}; ` +
      `supported: ${Object.keys(ripgrepTargets).join(', ')}.`);
  }
  const folder = path.join(os.tmpdir(), `vscode-ripgrep-cache-${ripgrepPackageVersion}`);
  return path.join(folder, `ripgrep-${ripgrepReleaseVersion}-${target}.tar.gz`);
}

function ensureRipgrepCacheSeed() {
  const archive = ripgrepCacheArchive();
  if (fs.existsSync(archive)) return;
  const binary = findRipgrepBinary();
  log(`Seeding the ripgrep download cache with ${binary}: ${archive}`);
  fs.mkdirSync(path.dirname(archive), { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ripgrep-seed-'));
  try {
    fs.copyFileSync(binary, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const partial = `${archive}.partial-${process.pid}`;
    run('tar', ['-czf', partial, '-C', staging, 'rg']);
    fs.renameSync(partial, archive);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** True when test/e2e/node_modules was installed from the current lockfile. */
function areNpmPackagesInstalled() {
  const marker = path.join(e2eDir, 'node_modules', '.package-lock.json');
  const lockfile = path.join(e2eDir, 'package-lock.json');
  const codeServer = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(marker) || !fs.existsSync(codeServer)) return false;
  return fs.statSync(marker).mtimeMs >= fs.statSync(lockfile).mtimeMs;
}

function ensureNpmPackages() {
  // Without these files npm would walk up to the repository's own package.json and reinstall it.
  for (const file of ['package.json', 'package-lock.json']) {
    if (!fs.existsSync(path.join(e2eDir, file))) fail(`${path.join(e2eDir, file)} is missing.`);
  }
  if (areNpmPackagesInstalled()) return;
  log('Installing code-server and playwright-core in test/e2e (npm ci, about a minute)…');
  const env = {
    ...process.env,
    // code-server's install runs a nested `npx node-gyp`, which otherwise stops to ask.
    npm_config_yes: 'true',
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
  };
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: e2eDir, env });
}

function ensureE2e() {
  ensureDebianPackages();
  ensureRipgrepCacheSeed();
  ensureNpmPackages();
}

module.exports = { ensureE2e, e2eDir };

if (require.main === module) {
  try {
    ensureE2e();
  } catch (error) {
    console.error(`[ensure-e2e] ${error.message}`);
    process.exit(1);
  }
}
