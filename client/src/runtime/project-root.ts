/**
 * Finds the function project folder that holds a file: the nearest folder with `sinch.json`, a
 * `function.ts` or a `function.js`, searching upwards no further than the workspace folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_MARKERS = ['sinch.json', 'function.ts', 'function.js'] as const;

export function isProjectDir(dir: string): boolean {
  return PROJECT_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)));
}

/** Returns the project folder of `filePath`, or undefined when none lies within `stopDir`. */
export function findProjectRoot(filePath: string, stopDir: string): string | undefined {
  const stop = path.resolve(stopDir);
  let dir = path.resolve(filePath);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  // Bounded by the depth of the path: each step moves one folder up.
  for (let depth = 0; depth < 64; depth++) {
    if (!isInside(dir, stop)) return undefined;
    if (isProjectDir(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function isInside(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
