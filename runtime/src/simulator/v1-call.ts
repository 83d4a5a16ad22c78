/**
 * Walks a Voice API v1 call the way the platform does: ICE first, then whatever the returned
 * SVAML asks for. `runMenu` waits for the caller and sends PIE; `connectPstn` and `connectSip`
 * let the caller pick the far end's outcome and send ACE when it answers; `hangup`, the caller
 * hanging up, or a failed leg end the call with DICE. Every event carries the same call id and
 * the cookies set so far.
 *
 * Choices where the public Voice API reference is silent (marked NOTE below) follow the
 * MenuBuilder defaults and the DICE reasons of the Voice API SDK.
 */
import { checkVoiceResponse, SVAML_FINDINGS_HEADER, type SvamlFinding } from '../voice';
import type { SimulatedCall } from '../voice/sample-events';
import { CallEnded, describeHttpFailure, type CallSession } from './call-session';
import { promptParts } from './prompt-text';
import type { CallerChoice, MenuOptionView, TransportResponse } from './types';

type Json = Record<string, unknown>;
type SvamlCallback = 'ice' | 'ace' | 'pie';

/** Menu defaults of the platform's MenuBuilder: 8 s timeout, one digit, two repeats. */
export const MENU_DEFAULTS = { timeoutMills: 8000, maxDigits: 1, repeats: 2 } as const;

export interface V1WalkOptions {
  /** Keep following SVAML that has findings, as long as its action can be followed. */
  continueOnFindings?: boolean;
}

/** Next step after following one SVAML response: another event, or the end of the call. */
type Next =
  | { type: 'pie'; menuResult: { menuId: string; type: PieType; value: string } }
  | { type: 'ace' }
  | { type: 'dice'; reason: string; result: DiceResult };

type PieType = 'return' | 'sequence' | 'timeout' | 'hangup' | 'invalidinput' | 'error';
type DiceResult = 'ANSWERED' | 'BUSY' | 'NOANSWER' | 'FAILED' | 'N/A';

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads the findings the runtime sent in its header; without the header, checks the SVAML here. */
export function findingsFor(callback: string, response: TransportResponse): SvamlFinding[] {
  const header = response.headers[SVAML_FINDINGS_HEADER.toLowerCase()];
  if (header !== undefined) {
    try {
      const parsed = JSON.parse(header) as unknown;
      if (Array.isArray(parsed)) return parsed as SvamlFinding[];
    } catch {
      // A header that is not JSON comes from another server; the local check below still runs.
    }
  }
  if (response.status === 204) return checkVoiceResponse(callback, undefined);
  if (response.status < 200 || response.status >= 300) return [];
  return checkVoiceResponse(callback, response.body);
}

/** Findings after which the action cannot be followed at all. */
function blocksAction(finding: SvamlFinding): boolean {
  return finding.path === '(response)' || finding.path === 'action' || finding.path === 'action.name';
}

export class V1CallWalk {
  /** Set once the call is answered: by `answer`, by a prompt the caller hears, or by a connected leg. */
  private answered = false;
  private diceSent = false;

  constructor(
    private readonly session: CallSession,
    private readonly call: SimulatedCall,
    private readonly options: V1WalkOptions = {},
  ) {}

  async run(): Promise<void> {
    try {
      let svaml = await this.sendSvamlEvent('ice', this.call.ice());
      let callback: SvamlCallback = 'ice';
      for (;;) {
        const next = await this.follow(callback, svaml);
        if (next.type === 'dice') {
          await this.sendDice(next.reason, next.result);
          return;
        }
        if (next.type === 'pie') {
          const sent = await this.sendSvamlEvent('pie', this.call.pie({ ...next.menuResult, inputMethod: 'dtmf' }), next.menuResult.type === 'hangup');
          if (next.menuResult.type === 'hangup') {
            this.session.note('The caller hung up during the menu, so the platform ignores what pie returned.');
            await this.sendDice('CALLERHANGUP', this.answered ? 'ANSWERED' : 'N/A');
            return;
          }
          svaml = sent;
          callback = 'pie';
          continue;
        }
        const aceAnswer = await this.sendAce();
        if (aceAnswer === undefined) {
          svaml = { action: { name: 'continue' } };
        } else {
          svaml = aceAnswer;
        }
        callback = 'ace';
      }
    } catch (error) {
      if (error instanceof CallEnded && error.outcome.status === 'stopped' && !this.diceSent && this.session.exchanges.length > 0) {
        // The platform drops the call and still reports its end, so DICE cleanup in the function runs.
        await this.sendDice('CALLBACKERROR', this.answered ? 'ANSWERED' : 'N/A').catch(() => undefined);
      }
      throw error;
    }
  }

