// Starts code-server 4.100.3 (VS Code 1.100.3 served to a browser) on 127.0.0.1 with fresh,
// throwaway user data, extensions and XDG folders, so that runs are independent of each other
// and of the home folder.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnGroup, stopGroup } = require('./processes');

const e2eDir = path.join(__dirname, '..');
const codeServerEntry = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** User settings that keep a headless run quiet and offline. */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'remote.autoForwardPorts': false,
  'git.enabled': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

/** Returns a port on 127.0.0.1 that was free a moment ago. */
function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates a run folder under the system temp folder with the user-data, extensions and XDG
 * folders of one code-server run.
 */
function createRunFolders(prefix = 'sinch-e2e-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const folders = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
    logFile: path.join(root, 'code-server.log'),
    configFile: path.join(root, 'code-server.yaml'),
  };
  for (const [name, folder] of Object.entries(folders)) {
    if (name !== 'root' && name !== 'logFile' && name !== 'configFile') fs.mkdirSync(folder, { recursive: true });
  }
  return folders;
}

function writeUserSettings(folders, extraSettings = {}) {
  const userFolder = path.join(folders.userData, 'User');
  fs.mkdirSync(userFolder, { recursive: true });
  const settings = { ...baseSettings, ...extraSettings };
  fs.writeFileSync(path.join(userFolder, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

function codeServerEnvironment(folders, extraEnv = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: folders.xdgConfig,
    XDG_DATA_HOME: folders.xdgData,
    XDG_CACHE_HOME: folders.xdgCache,
    // An empty gallery configuration turns the extension marketplace off.
    EXTENSIONS_GALLERY: '{}',
    ...extraEnv,
  };
}

function assertCodeServerInstalled() {
  if (!fs.existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed (${codeServerEntry} is missing); ` +
      'run `node scripts/ensure-e2e.js` first.');
  }
}

/** Installs a .vsix into the run's extensions folder with code-server's own installer. */
function installExtension(folders, vsixPath) {
  assertCodeServerInstalled();
  if (!fs.existsSync(vsixPath)) throw new Error(`The extension package ${vsixPath} does not exist.`);
  const result = spawnSync(process.execPath, [
    codeServerEntry,
    '--user-data-dir', folders.userData,
    '--extensions-dir', folders.extensions,
    '--config', folders.configFile,
    '--install-extension', vsixPath,
    '--force',
  ], { env: codeServerEnvironment(folders), encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsixPath} failed with exit code ` +
      `${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  }
}

function requestHealth(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts code-server in a process group of its own and resolves once it logged that it listens
 * and `/healthz` returns 200. Rejects when the process exits first or after `timeoutMs`.
 *
 * @param {object} options
 * @param {ReturnType<typeof createRunFolders>} options.folders
 * @param {string} [options.openFolder] folder that the workbench opens when the URL names none
 * @param {Record<string,string>} [options.env] extra environment for code-server and so for the
 *   extension host
 * @param {(line: string) => void} [options.onOutput] receives every output line
 * @param {number} [options.port] port on 127.0.0.1; a free one when not given
 * @param {boolean} [options.workspaceTrust] keep workspace trust on, so that an opened folder
 *   that was never trusted is in Restricted Mode (also needs the setting
 *   `security.workspace.trust.enabled: true`)
 */
async function startCodeServer({ folders, openFolder, env = {}, onOutput, timeoutMs = 60_000, port, workspaceTrust = false }) {
  assertCodeServerInstalled();
  const listenPort = port ?? (await findFreePort());
  fs.writeFileSync(folders.configFile, `bind-addr: 127.0.0.1:${listenPort}\nauth: none\ncert: false\n`);

  const args = [
    codeServerEntry,
    '--config', folders.configFile,
    '--bind-addr', `127.0.0.1:${listenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', folders.userData,
    '--extensions-dir', folders.extensions,
  ];
  // Without workspace trust every folder is trusted, which is what most tests need.
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (openFolder) args.push(openFolder);

  const logStream = fs.createWriteStream(folders.logFile);
  const child = spawnGroup(process.execPath, args, {
    env: codeServerEnvironment(folders, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  const url = `http://127.0.0.1:${listenPort}/`;
  const stop = async () => {
    if (pgid !== undefined) await stopGroup(pgid);
    logStream.end();
  };

  // Resolves on code-server's "HTTP server listening on" line, rejects when it exits first.
  const listening = new Promise((resolve, reject) => {
    const forwardLines = (stream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        logStream.write(chunk);
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          if (line.includes('HTTP server listening on')) resolve();
          if (onOutput) onOutput(line);
        }
      });
    };
    forwardLines(child.stdout);
    forwardLines(child.stderr);
    child.once('error', (error) => reject(new Error(`code-server could not be started: ${error.message}`)));
    child.once('exit', (code, signal) => {
      reject(new Error(`code-server stopped with exit code ${code ?? signal}; log: ${folders.logFile}`));
    });
  });
  listening.catch(() => {});

  const deadline = Date.now() + timeoutMs;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms; log: ${folders.logFile}`)), timeoutMs);
  });
  try {
    await Promise.race([listening, timeout]);
    while (!(await requestHealth(listenPort))) {
      if (child.exitCode !== null) throw new Error(`code-server stopped before /healthz answered; log: ${folders.logFile}`);
      if (Date.now() >= deadline) throw new Error(`code-server's /healthz did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { url, port: listenPort, pgid, child, stop, logFile: folders.logFile };
}

/**
 * Builds a workbench URL that opens `folder` and passes extensionDevelopmentPath and
 * extensionTestsPath in the `payload` query parameter, as vscode-remote URIs of this server
 * (code-server has no command-line flag for them).
 */
function workbenchUrl(server, { folder, developmentPath, testsPath } = {}) {
  const remote = (filePath) => `vscode-remote://127.0.0.1:${server.port}${filePath}`;
  const payload = [];
  if (developmentPath) payload.push(['extensionDevelopmentPath', remote(developmentPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (payload.length > 0) payload.push(['skipWelcome', 'true']);
  const query = [];
  // Slashes stay readable in the printed URL; the workbench accepts them unencoded.
  if (folder) query.push(`folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`);
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return query.length > 0 ? `${server.url}?${query.join('&')}` : server.url;
}

module.exports = {
  codeServerEntry,
  createRunFolders,
  writeUserSettings,
  installExtension,
  startCodeServer,
  workbenchUrl,
  findFreePort,
};
