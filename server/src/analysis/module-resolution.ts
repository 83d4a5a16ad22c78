/**
 * Resolves the relative specifiers of `export … from` statements to files. Function projects use
 * NodeNext module resolution, where `./voice.js` names the TypeScript source `voice.ts`. Package
 * specifiers are not followed: their exports are outside the project.
 */
import * as path from 'node:path';
import type { SourceHost } from './source-host';

export interface ResolvedModule {
  /** The file found, or undefined. */
  path: string | undefined;
  /** Every path tried, so that creating one of them later refreshes the result. */
  candidates: string[];
  /** True for a package specifier, which is never followed. */
  external: boolean;
}

const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
  '.jsx': ['.tsx', '.jsx'],
};
const EXTENSIONLESS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

export function resolveModule(fromPath: string, specifier: string, host: SourceHost): ResolvedModule {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') {
    return { path: undefined, candidates: [], external: true };
  }
  const base = path.resolve(path.dirname(fromPath), specifier);
  const candidates = candidatePaths(base);
  const found = candidates.find((candidate) => host.fileExists(candidate));
  return { path: found, candidates, external: false };
}

function candidatePaths(base: string): string[] {
  const extension = path.extname(base).toLowerCase();
  const replacements = SOURCE_FOR_OUTPUT[extension];
  if (replacements) {
    const stem = base.slice(0, base.length - extension.length);
    return replacements.map((replacement) => stem + replacement);
  }
  if (['.ts', '.tsx', '.mts', '.cts'].includes(extension)) return [base];
  return [
    ...EXTENSIONLESS.map((candidate) => base + candidate),
    ...EXTENSIONLESS.map((candidate) => path.join(base, `index${candidate}`)),
  ];
}
