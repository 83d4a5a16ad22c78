/**
 * Maps a user-supplied key to a file inside one folder, such as `storage/` or `assets/`, so that
 * no key (`../x`, an absolute path, a symbolic link pointing out) can reach a file outside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class PathOutsideFolderError extends Error {
  readonly code = 'EACCES';
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Returns the real path of the deepest existing ancestor of `file` (or of `file` itself). */
async function realPathOfExisting(file: string): Promise<string> {
  let current = file;
  for (let depth = 0; depth < 256; depth++) {
    try {
      return await fs.promises.realpath(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
  return current;
}

/**
 * Resolves `key` inside `folder`. `kind` names the service in error messages, such as
 * `Storage key` or `Asset name`.
 */
export async function resolveInside(folder: string, key: unknown, kind: string): Promise<string> {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`${kind} must be a non-empty string; got ${JSON.stringify(key) ?? String(key)}.`);
  }
  if (key.includes('\0') || key.includes('\\') || path.isAbsolute(key) || key.split('/').includes('..')) {
    throw new PathOutsideFolderError(
      `${kind} "${key}" is not allowed: use a relative path with "/" separators and no ".." segments.`,
    );
  }
  const file = path.resolve(folder, key);
  if (!isInside(folder, file) || file === folder) {
    throw new PathOutsideFolderError(`${kind} "${key}" does not name a file inside ${folder}.`);
  }
  const realFolder = await realPathOfExisting(folder);
  const realFile = await realPathOfExisting(file);
  if (!isInside(realFolder, realFile)) {
    throw new PathOutsideFolderError(`${kind} "${key}" leads outside ${folder} through a symbolic link.`);
  }
  return file;
}
