#!/usr/bin/env node
// Bundles the extension, the language server and the runtime into dist/ with esbuild.
// Type-checking is done separately by `tsc -b`.
const esbuild = require('esbuild');
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const production = process.argv.includes('--production');

/** Each entry: [source file, output file, platform]. Missing sources are skipped. */
const entries = [
  ['client/src/extension.ts', 'dist/client/extension.js', 'node'],
  ['client/webview/main.ts', 'dist/client/webview.js', 'browser'],
  ['server/src/main.ts', 'dist/server/server.js', 'node'],
  ['runtime/src/cli.ts', 'dist/runtime/cli.js', 'node'],
];

async function main() {
  const builds = entries
    .filter(([source]) => fs.existsSync(path.join(root, source)))
    .map(([source, outfile, platform]) =>
      esbuild.build({
        entryPoints: [path.join(root, source)],
        outfile: path.join(root, outfile),
        bundle: true,
        platform,
        format: platform === 'browser' ? 'esm' : 'cjs',
        target: platform === 'browser' ? 'es2022' : 'node20',
        // The editor provides `vscode`; TypeScript is loaded lazily from node_modules so that
        // the 9 MB compiler is parsed only by processes that compile or analyse code.
        external: platform === 'node' ? ['vscode', 'typescript'] : [],
        sourcemap: production ? false : 'linked',
        minify: production,
        logLevel: 'warning',
      }),
    );
  await Promise.all(builds);
  copyFunctionsRuntimeModule();
}

/** Copies the compatible `@sinch/functions-runtime` module next to the runtime bundle. */
function copyFunctionsRuntimeModule() {
  const source = path.join(root, 'runtime', 'functions-runtime');
  if (!fs.existsSync(source)) return;
  const target = path.join(root, 'dist', 'runtime', 'functions-runtime');
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true });
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