  /** Sends ICE, ACE or PIE and returns the SVAML, or stops the call when the response cannot be followed. */
  private async sendSvamlEvent(callback: SvamlCallback, event: Json, answerIgnored = false): Promise<Json> {
    const body = this.withCookies(event);
    const { exchange, response } = await this.session.send(callback, `/${callback}`, body, { 'content-type': 'application/json' }, (answer) =>
      findingsFor(callback, answer),
    );
    if (answerIgnored) return {};
    if (response.status < 200 || response.status >= 300) {
      this.session.stop(callback, describeHttpFailure(callback, response));
    }
    const findings = exchange.findings;
    if (findings.length > 0 && (!this.options.continueOnFindings || findings.some(blocksAction))) {
      const first = findings[0];
      this.session.stop(
        callback,
        `The SVAML from ${callback} is invalid, so the platform drops the call: ${first.path}: ${first.message}`,
        findings,
      );
    }
    return isObject(response.body) ? response.body : {};
  }

  /** Sends ACE for an answered leg; returns undefined when the function has no `ace` export. */
  private async sendAce(): Promise<Json | undefined> {
    const body = this.withCookies(this.call.ace('human'));
    const { exchange, response } = await this.session.send('ace', '/ace', body, { 'content-type': 'application/json' }, (answer) =>
      answer.status === 404 ? [] : findingsFor('ace', answer),
    );
    if (response.status === 404) {
      this.session.note('The function has no ace export, so the platform connects the call as if ace returned continue.');
      return undefined;
    }
    if (response.status >= 300) this.session.stop('ace', describeHttpFailure('ace', response));
    if (exchange.findings.length > 0 && (!this.options.continueOnFindings || exchange.findings.some(blocksAction))) {
      const first = exchange.findings[0];
      this.session.stop('ace', `The SVAML from ace is invalid, so the platform drops the call: ${first.path}: ${first.message}`, exchange.findings);
    }
    return isObject(response.body) ? response.body : {};
  }

  private async sendDice(reason: string, result: DiceResult): Promise<void> {
    this.diceSent = true;
    const body = this.withCookies(this.call.dice({ reason, result }));
    const { response } = await this.session.send('dice', '/dice', body, { 'content-type': 'application/json' }, () => []);
    if (response.status === 404) this.session.note('The function has no dice export; the platform ignores that.');
    else if (response.status >= 300) this.session.note(describeHttpFailure('dice', response));
    this.session.record({ kind: 'end', reason, result });
  }

  /** Adds the cookies set so far to an event. */
  private withCookies(event: Json): Json {
    // NOTE: the Voice API reference does not name the field that carries cookies back, so the
    // simulator sends them as `cookies`, an object of key and value strings.
    if (Object.keys(this.session.cookies).length === 0) return event;
    return { ...event, cookies: { ...this.session.cookies } };
  }

  /** Runs the instructions, then the action, and returns what the platform does next. */
  private async follow(callback: SvamlCallback, svaml: Json): Promise<Next> {
    for (const instruction of Array.isArray(svaml.instructions) ? svaml.instructions : []) {
      if (isObject(instruction)) this.runInstruction(instruction);
    }
    const action = isObject(svaml.action) ? svaml.action : undefined;
    if (action === undefined) this.session.stop(callback, `The SVAML from ${callback} has no action, so the platform drops the call.`);
    const name = String(action.name);
    switch (name) {
      case 'hangup':
        this.session.note(`${callback} returned hangup: the platform ends the call.`);
        return { type: 'dice', reason: 'CALLEEHANGUP', result: this.answered ? 'ANSWERED' : 'N/A' };
      case 'continue':
        return callback === 'ace' ? this.connected('continue', 'the answered leg') : this.idle(`${callback} returned continue; nothing else is playing.`);
      case 'runMenu':
        this.answered = true;
        return this.runMenu(callback, action);
      case 'connectPstn':
      case 'connectSip':
      case 'connectMxp':
      case 'connectStream':
        return this.connectLeg(name, action);
      case 'connectConf': {
        this.answered = true;
        const conference = String(action.conferenceId ?? '');
        this.session.record({ kind: 'connect', action: name, destination: `conference ${conference}` });
        return this.connected(name, `conference ${conference}`);
      }
      case 'park': {
        this.answered = true;
        for (const part of promptParts(action.introPrompt)) this.session.hear(part, 'park introPrompt');
        for (const part of promptParts(action.holdPrompt)) this.session.hear(part, 'park holdPrompt (repeats while parked)');
        this.session.record({ kind: 'connect', action: name, destination: 'parked' });
        return this.connected(name, 'parked');
      }
      default:
        return this.session.stop(callback, `The platform cannot follow the action "${name}" from ${callback}, so it drops the call.`);
    }
  }

