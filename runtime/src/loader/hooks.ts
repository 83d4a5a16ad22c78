/**
 * Process-wide hooks into Node's CommonJS loader that let user projects load the way the
 * platform loads them:
 *
 * - `.ts`, `.cts` and `.mts` files, and `.js` files of a registered project (outside
 *   `node_modules`) that use ESM syntax, are compiled in process (see compile.ts), so ESM syntax,
 *   TypeScript and CommonJS all load with one mechanism;
 * - a relative `./x.js` specifier resolves to a sibling `x.ts` when one exists (the NodeNext
 *   convention the platform's projects follow);
 * - `@sinch/functions-runtime` and its subpaths resolve to the project's installed package, else
 *   to the compatible module that ships with this runtime.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { compileModule, needsCompiling } from './compile';

interface LoadableModule {
  filename: string;
  _compile(code: string, filename: string): unknown;
}

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown) => string;

const moduleInternals = Module as unknown as {
  _extensions: Record<string, (module: LoadableModule, filename: string) => void>;
  _resolveFilename: ResolveFilename;
};

/** A project whose files are compiled by these hooks; notified of every file it loads. */
export interface RegisteredProject {
  dir: string;
  onFileLoaded(file: string): void;
}

const projects = new Set<RegisteredProject>();
let installed = false;

export const FUNCTIONS_RUNTIME_PACKAGE = '@sinch/functions-runtime';

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function projectOf(file: string): RegisteredProject | undefined {
  if (file.split(path.sep).includes('node_modules')) return undefined;
  for (const project of projects) {
    if (isInside(file, project.dir)) return project;
  }
  return undefined;
}

/**
 * The folder of the compatible `@sinch/functions-runtime` package that ships with this runtime
 * (`dist/runtime/functions-runtime`), found from this file whether it runs bundled from dist/ or
 * compiled from out/.
 */
function fallbackPackageDir(): string | undefined {
  const candidates = [
    path.join(__dirname, 'functions-runtime'),
    path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'runtime', 'functions-runtime'),
  ];
  return candidates.find((candidate) => fs.existsSync(path.join(candidate, 'package.json')));
}

/** Resolves `@sinch/functions-runtime[/subpath]` inside the compatible package by its exports map. */
function resolveFallback(request: string): string | undefined {
  const dir = fallbackPackageDir();
  if (dir === undefined) return undefined;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    exports?: Record<string, { default?: string } | string>;
  };
  const entry = manifest.exports?.[`.${request.slice(FUNCTIONS_RUNTIME_PACKAGE.length)}`];
  const target = typeof entry === 'string' ? entry : entry?.default;
  return target === undefined ? undefined : path.join(dir, target);
}

function compileInto(module: LoadableModule, filename: string): void {
  // Recorded first, so a file that fails to load is still watched for the fix.
  projectOf(filename)?.onFileLoaded(filename);
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(needsCompiling(source, filename) ? compileModule(source, filename) : source, filename);
}

/** Installs the hooks once per process; later calls only register the project. */
export function registerProject(project: RegisteredProject): () => void {
  projects.add(project);
  installHooks();
  return () => projects.delete(project);
}

function installHooks(): void {
  if (installed) return;
  installed = true;

  const extensions = moduleInternals._extensions;
  for (const extension of ['.ts', '.cts', '.mts']) {
    extensions[extension] = compileInto;
  }
  const loadJs = extensions['.js'];
  extensions['.js'] = (module, filename) => {
    if (projectOf(filename) !== undefined) {
      compileInto(module, filename);
    } else {
      loadJs(module, filename);
    }
  };

  const resolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveWithProjectRules(request, parent, isMain, options) {
    const parentFile = parent?.filename ?? undefined;
    if (parentFile && request.startsWith('.') && projectOf(parentFile) !== undefined) {
      const sibling = typeScriptSibling(path.resolve(path.dirname(parentFile), request));
      if (sibling !== undefined) return sibling;
    }
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (error) {
      const isRuntimePackage =
        request === FUNCTIONS_RUNTIME_PACKAGE || request.startsWith(`${FUNCTIONS_RUNTIME_PACKAGE}/`);
      if (!isRuntimePackage || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      const fallback = resolveFallback(request);
      if (fallback === undefined) throw error;
      return fallback;
    }
  };
}

/** Maps `x.js`/`x.mjs`/`x.cjs` to an existing `x.ts`/`x.mts`/`x.cts`. */
function typeScriptSibling(file: string): string | undefined {
  const match = /\.(m|c)?js$/.exec(file);
  if (!match) return undefined;
  const candidate = `${file.slice(0, match.index)}.${match[1] ?? ''}ts`;
  return fs.existsSync(candidate) ? candidate : undefined;
}
