/**
 * `createMenu()`: a builder for one `runMenu` menu. Its limits are the platform's MenuBuilder
 * limits, checked when a value is set so that a bad value throws where it is written:
 * timeout 1000–30000 ms (default 8000), maxDigits 1–20 (default 1), repeats 0–5 (default 2).
 */
import type { Menu, MenuOption } from './svaml-types.js';

export const MENU_LIMITS = {
  timeoutMills: { min: 1000, max: 30000, default: 8000 },
  maxDigits: { min: 1, max: 20, default: 1 },
  repeats: { min: 0, max: 5, default: 2 },
} as const;

const OPTION_ACTION = /^(return|menu)\((.+)\)$/;
const DTMF_KEYS = /^[0-9*#]+$/;

/** Wraps plain text as a text-to-speech prompt; `#tts[…]`, `#ssml[…]`, `#href[…]` and URLs stay. */
export function toPrompt(text: string): string {
  if (text.startsWith('#') || /^https?:\/\//.test(text)) return text;
  return `#tts[${text}]`;
}

function checkRange(name: keyof typeof MENU_LIMITS, value: number): number {
  const { min, max } = MENU_LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Menu ${name} must be an integer from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

export class MenuBuilder {
  private readonly menu: Menu & { options: MenuOption[] };

  constructor(id = 'main') {
    this.menu = {
      id,
      repeats: MENU_LIMITS.repeats.default,
      maxDigits: MENU_LIMITS.maxDigits.default,
      timeoutMills: MENU_LIMITS.timeoutMills.default,
      options: [],
    };
  }

  id(id: string): this {
    if (id.length === 0) throw new RangeError('Menu id must not be empty.');
    this.menu.id = id;
    return this;
  }

  /** Sets the main prompt; plain text becomes `#tts[text]`. */
  prompt(text: string): this {
    this.menu.mainPrompt = toPrompt(text);
    return this;
  }

  /** Sets the prompt played when the caller enters nothing or an invalid key. */
  repeatPrompt(text: string): this {
    this.menu.repeatPrompt = toPrompt(text);
    return this;
  }

  /** Adds an option; `action` is `return(<value>)` or `menu(<id>)`. */
  option(dtmf: string | number, action: string): this {
    const keys = String(dtmf);
    if (!DTMF_KEYS.test(keys)) {
      throw new RangeError(`Menu option keys must be digits, * or #; got "${keys}".`);
    }
    if (!OPTION_ACTION.test(action)) {
      throw new RangeError(`Menu option action must be "return(<value>)" or "menu(<id>)"; got "${action}".`);
    }
    if (this.menu.options.some((option) => option.dtmf === keys)) {
      throw new RangeError(`Menu "${this.menu.id}" already has an option for "${keys}".`);
    }
    this.menu.options.push({ dtmf: keys, action });
    return this;
  }

  /** Sets how long to wait for input, in milliseconds (1000–30000). */
  timeout(milliseconds: number): this {
    this.menu.timeoutMills = checkRange('timeoutMills', milliseconds);
    return this;
  }

  /** Sets the most digits one answer may have (1–20). */
  maxDigits(count: number): this {
    this.menu.maxDigits = checkRange('maxDigits', count);
    return this;
  }

  /** Sets how many times the prompt repeats when no valid input arrives (0–5). */
  repeats(count: number): this {
    this.menu.repeats = checkRange('repeats', count);
    return this;
  }

  build(): Menu {
    for (const option of this.menu.options) {
      if (option.dtmf.length > (this.menu.maxDigits ?? 1)) {
        throw new RangeError(
          `Menu "${this.menu.id}" option "${option.dtmf}" has more keys than maxDigits (${this.menu.maxDigits}).`,
        );
      }
    }
    return { ...this.menu, options: this.menu.options.map((option) => ({ ...option })) };
  }
}

/** Starts a menu with the id `main` (the one `runMenu` opens first) unless `id` says otherwise. */
export function createMenu(id?: string): MenuBuilder {
  return new MenuBuilder(id);
}
