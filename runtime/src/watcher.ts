/**
 * Watches a project folder for saved files. Node's recursive `fs.watch` on Linux walks every
 * folder, `node_modules` included, so this module watches the project root and its own
 * subfolders itself, skipping folders that never hold function code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders whose changes never trigger a reload. */
const IGNORED_FOLDERS = new Set(['node_modules', '.git', '.vscode', '.idea', '.sinch', 'storage', 'data', 'out', 'dist', 'test-results']);
/** Editor scratch files that appear during a save. */
const IGNORED_FILE = /(^\.#|~$|\.sw[a-z]$|^4913$|\.tmp$)/;
const MAX_WATCHED_FOLDERS = 500;

export interface ProjectWatcher {
  close(): void;
}

export function watchProject(dir: string, onChange: (file: string) => void): ProjectWatcher {
  const watchers = new Map<string, fs.FSWatcher>();

  const watchFolder = (folder: string, depth: number): void => {
    if (watchers.has(folder) || watchers.size >= MAX_WATCHED_FOLDERS || depth > 6) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(folder, { persistent: false }, (_event, name) => {
        if (name === null) {
          onChange(folder);
          return;
        }
        const file = path.join(folder, name.toString());
        if (IGNORED_FILE.test(path.basename(file))) return;
        if (IGNORED_FOLDERS.has(path.basename(file))) return;
        // A new or renamed folder gets its own watcher.
        fs.stat(file, (error, stat) => {
          if (!error && stat.isDirectory()) watchFolder(file, depth + 1);
        });
        onChange(file);
      });
    } catch {
      return; // The folder vanished between listing and watching.
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);

    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !IGNORED_FOLDERS.has(entry.name)) {
        watchFolder(path.join(folder, entry.name), depth + 1);
      }
    }
  };

  watchFolder(dir, 0);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
