#!/usr/bin/env node
// Opens the extension in a browser-based VS Code: installs what is missing, builds and packages
// the extension, starts code-server on 127.0.0.1 with the .vsix installed and examples/ opened,
// and prints the URL to open. Ctrl+C stops code-server with everything it started.
//
// Usage: node scripts/start-editor.js [--port N] [--folder PATH] [--skip-package]
//   --port N        port on 127.0.0.1 (default 8080, or a free port when 8080 is taken; 0 picks
//                   a free port)
//   --folder PATH   folder to open (default: examples/)
//   --skip-package  reuse the sinch-functions-dev.vsix from an earlier `npm run package`
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.join(__dirname, '..');
const vsixPath = path.join(root, 'sinch-functions-dev.vsix');
const defaultPort = 8080;

function parseArguments(argv) {
  const options = { port: undefined, folder: path.join(root, 'examples'), skipPackage: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--port') {
      const value = argv[++index];
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`Invalid --port ${JSON.stringify(value)}: give a whole number from 0 (any free port) to 65535.`);
      }
      options.port = port;
    } else if (argument === '--folder') {
      const value = argv[++index];
      if (!value) throw new Error('Missing value for --folder: give the folder to open.');
      options.folder = path.resolve(value);
    } else if (argument === '--skip-package') {
      options.skipPackage = true;
    } else if (argument === '--help' || argument === '-h') {
      options.help = true;
    } else {
      throw new Error(`Unknown argument ${JSON.stringify(argument)}; known: --port N, --folder PATH, --skip-package.`);
    }
  }
  if (!fs.existsSync(options.folder) || !fs.statSync(options.folder).isDirectory()) {
    throw new Error(`The folder to open, ${options.folder}, does not exist or is not a folder.`);
  }
  return options;
}

/** Resolves true when nothing listens on 127.0.0.1:`port` yet. */
function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function packageExtension() {
  console.log('Building and packaging the extension (npm run package)…');
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`npm run package failed with exit code ${result.status ?? result.signal}.`);
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) {
    const header = fs.readFileSync(__filename, 'utf8').split('\n').slice(1);
    const commentLines = header.slice(0, header.findIndex((line) => !line.startsWith('//')));
    console.log(commentLines.map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
    return;
  }

  require('./ensure-e2e').ensureE2e();
  if (options.skipPackage) {
    if (!fs.existsSync(vsixPath)) throw new Error(`--skip-package was given but ${vsixPath} does not exist; run without it.`);
  } else {
    packageExtension();
  }

  // The harness lives with the end-to-end tests, which install code-server next to it.
  const {
    createRunFolders, writeUserSettings, installExtension, startCodeServer, workbenchUrl,
  } = require('../test/e2e/lib/code-server');

  let port = options.port;
  if (port === undefined) port = (await isPortFree(defaultPort)) ? defaultPort : 0;
  else if (port !== 0 && !(await isPortFree(port))) throw new Error(`Port ${port} on 127.0.0.1 is in use; choose another with --port.`);

  // A fresh user-data folder per start: code-server serves a changed extension manifest from a
  // cache of the previous window otherwise.
  const folders = createRunFolders('sinch-editor-');
  writeUserSettings(folders);
  installExtension(folders, vsixPath);
  const server = await startCodeServer({ folders, openFolder: options.folder, port: port === 0 ? undefined : port });

  let stopping = false;
  const stop = async (exitCode) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server…');
    await server.stop();
    fs.rmSync(folders.root, { recursive: true, force: true });
    process.exit(exitCode);
  };
  // These replace the harness's own signal handlers' exit, which would leave the run folder.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGHUP');
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(143));
  process.on('SIGHUP', () => stop(129));
  server.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`code-server stopped by itself (exit code ${code ?? signal}); its log: ${server.logFile}`);
    stop(code || 1);
  });

  console.log('');
  console.log(`Sinch Functions in VS Code (code-server ${require('../test/e2e/node_modules/code-server/package.json').version}) is running.`);
  console.log(`Open: ${workbenchUrl(server, { folder: options.folder })}`);
  console.log(`Log:  ${server.logFile}`);
  console.log('Press Ctrl+C to stop.');
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
