/**
 * Locates a function project on disk: its folder, its entry file and its `sinch.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_ENTRIES = ['function.ts', 'function.js'] as const;

export class ProjectError extends Error {}

export interface SinchJson {
  name?: string;
  entry?: string;
  variables?: Record<string, string>;
  [key: string]: unknown;
}

export interface Project {
  dir: string;
  entry: string;
  sinchJson: SinchJson;
}

/** Reads `sinch.json`; a missing file is an empty manifest, an invalid one an error. */
export function readSinchJson(dir: string): SinchJson {
  const file = path.join(dir, 'sinch.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ProjectError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ProjectError(`Invalid JSON in ${file}: ${(error as Error).message}. Fix the file or remove it.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProjectError(`Invalid ${file}: the top level must be a JSON object.`);
  }
  return parsed as SinchJson;
}

/**
 * Finds the entry file: `--entry` when given, else `function.ts`, else `function.js`, else the
 * `entry` field of `sinch.json`.
 */
export function resolveEntry(dir: string, entryOption: string | undefined, sinchJson: SinchJson): string {
  if (entryOption !== undefined) {
    const file = path.resolve(dir, entryOption);
    if (!fs.existsSync(file)) {
      throw new ProjectError(`Entry file not found: ${file}. Check the --entry value.`);
    }
    return file;
  }
  for (const name of DEFAULT_ENTRIES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  if (typeof sinchJson.entry === 'string') {
    const file = path.resolve(dir, sinchJson.entry);
    if (fs.existsSync(file)) return file;
    throw new ProjectError(`Entry file not found: ${file}, named by "entry" in ${path.join(dir, 'sinch.json')}.`);
  }
  throw new ProjectError(
    `No function.ts or function.js in ${dir}. Create one, name another file with --entry, ` +
      `or set "entry" in sinch.json.`,
  );
}

export function loadProject(projectDir: string, entryOption?: string): Project {
  const dir = path.resolve(projectDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ProjectError(`Project folder not found: ${dir}. Pass the folder that holds function.ts.`);
  }
  const sinchJson = readSinchJson(dir);
  return { dir, entry: resolveEntry(dir, entryOption, sinchJson), sinchJson };
}
