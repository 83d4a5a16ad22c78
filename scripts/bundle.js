#!/usr/bin/env node
// Bundles the extension, the language server and the runtime into dist/ with esbuild.
// Type-checking is done separately by `tsc -b`.
const esbuild = require('esbuild');
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const production = process.argv.includes('--production');

/** Each entry: [source file, output file, platform]. Missing sources are skipped. */
const entries = [
  ['client/src/extension.ts', 'dist/client/extension.js', 'node'],
  // Loaded by the extension right after activation, so activation does not parse the LSP client.
  ['client/src/lsp/language-client.ts', 'dist/client/language-client.js', 'node'],
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
  await buildFunctionsRuntimeModule();
}

/**
 * Builds the compatible `@sinch/functions-runtime` stand-in as a package folder at
 * dist/runtime/functions-runtime/: package.json, index.js, voice.js and the .d.ts files. The
 * runtime resolves `@sinch/functions-runtime` to this folder when a project has no installed copy.
 * The declarations come from `tsc -b runtime/functions-runtime` (out/runtime/functions-runtime/src/).
 */
async function buildFunctionsRuntimeModule() {
  const source = path.join(root, 'runtime', 'functions-runtime');
  if (!fs.existsSync(path.join(source, 'src', 'index.ts'))) return;
  const target = path.join(root, 'dist', 'runtime', 'functions-runtime');
  const declarations = path.join(root, 'out', 'runtime', 'functions-runtime', 'src');

  const tsc = require.resolve('typescript/bin/tsc');
  const check = spawnSync(process.execPath, [tsc, '-b', source], { cwd: root, stdio: 'inherit' });
  if (check.status !== 0) throw new Error('tsc -b runtime/functions-runtime failed; see the errors above.');

  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  await Promise.all(
    ['index', 'voice'].map((name) =>
      esbuild.build({
        entryPoints: [path.join(source, 'src', `${name}.ts`)],
        outfile: path.join(target, `${name}.js`),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: production ? false : 'linked',
        logLevel: 'warning',
      }),
    ),
  );
  for (const file of fs.readdirSync(declarations)) {
    if (file.endsWith('.d.ts')) fs.copyFileSync(path.join(declarations, file), path.join(target, file));
  }
  const manifest = {
    name: '@sinch/functions-runtime',
    version: '0.0.0-local',
    description: 'Local stand-in for @sinch/functions-runtime, served by sinch-functions-dev.',
    type: 'commonjs',
    main: './index.js',
    types: './index.d.ts',
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './voice': { types: './voice.d.ts', default: './voice.js' },
      './voice/v2': { types: './voice.d.ts', default: './voice.js' },
      './package.json': './package.json',
    },
  };
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