  private runInstruction(instruction: Json): void {
    const name = String(instruction.name);
    switch (name) {
      case 'say':
        this.answered = true;
        this.session.hear(String(instruction.text ?? ''), 'say');
        break;
      case 'playFiles':
        this.answered = true;
        for (const id of Array.isArray(instruction.ids) ? instruction.ids : []) {
          for (const part of promptParts(String(id))) this.session.hear(part, 'playFiles');
        }
        break;
      case 'setCookie':
        this.session.setCookie(String(instruction.key ?? ''), String(instruction.value ?? ''));
        break;
      case 'answer':
        this.answered = true;
        this.session.note('The call is answered.');
        break;
      case 'sendDtmf':
        this.session.note(`The platform sends the keys ${String(instruction.value ?? '')} on the call.`);
        break;
      case 'startRecording':
        this.session.note('Recording starts (the simulator records nothing).');
        break;
      case 'stopRecording':
        this.session.note('Recording stops.');
        break;
      default:
        this.session.note(`Instruction "${name}" is not simulated.`);
    }
  }

  /** Waits for the caller on a call with nothing left to play; only hanging up is possible. */
  private async idle(reason: string): Promise<Next> {
    await this.session.ask({ kind: 'idle', reason, choices: ['hangup'] });
    return { type: 'dice', reason: 'CALLERHANGUP', result: this.answered ? 'ANSWERED' : 'N/A' };
  }

  /** Waits on a connected call until the caller or the other party hangs up. */
  private async connected(action: string, destination: string): Promise<Next> {
    this.answered = true;
    const choices: CallerChoice['kind'][] = action === 'park' || action === 'connectConf' ? ['hangup'] : ['hangup', 'calleeHangup'];
    const choice = await this.session.ask({ kind: 'connected', action, destination, choices });
    return { type: 'dice', reason: choice.kind === 'calleeHangup' ? 'CALLEEHANGUP' : 'CALLERHANGUP', result: 'ANSWERED' };
  }

  /** Dials the far end and lets the caller pick what happens there. */
  private async connectLeg(action: string, svamlAction: Json): Promise<Next> {
    const destination = isObject(svamlAction.destination)
      ? String(svamlAction.destination.endpoint ?? '')
      : String(svamlAction.number ?? this.call.to);
    this.session.record({ kind: 'connect', action, destination });
    const choice = await this.session.ask({ kind: 'connect', action, destination, choices: ['answered', 'busy', 'noanswer', 'failed', 'hangup'] });
    switch (choice.kind) {
      case 'answered':
        this.answered = true;
        return { type: 'ace' };
      case 'busy':
        return { type: 'dice', reason: 'BUSY', result: 'BUSY' };
      case 'noanswer':
        return { type: 'dice', reason: 'NOANSWER', result: 'NOANSWER' };
      case 'failed':
        return { type: 'dice', reason: 'GENERALERROR', result: 'FAILED' };
      default:
        return { type: 'dice', reason: 'CALLERHANGUP', result: this.answered ? 'ANSWERED' : 'N/A' };
    }
  }

