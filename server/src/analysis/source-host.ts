/**
 * Access to the text of source files: the editor's unsaved buffer when a file is open, the disk
 * otherwise. Analyses of disk files are cached until the file's size or modification time
 * changes, so that following `export *` costs a `stat` per file on each edit.
 */
import * as fs from 'node:fs';
import { analyzeModule } from './module-analysis';
import type { ModuleAnalysis } from './module-types';
import type { LineIndex } from '../text/line-index';

export interface SourceFile {
  path: string;
  text: string;
  analysis: ModuleAnalysis;
  /** The line index of `text`, when the owner already built one. */
  lines?: LineIndex;
}

export interface SourceHost {
  /** Returns the file's current text and analysis, or undefined when it does not exist. */
  getSource(path: string): SourceFile | undefined;
  fileExists(path: string): boolean;
  /** Reads a small non-source file such as `sinch.json`. */
  readText(path: string): string | undefined;
}

/** Access to the analyses of open documents, which take precedence over the disk. */
export interface OpenSources {
  getOpenSource(path: string): SourceFile | undefined;
  /** The unsaved text of an open document, such as an edited `sinch.json`. */
  getOpenText(path: string): string | undefined;
}

interface DiskEntry extends SourceFile {
  mtimeMs: number;
  size: number;
}

/** Largest file analysed from disk; bigger files are generated code, not function sources. */
const MAX_DISK_FILE_BYTES = 8 * 1024 * 1024;

export class DiskSourceHost implements SourceHost {
  private readonly cache = new Map<string, DiskEntry>();

  constructor(private readonly open: OpenSources) {}

  getSource(path: string): SourceFile | undefined {
    const openSource = this.open.getOpenSource(path);
    if (openSource) return openSource;

    let stat: fs.Stats;
    try {
      stat = fs.statSync(path);
    } catch {
      this.cache.delete(path);
      return undefined;
    }
    if (!stat.isFile() || stat.size > MAX_DISK_FILE_BYTES) return undefined;
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;

    const text = this.readText(path);
    if (text === undefined) return undefined;
    const entry: DiskEntry = { path, text, analysis: analyzeModule(path, text), mtimeMs: stat.mtimeMs, size: stat.size };
    this.cache.set(path, entry);
    return entry;
  }

  fileExists(path: string): boolean {
    if (this.open.getOpenText(path) !== undefined) return true;
    try {
      return fs.statSync(path).isFile();
    } catch {
      return false;
    }
  }

  readText(path: string): string | undefined {
    const openText = this.open.getOpenText(path);
    if (openText !== undefined) return openText;
    try {
      // Editors do not count a UTF-8 byte order mark as a character, so it is dropped here too.
      return stripByteOrderMark(fs.readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Drops the cached analysis of a file that a watcher reported as changed. */
  forget(path: string): void {
    this.cache.delete(path);
  }
}

export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
