/**
 * The caller's side in a terminal: reads answers from the keyboard (one line each) or takes them
 * from a list given up front. At a menu on an interactive terminal the menu's own timeout runs,
 * unless `--wait` asks to wait for keys.
 */
import * as readline from 'node:readline';
import { parseChoice } from './simulate-args';
import type { CallerChoice, CallerInput, CallerPrompt } from './types';

/** Keys and words each prompt accepts, shown in the question. */
function hintFor(prompt: CallerPrompt, timed: boolean): string {
  switch (prompt.kind) {
    case 'menu': {
      const timer = timed ? `, times out in ${(prompt.timeoutMs / 1000).toFixed(1)} s` : '';
      return `Keys then Enter (up to ${prompt.maxDigits}), t = timeout, h = hang up${timer}: `;
    }
    case 'connect':
      return `${prompt.action} to ${prompt.destination}: a = answered, b = busy, n = no answer, f = failed, h = hang up: `;
    case 'connected':
      return prompt.choices.includes('calleeHangup')
        ? `Connected (${prompt.destination}): h = caller hangs up, c = far end hangs up: `
        : `In ${prompt.destination}: h = hang up: `;
    case 'idle':
      return `${prompt.reason} h (or Enter) = hang up: `;
  }
}

/** Answers from a list; once it runs out, the caller hangs up. */
export function scriptedTerminalCaller(script: CallerChoice[], onNote: (text: string) => void): CallerInput {
  let next = 0;
  return async () => {
    const choice = script[next];
    next += 1;
    if (choice === undefined) {
      onNote('The --input answers ran out, so the caller hangs up.');
      return { kind: 'hangup' };
    }
    return choice;
  };
}

export interface InteractiveCaller {
  caller: CallerInput;
  close(): void;
}

/**
 * Asks on the terminal. An empty line at a menu is a timeout, at other prompts a hang-up; end of
 * input (Ctrl+D, or the end of piped input) hangs up. `onHangUp` runs on Ctrl+C.
 */
export function interactiveTerminalCaller(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, wait: boolean, onHangUp: () => void): InteractiveCaller {
  const lines = readline.createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const queued: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  lines.on('line', (line) => {
    if (waiting !== undefined) {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    } else {
      queued.push(line);
    }
  });
  lines.on('close', () => {
    closed = true;
    waiting?.(undefined);
    waiting = undefined;
  });
  lines.on('SIGINT', () => {
    onHangUp();
    waiting?.('h');
    waiting = undefined;
  });
  const interactive = (input as { isTTY?: boolean }).isTTY === true;

  const readLine = (timeoutMs: number | undefined): Promise<string | undefined | 'timeout'> =>
    new Promise((resolve) => {
      const early = queued.shift();
      if (early !== undefined) return resolve(early);
      if (closed) return resolve(undefined);
      let timer: NodeJS.Timeout | undefined;
      waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          waiting = undefined;
          output.write('(no keys: timeout)\n');
          resolve('timeout');
        }, timeoutMs);
      }
    });

  const caller: CallerInput = async (prompt) => {
    // Bounded: each wrong answer asks again, and the user can always hang up or end the input.
    for (let tries = 0; tries < 100; tries++) {
      const timed = prompt.kind === 'menu' && interactive && !wait;
      output.write(hintFor(prompt, timed));
      const line = await readLine(timed && prompt.kind === 'menu' ? prompt.timeoutMs : undefined);
      if (!interactive && typeof line === 'string') output.write(`${line}\n`);
      if (line === undefined) return { kind: 'hangup' };
      if (line === 'timeout') return { kind: 'timeout' };
      if (line.trim() === '') return prompt.kind === 'menu' ? { kind: 'timeout' } : { kind: 'hangup' };
      try {
        const choice = parseChoice(line);
        if (prompt.choices.includes(choice.kind)) return choice;
        output.write(`"${line.trim()}" does not fit here.\n`);
      } catch (error) {
        output.write(`${(error as Error).message}\n`);
      }
    }
    return { kind: 'hangup' };
  };
  return { caller, close: () => lines.close() };
}
