/**
 * One loaded copy of the user's code ("generation") and the resources it started. Code runs
 * inside the generation's async context, so the timers it creates, from module level, from
 * handlers, or from callbacks of either, are recorded and cleared when a reload retires it.
 * This is what keeps an old copy from running on after a reload.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { promisify } from 'node:util';

export class Generation {
  readonly timers = new Set<NodeJS.Timeout>();
  readonly immediates = new Set<NodeJS.Immediate>();
  inFlight = 0;
  retired = false;
  disposed = false;

  constructor(readonly id: number) {}

  /** Runs `fn` inside this generation's async context. */
  run<T>(fn: () => T): T {
    return generationStorage.run(this, fn);
  }

  /** Marks the generation as replaced; it is disposed once its last request finishes. */
  retire(): void {
    this.retired = true;
    this.disposeIfIdle();
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestFinished(): void {
    this.inFlight--;
    this.disposeIfIdle();
  }

  private disposeIfIdle(): void {
    if (!this.retired || this.inFlight > 0 || this.disposed) return;
    this.disposed = true;
    for (const timer of this.timers) originalClearTimeout(timer);
    for (const immediate of this.immediates) originalClearImmediate(immediate);
    this.timers.clear();
    this.immediates.clear();
  }
}

const generationStorage = new AsyncLocalStorage<Generation>();

/** The generation whose code is running now, or undefined in the runtime's own code. */
export function currentGeneration(): Generation | undefined {
  return generationStorage.getStore();
}

/** Thrown in place of exiting when user code calls `process.exit`. */
export class ProcessExitError extends Error {
  constructor(
    readonly exitCode: number | string | null | undefined,
    call = `process.exit(${exitCode ?? ''})`,
  ) {
    super(
      `The function called ${call}. The dev runtime keeps running instead of ` +
        `exiting; on the platform this would stop the function. Return a response or throw an error instead.`,
    );
    this.name = 'ProcessExitError';
  }
}

const originalSetTimeout = globalThis.setTimeout;
const originalSetInterval = globalThis.setInterval;
const originalSetImmediate = globalThis.setImmediate;
const originalClearTimeout = globalThis.clearTimeout;
const originalClearImmediate = globalThis.clearImmediate;
const originalClearInterval = globalThis.clearInterval;
/** The generation that created each tracked timer, so clearing one also forgets it. */
const timerOwners = new WeakMap<object, Generation>();
const originalExit = process.exit;
const originalKill = process.kill;
let guardsInstalled = false;

/**
 * Patches the global timer functions (set and clear), `process.exit` and `process.kill` once per
 * process. Outside user code they
 * behave exactly as before.
 */
export function installGenerationGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;

  const trackedSetTimeout = function (this: unknown, callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
    const generation = currentGeneration();
    if (generation === undefined || typeof callback !== 'function') {
      return originalSetTimeout(callback, delay, ...args);
    }
    if (generation.disposed) return originalSetTimeout(() => undefined, 0);
    const timer: NodeJS.Timeout = originalSetTimeout(
      (...callbackArgs: unknown[]) => {
        generation.timers.delete(timer);
        callback(...callbackArgs);
      },
      delay,
      ...args,
    );
    generation.timers.add(timer);
    timerOwners.set(timer, generation);
    return timer;
  };
  const trackedSetInterval = function (this: unknown, callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
    const generation = currentGeneration();
    if (generation === undefined || typeof callback !== 'function') {
      return originalSetInterval(callback, delay, ...args);
    }
    const timer = originalSetInterval(callback, delay, ...args);
    if (generation.disposed) {
      originalClearTimeout(timer);
    } else {
      generation.timers.add(timer);
      timerOwners.set(timer, generation);
    }
    return timer;
  };
  const trackedSetImmediate = function (this: unknown, callback: (...args: unknown[]) => void, ...args: unknown[]) {
    const generation = currentGeneration();
    if (generation === undefined || typeof callback !== 'function') {
      return originalSetImmediate(callback, ...args);
    }
    const immediate: NodeJS.Immediate = originalSetImmediate((...callbackArgs: unknown[]) => {
      generation.immediates.delete(immediate);
      callback(...callbackArgs);
    }, ...args);
    generation.immediates.add(immediate);
    timerOwners.set(immediate, generation);
    return immediate;
  };

  // Without these, a timer that user code clears itself would stay in its generation's set, with
  // everything its callback refers to, until the next reload: one per request for the common
  // `const timer = setTimeout(…); await work; clearTimeout(timer)`.
  const forget = (handle: unknown): void => {
    if (handle === null || typeof handle !== 'object') return;
    const owner = timerOwners.get(handle);
    if (owner === undefined) return;
    owner.timers.delete(handle as NodeJS.Timeout);
    owner.immediates.delete(handle as NodeJS.Immediate);
    timerOwners.delete(handle);
  };
  const trackedClearTimeout = function (handle?: NodeJS.Timeout | string | number) {
    forget(handle);
    originalClearTimeout(handle);
  };
  const trackedClearInterval = function (handle?: NodeJS.Timeout | string | number) {
    forget(handle);
    originalClearInterval(handle);
  };
  const trackedClearImmediate = function (handle?: NodeJS.Immediate) {
    forget(handle);
    originalClearImmediate(handle);
  };

  // The promisified forms (`timers/promises`, util.promisify(setTimeout)) keep working because
  // they use Node's internal timers, which these wrappers leave alone.
  const custom = promisify.custom;
  Object.defineProperty(trackedSetTimeout, custom, { value: (originalSetTimeout as unknown as Record<symbol, unknown>)[custom] });
  Object.defineProperty(trackedSetImmediate, custom, { value: (originalSetImmediate as unknown as Record<symbol, unknown>)[custom] });
  globalThis.setTimeout = trackedSetTimeout as unknown as typeof setTimeout;
  globalThis.setInterval = trackedSetInterval as unknown as typeof setInterval;
  globalThis.setImmediate = trackedSetImmediate as unknown as typeof setImmediate;
  globalThis.clearTimeout = trackedClearTimeout as typeof clearTimeout;
  globalThis.clearInterval = trackedClearInterval as typeof clearInterval;
  globalThis.clearImmediate = trackedClearImmediate as typeof clearImmediate;

  process.exit = function guardedExit(code?: number | string | null): never {
    if (currentGeneration() !== undefined) throw new ProcessExitError(code);
    return originalExit.call(process, code as number | undefined);
  } as typeof process.exit;

  // A signal to the runtime's own process (or to a group that holds it) stops the runtime like
  // process.exit would. Signal 0 only tests that a process exists, so it passes.
  process.kill = function guardedKill(pid: number, signal?: string | number): true {
    const hitsRuntime = pid === process.pid || pid === 0 || pid === -1 || pid === -process.pid;
    if (currentGeneration() !== undefined && hitsRuntime && signal !== 0) {
      const call = `process.kill(${pid === process.pid ? 'process.pid' : pid}${signal === undefined ? '' : `, ${JSON.stringify(signal)}`})`;
      throw new ProcessExitError(undefined, call);
    }
    return originalKill.call(process, pid, signal);
  };
}