  /**
   * Plays the menu, collects keys and returns the PIE to send. Keys that match an option follow
   * it: `return(x)` sends PIE `return` with x, `menu(id)` opens that menu. Keys that match no
   * option are a `sequence` when the menu collects several digits or has no options. Otherwise
   * they count as a failed attempt, like a timeout or no keys at all. After the first play and
   * `repeats` more, the menu ends with PIE `timeout` or `invalidinput`.
   */
  private async runMenu(callback: SvamlCallback, action: Json): Promise<Next> {
    const menus = new Map<string, Json>();
    for (const menu of Array.isArray(action.menus) ? action.menus : []) {
      if (isObject(menu) && typeof menu.id === 'string') menus.set(menu.id, menu);
    }
    let menuId = typeof action.mainMenu === 'string' ? action.mainMenu : 'main';
    let menu = menus.get(menuId);
    if (menu === undefined) this.session.stop(callback, `runMenu has no menu "${menuId}" to start with, so the platform drops the call.`);
    let attempt = 1;

    for (;;) {
      const maxDigits = typeof menu.maxDigits === 'number' ? menu.maxDigits : MENU_DEFAULTS.maxDigits;
      const timeoutMs = typeof menu.timeoutMills === 'number' ? menu.timeoutMills : MENU_DEFAULTS.timeoutMills;
      const repeats = typeof menu.repeats === 'number' ? menu.repeats : MENU_DEFAULTS.repeats;
      const maxAttempts = repeats + 1;
      const promptSource = attempt > 1 && typeof menu.repeatPrompt === 'string' ? menu.repeatPrompt : menu.mainPrompt;
      const prompt = promptParts(promptSource);
      const options: MenuOptionView[] = (Array.isArray(menu.options) ? menu.options : []).filter(isObject).map((option) => ({
        dtmf: String(option.dtmf),
        action: String(option.action),
      }));
      for (const part of prompt) this.session.hear(part, `menu ${menuId}`);
      this.session.record({ kind: 'menu', menuId, prompt, options, attempt, maxAttempts });

      const choice = await this.session.ask({
        kind: 'menu',
        menuId,
        prompt,
        options,
        maxDigits,
        timeoutMs,
        attempt,
        maxAttempts,
        choices: ['keys', 'timeout', 'hangup'],
      });
      if (choice.kind === 'hangup') return { type: 'pie', menuResult: { menuId, type: 'hangup', value: '' } };

      // Sending no keys is the same as letting the menu time out.
      const digits = choice.kind === 'keys' ? this.collectDigits(choice.keys, maxDigits) : '';
      if (digits !== '') {
        const option = options.find((candidate) => candidate.dtmf === digits);
        if (option !== undefined) {
          const target = /^(return|menu)\((.*)\)$/.exec(option.action);
          if (target === null) {
            // NOTE: the platform's handling of a malformed option action is not documented, so the
            // simulator reports it as PIE `error`, a menu result type the SDK lists.
            return { type: 'pie', menuResult: { menuId, type: 'error', value: digits } };
          }
          if (target[1] === 'return') return { type: 'pie', menuResult: { menuId, type: 'return', value: target[2] } };
          const nextMenu = menus.get(target[2]);
          if (nextMenu === undefined) return { type: 'pie', menuResult: { menuId, type: 'error', value: digits } };
          this.session.note(`Keys ${digits} open menu "${target[2]}".`);
          menuId = target[2];
          menu = nextMenu;
          attempt = 1;
          continue;
        }
        if (options.length === 0 || maxDigits > 1) return { type: 'pie', menuResult: { menuId, type: 'sequence', value: digits } };
        if (attempt >= maxAttempts) return { type: 'pie', menuResult: { menuId, type: 'invalidinput', value: digits } };
        this.session.note(`Keys ${digits} match no option of menu "${menuId}"; the menu plays again.`);
      } else if (attempt >= maxAttempts) {
        return { type: 'pie', menuResult: { menuId, type: 'timeout', value: '' } };
      } else {
        this.session.note(`No keys within ${timeoutMs} ms; the menu plays again.`);
      }
      attempt += 1;
    }
  }

  /** Keeps the keys a keypad can send and stops at `maxDigits`, as the platform stops collecting. */
  private collectDigits(keys: string, maxDigits: number): string {
    const valid = keys.replace(/[^0-9*#]/g, '');
    if (valid !== keys) this.session.note(`Only 0-9, * and # are keypad keys; "${keys}" was sent as "${valid}".`);
    if (valid.length > maxDigits) {
      this.session.note(`The menu collects at most ${maxDigits} digit(s); "${valid}" was cut to "${valid.slice(0, maxDigits)}".`);
      return valid.slice(0, maxDigits);
    }
    return valid;
  }
}
