/**
 * Finds the function project a file belongs to and the project's entry file. The order matches
 * the runtime's `--entry` rule: an explicit entry (the `sinchFunctions.runtime.entry` setting), then
 * `function.ts`, then `function.js`, then the `entry` field of `sinch.json`.
 */
import * as path from 'node:path';
import type { SourceHost } from './source-host';

export const PROJECT_MARKERS = ['sinch.json', 'function.ts', 'function.js'] as const;
const MAX_FOLDER_DEPTH = 64;

export interface EntryResolution {
  path: string | null;
  /** Paths whose creation or deletion can change the result. */
  watched: string[];
  /** A problem with the configured entry, for the log. */
  problem?: string;
}

/** Returns the nearest folder, from the file's own upwards, that contains a project marker. */
export function findProjectFolder(filePath: string, host: SourceHost): string | undefined {
  let folder = path.dirname(filePath);
  for (let depth = 0; depth < MAX_FOLDER_DEPTH; depth++) {
    if (PROJECT_MARKERS.some((marker) => host.fileExists(path.join(folder, marker)))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

export function resolveEntry(folder: string, host: SourceHost, configuredEntry?: string): EntryResolution {
  const watched = PROJECT_MARKERS.map((marker) => path.join(folder, marker));
  let problem: string | undefined;

  if (configuredEntry && configuredEntry.trim().length > 0) {
    const configured = path.resolve(folder, configuredEntry.trim());
    watched.push(configured);
    if (host.fileExists(configured)) return { path: configured, watched };
    problem = `The entry file "${configuredEntry}" set in sinchFunctions.runtime.entry was not found in ${folder}; using function.ts, function.js or the sinch.json entry instead.`;
  }

  for (const name of ['function.ts', 'function.js']) {
    const candidate = path.join(folder, name);
    if (host.fileExists(candidate)) return { path: candidate, watched, problem };
  }

  const manifestPath = path.join(folder, 'sinch.json');
  const manifest = host.readText(manifestPath);
  if (manifest !== undefined) {
    const entry = manifestEntry(manifest);
    if (entry.value !== undefined) {
      const fromManifest = path.resolve(folder, entry.value);
      watched.push(fromManifest);
      if (host.fileExists(fromManifest)) return { path: fromManifest, watched, problem };
      problem = `The entry file "${entry.value}" named in ${manifestPath} was not found.`;
    } else if (entry.problem) {
      problem = entry.problem;
    }
  }
  return { path: null, watched, problem };
}

function manifestEntry(text: string): { value?: string; problem?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const entry = (parsed as Record<string, unknown>).entry;
      if (typeof entry === 'string' && entry.length > 0) return { value: entry };
    }
    return {};
  } catch (error) {
    return { problem: `sinch.json is not valid JSON (${(error as Error).message}); its "entry" field was ignored.` };
  }
}
