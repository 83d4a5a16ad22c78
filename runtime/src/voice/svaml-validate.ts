/**
 * Checks what `ice`, `ace` or `pie` returned against the SVAML v1 rules: exactly one action,
 * only the actions and instructions the callback accepts, the required fields, and the menu
 * limits. The runtime reports findings and still sends the response unchanged, as the platform
 * would receive it.
 */
import {
  ACTIONS_BY_CALLBACK,
  ALL_ACTIONS,
  ALL_INSTRUCTIONS,
  CONFERENCE_ID_MAX_LENGTH,
  INSTRUCTIONS_BY_CALLBACK,
  MAX_CALL_DURATION_SECONDS,
  MENU_LIMITS,
  SAY_MAX_LENGTH,
  type SvamlCallback,
} from './svaml-rules';

export interface SvamlFinding {
  /** Path of the offending field, such as `action.menus[0].options[1].action`. */
  path: string;
  message: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Shows a value in a message: strings quoted, numbers and booleans as written, others by kind. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

class Checker {
  readonly findings: SvamlFinding[] = [];

  constructor(readonly callback: SvamlCallback) {}

  add(path: string, message: string): void {
    this.findings.push({ path, message });
  }

  requireString(object: Json, field: string, path: string): string | undefined {
    const value = object[field];
    if (typeof value === 'string' && value.length > 0) return value;
    this.add(`${path}.${field}`, value === undefined ? `"${field}" is required.` : `"${field}" must be a non-empty string; got ${describe(value)}.`);
    return undefined;
  }

  optionalType(object: Json, field: string, type: 'string' | 'number' | 'boolean', path: string): void {
    const value = object[field];
    if (value !== undefined && typeof value !== type) this.add(`${path}.${field}`, `"${field}" must be a ${type}; got ${describe(value)}.`);
  }

  range(object: Json, field: string, limits: { min: number; max: number }, path: string): void {
    const value = object[field];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < limits.min || value > limits.max) {
      this.add(`${path}.${field}`, `"${field}" must be an integer from ${limits.min} to ${limits.max}; got ${describe(value)}.`);
    }
  }
}

function checkInstruction(checker: Checker, instruction: unknown, path: string): void {
  if (!isObject(instruction)) {
    checker.add(path, `An instruction must be an object with a "name"; got ${describe(instruction)}.`);
    return;
  }
  const name = checker.requireString(instruction, 'name', path);
  if (name === undefined) return;
  if (!ALL_INSTRUCTIONS.includes(name)) {
    checker.add(`${path}.name`, `Unknown instruction "${name}"; known instructions are ${ALL_INSTRUCTIONS.join(', ')}.`);
    return;
  }
  const allowed = INSTRUCTIONS_BY_CALLBACK[checker.callback];
  if (!allowed.includes(name)) {
    checker.add(`${path}.name`, `Instruction "${name}" is not allowed in ${checker.callback.toUpperCase()}; allowed are ${allowed.join(', ')}.`);
  }

  switch (name) {
    case 'say': {
      const text = checker.requireString(instruction, 'text', path);
      if (text !== undefined && text.length > SAY_MAX_LENGTH) {
        checker.add(`${path}.text`, `"text" has ${text.length} characters; the Voice API accepts at most ${SAY_MAX_LENGTH}.`);
      }
      checker.optionalType(instruction, 'locale', 'string', path);
      break;
    }
    case 'playFiles': {
      const ids = instruction.ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0)) {
        checker.add(`${path}.ids`, `"ids" must be a non-empty array of prompt strings; got ${describe(ids)}.`);
      }
      checker.optionalType(instruction, 'locale', 'string', path);
      break;
    }
    case 'setCookie':
      checker.requireString(instruction, 'key', path);
      if (typeof instruction.value !== 'string') checker.add(`${path}.value`, `"value" must be a string; got ${describe(instruction.value)}.`);
      break;
    case 'sendDtmf': {
      const value = checker.requireString(instruction, 'value', path);
      if (value !== undefined && !/^[0-9#*w]+$/.test(value)) checker.add(`${path}.value`, `"value" may contain only 0-9, #, * and w; got "${value}".`);
      break;
    }
    case 'startRecording':
      if (instruction.options !== undefined && !isObject(instruction.options)) {
        checker.add(`${path}.options`, `"options" must be an object; got ${describe(instruction.options)}.`);
      }
      break;
    default:
      break;
  }
}

