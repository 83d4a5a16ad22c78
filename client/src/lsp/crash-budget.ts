/**
 * Decides whether a crashed language server is restarted quietly or given up on. Restarts are
 * counted in a sliding window, so a server that crashes once an hour keeps being restarted while
 * one that crashes in a loop stops after `maxRestarts`.
 */

export interface CrashBudgetOptions {
  maxRestarts: number;
  windowMs: number;
  now?: () => number;
}

export class CrashBudget {
  private readonly crashes: number[] = [];
  private readonly now: () => number;

  constructor(private readonly options: CrashBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Records a crash; returns true when a quiet restart is still within the budget. */
  recordCrash(): boolean {
    const time = this.now();
    this.crashes.push(time);
    while (this.crashes.length > 0 && time - this.crashes[0] > this.options.windowMs) this.crashes.shift();
    return this.crashes.length <= this.options.maxRestarts;
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }

  reset(): void {
    this.crashes.length = 0;
  }
}
