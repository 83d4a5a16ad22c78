/**
 * Loads a project's entry file as a fresh generation and unloads the previous one.
 *
 * Reload happens in process: the project's own modules are dropped from Node's module cache and
 * required again, while `node_modules` packages stay cached. In-process reload was chosen over a
 * worker restarted under a supervisor for three reasons. It keeps one process and one inspector
 * session, so breakpoints rebind through the inline source maps on every reload with no
 * re-attach. It adds no proxy hop to each request. And a reload costs only compiling and running
 * the project's own files, not starting Node and Express again. What a restart would give for
 * free is done explicitly: timers of the old generation are cleared (generation.ts), and
 * `process.exit` in user code is turned into an error.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { LoadError, TOP_LEVEL_AWAIT, originalFileOf } from './compile';
import { Generation, installGenerationGuards } from './generation';
import { registerProject } from './hooks';

export interface LoadedGeneration {
  generation: Generation;
  /** The entry module's `module.exports`. */
  exports: unknown;
  /** Project files (outside node_modules) that this generation loaded. */
  files: string[];
}

interface FileStamp {
  mtimeMs: number;
  size: number;
}

function stampOf(file: string): FileStamp | undefined {
  try {
    const stat = fs.statSync(file);
    return { mtimeMs: stat.mtimeMs, size: stat.size };
  } catch {
    return undefined;
  }
}

export class ModuleLoader {
  private readonly loadedFiles = new Set<string>();
  private readonly stamps = new Map<string, FileStamp | undefined>();
  private readonly unregister: () => void;
  private nextGenerationId = 1;
  /** The file whose top-level await the current load waits for. */
  private awaitingFile: string | undefined;

  constructor(
    private readonly projectDir: string,
    private readonly entry: string,
  ) {
    installGenerationGuards();
    this.unregister = registerProject({
      dir: projectDir,
      onFileLoaded: (file) => this.loadedFiles.add(file),
    });
  }

  /**
   * Loads the entry file into a new generation. Throws a `LoadError` naming the file, line and
   * column when the code does not compile, throws while it loads, or has a top-level await that
   * has not settled after `timeoutMs`. The caller then keeps the previous generation.
   */
  async load(timeoutMs = Number.POSITIVE_INFINITY): Promise<LoadedGeneration> {
    this.forgetLoadedModules();
    const generation = new Generation(this.nextGenerationId++);
    let exports: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      exports = generation.run(() => Module.createRequire(path.join(this.projectDir, 'noop.js'))(this.entry));
      const settled = generation.run(() => this.awaitTopLevelAwait());
      // Without a bound, a top-level await that never settles would keep every later request
      // waiting for this load.
      const timedOut = new Promise<never>((_resolve, reject) => {
        if (!Number.isFinite(timeoutMs)) return;
        timer = setTimeout(() => {
          const file = this.awaitingFile ?? this.entry;
          reject(new LoadError(`A top-level await did not settle within ${timeoutMs / 1000} s, so the code was not loaded`, file));
        }, timeoutMs);
      });
      await Promise.race([settled, timedOut]);
    } catch (error) {
      generation.retire();
      this.recordStamps();
      this.forgetLoadedModules();
      throw toLoadError(error, this.entry, this.projectDir);
    } finally {
      clearTimeout(timer);
    }
    this.recordStamps();
    return { generation, exports, files: [...this.loadedFiles] };
  }

  /** True when a file this loader compiled has changed on disk since it was loaded. */
  hasChangedFiles(): boolean {
    for (const [file, stamp] of this.stamps) {
      const now = stampOf(file);
      if (now?.mtimeMs !== stamp?.mtimeMs || now?.size !== stamp?.size) return true;
    }
    return false;
  }

  dispose(): void {
    this.forgetLoadedModules();
    this.unregister();
  }

  private async awaitTopLevelAwait(): Promise<void> {
    for (const file of this.loadedFiles) {
      const exports = require.cache[file]?.exports as Record<symbol, unknown> | undefined;
      const pending = exports?.[TOP_LEVEL_AWAIT];
      if (!(pending instanceof Promise)) continue;
      this.awaitingFile = file;
      await pending;
    }
    this.awaitingFile = undefined;
  }

  private recordStamps(): void {
    this.stamps.clear();
    for (const file of this.loadedFiles) this.stamps.set(file, stampOf(file));
    this.stamps.set(this.entry, stampOf(this.entry));
  }

  private forgetLoadedModules(): void {
    for (const file of this.loadedFiles) delete require.cache[file];
    delete require.cache[this.entry];
    this.loadedFiles.clear();
  }
}

/** Turns anything thrown while loading into a `LoadError` located in the user's file. */
function toLoadError(error: unknown, entry: string, projectDir: string): LoadError {
  if (error instanceof LoadError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  // The first stack frame in a project file gives the position (already source-mapped when
  // Node runs with --enable-source-maps; otherwise it is the compiled position).
  const frame = locateInProject(err, projectDir);
  const loadError = new LoadError(`${err.name}: ${err.message}`, frame?.file ?? entry, frame?.line, frame?.column);
  loadError.stack = err.stack;
  return loadError;
}

/**
 * Finds where in the project an error happened. For a SyntaxError from V8 that is the
 * `file:line` header of its stack, and otherwise the first stack frame in a project file.
 */
function locateInProject(error: Error, projectDir: string): { file: string; line: number; column?: number } | undefined {
  const stack = error.stack ?? '';
  const inProject = (file: string) => file.startsWith(`${projectDir}${path.sep}`);
  if (error instanceof SyntaxError) {
    const header = /^(.+?):(\d+)\n/.exec(stack);
    const file = header ? originalFileOf(header[1]) : undefined;
    if (header && file && inProject(file)) return { file, line: Number(header[2]) };
  }
  for (const line of stack.split('\n')) {
    const match = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = originalFileOf(match[1]);
    if (inProject(file)) return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}