function checkDestination(checker: Checker, action: Json, path: string): void {
  if (!isObject(action.destination)) {
    checker.add(`${path}.destination`, `"destination" is required: an object with "type" and "endpoint".`);
    return;
  }
  checker.requireString(action.destination, 'type', `${path}.destination`);
  checker.requireString(action.destination, 'endpoint', `${path}.destination`);
}

const OPTION_ACTION = /^(return|menu)\((.*)\)$/;

function checkMenus(checker: Checker, action: Json, path: string): void {
  const menus = action.menus;
  if (!Array.isArray(menus) || menus.length === 0) {
    checker.add(`${path}.menus`, `"menus" must be a non-empty array of menus.`);
    return;
  }
  const ids = new Set<string>();
  menus.forEach((menu, index) => {
    if (isObject(menu) && typeof menu.id === 'string') {
      if (ids.has(menu.id)) checker.add(`${path}.menus[${index}].id`, `Menu id "${menu.id}" is used twice.`);
      ids.add(menu.id);
    }
  });
  const mainMenu = typeof action.mainMenu === 'string' ? action.mainMenu : 'main';
  if (action.mainMenu !== undefined && typeof action.mainMenu !== 'string') {
    checker.add(`${path}.mainMenu`, `"mainMenu" must be a string; got ${describe(action.mainMenu)}.`);
  }
  if (!ids.has(mainMenu)) {
    checker.add(`${path}.menus`, `No menu has the id "${mainMenu}", which runMenu opens first; give one menu that id.`);
  }

  menus.forEach((menu, index) => {
    const menuPath = `${path}.menus[${index}]`;
    if (!isObject(menu)) {
      checker.add(menuPath, `A menu must be an object; got ${describe(menu)}.`);
      return;
    }
    checker.requireString(menu, 'id', menuPath);
    checker.optionalType(menu, 'mainPrompt', 'string', menuPath);
    checker.optionalType(menu, 'repeatPrompt', 'string', menuPath);
    checker.range(menu, 'timeoutMills', MENU_LIMITS.timeoutMills, menuPath);
    checker.range(menu, 'maxDigits', MENU_LIMITS.maxDigits, menuPath);
    checker.range(menu, 'repeats', MENU_LIMITS.repeats, menuPath);
    if (menu.options === undefined) return;
    if (!Array.isArray(menu.options)) {
      checker.add(`${menuPath}.options`, `"options" must be an array; got ${describe(menu.options)}.`);
      return;
    }
    // An out-of-range maxDigits is reported above, so the option check then uses no limit.
    const declared = menu.maxDigits;
    let maxDigits = Infinity;
    if (declared === undefined) maxDigits = 1;
    else if (typeof declared === 'number' && declared >= 1) maxDigits = declared;
    menu.options.forEach((option, optionIndex) => {
      const optionPath = `${menuPath}.options[${optionIndex}]`;
      if (!isObject(option)) {
        checker.add(optionPath, `An option must be an object with "dtmf" and "action"; got ${describe(option)}.`);
        return;
      }
      const dtmf = typeof option.dtmf === 'number' ? String(option.dtmf) : option.dtmf;
      if (typeof dtmf !== 'string' || !/^[0-9*#]+$/.test(dtmf)) {
        checker.add(`${optionPath}.dtmf`, `"dtmf" must be keys 0-9, * or #; got ${describe(option.dtmf)}.`);
      } else if (dtmf.length > maxDigits) {
        checker.add(`${optionPath}.dtmf`, `"dtmf" "${dtmf}" is longer than the menu's maxDigits (${maxDigits}), so it can never match.`);
      }
      const target = typeof option.action === 'string' ? OPTION_ACTION.exec(option.action) : null;
      if (target === null) {
        checker.add(`${optionPath}.action`, `"action" must be "return(<value>)" or "menu(<id>)"; got ${describe(option.action)}.`);
      } else if (target[1] === 'menu' && !ids.has(target[2])) {
        checker.add(`${optionPath}.action`, `"${option.action}" jumps to a menu that does not exist; known ids are ${[...ids].join(', ')}.`);
      }
    });
  });
}

function checkAction(checker: Checker, action: unknown): void {
  const path = 'action';
  if (Array.isArray(action)) {
    checker.add(path, `SVAML allows exactly one action; got an array of ${action.length}.`);
    return;
  }
  if (!isObject(action)) {
    checker.add(path, `"action" must be an object with a "name"; got ${describe(action)}.`);
    return;
  }
  const name = checker.requireString(action, 'name', path);
  if (name === undefined) return;
  if (!ALL_ACTIONS.includes(name)) {
    checker.add(`${path}.name`, `Unknown action "${name}"; known actions are ${ALL_ACTIONS.join(', ')}.`);
    return;
  }
  const allowed = ACTIONS_BY_CALLBACK[checker.callback];
  if (!allowed.includes(name)) {
    checker.add(`${path}.name`, `Action "${name}" is not allowed in ${checker.callback.toUpperCase()}; allowed are ${allowed.join(', ')}.`);
  }

  switch (name) {
    case 'connectPstn':
      checker.optionalType(action, 'number', 'string', path);
      checker.optionalType(action, 'cli', 'string', path);
      checker.range(action, 'maxDuration', { min: 0, max: MAX_CALL_DURATION_SECONDS }, path);
      checker.optionalType(action, 'dialTimeout', 'number', path);
      if (action.dtmf !== undefined && (typeof action.dtmf !== 'string' || !/^[0-9#w]*$/.test(action.dtmf))) {
        checker.add(`${path}.dtmf`, `"dtmf" may contain only 0-9, # and w; got ${describe(action.dtmf)}.`);
      }
      break;
    case 'connectSip':
    case 'connectMxp':
    case 'connectStream':
      checkDestination(checker, action, path);
      break;
    case 'connectConf': {
      const id = checker.requireString(action, 'conferenceId', path);
      if (id !== undefined && id.length > CONFERENCE_ID_MAX_LENGTH) {
        checker.add(`${path}.conferenceId`, `"conferenceId" has ${id.length} characters; at most ${CONFERENCE_ID_MAX_LENGTH} are allowed.`);
      }
      break;
    }
    case 'runMenu':
      checker.optionalType(action, 'barge', 'boolean', path);
      checker.optionalType(action, 'locale', 'string', path);
      checkMenus(checker, action, path);
      break;
    case 'park':
      checker.optionalType(action, 'introPrompt', 'string', path);
      checker.optionalType(action, 'holdPrompt', 'string', path);
      checker.optionalType(action, 'maxDuration', 'number', path);
      break;
    default:
      break;
  }
}

/** Returns the findings for a value returned by `ice`, `ace` or `pie`; empty when it is valid. */
export function validateSvaml(callback: SvamlCallback, value: unknown): SvamlFinding[] {
  const checker = new Checker(callback);
  if (value === undefined || value === null) {
    checker.add('(response)', `${callback} returned nothing; the platform needs SVAML with an action, such as {"action": {"name": "hangup"}}.`);
    return checker.findings;
  }
  if (!isObject(value)) {
    checker.add('(response)', `${callback} must return a SVAML object with "action"; got ${describe(value)}.`);
    return checker.findings;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'instructions' && key !== 'action') {
      const hint = key === 'actions' ? ' SVAML takes exactly one "action".' : '';
      checker.add(key, `Unknown top-level field "${key}"; SVAML has only "instructions" and "action".${hint}`);
    }
  }
  if (value.instructions !== undefined) {
    if (!Array.isArray(value.instructions)) {
      checker.add('instructions', `"instructions" must be an array; got ${describe(value.instructions)}.`);
    } else {
      value.instructions.forEach((instruction, index) => checkInstruction(checker, instruction, `instructions[${index}]`));
    }
  }
  if (value.action === undefined) {
    checker.add('action', 'SVAML needs exactly one action, and "action" is missing; instructions never run on their own.');
  } else {
    checkAction(checker, value.action);
  }
  return checker.findings;
}
