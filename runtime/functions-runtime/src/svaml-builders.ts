/**
 * SVAML v1 builders for `ice`, `ace` and `pie`. Each offers only the instructions and actions
 * that its callback accepts, and `build()` returns the plain SVAML object the handler returns.
 * Setting a second action throws, because SVAML allows exactly one.
 */
import { MenuBuilder, toPrompt } from './menu.js';
import type {
  AceSvaml,
  ConnectConfAction,
  ConnectPstnAction,
  ConnectSipAction,
  IceSvaml,
  Menu,
  PieSvaml,
  RecordingOptions,
  RunMenuAction,
  SvamlAction,
  SvamlInstruction,
} from './svaml-types.js';

export interface ConnectPstnOptions {
  /** Caller id shown to the callee; `private` hides it. */
  cli?: string;
  /** Maximum call duration in seconds (at most 14400). */
  maxDuration?: number;
  /** Seconds to wait for an answer; sent as `dialTimeout`. */
  timeout?: number;
  /** False stops the platform from sending ACE for this leg; sent as `suppressCallbacks: true`. */
  enableAce?: boolean;
  amd?: { enabled?: boolean; async?: boolean };
  locale?: string;
  dtmf?: string;
  indications?: string;
}

export interface ConnectSipOptions {
  cli?: string;
  maxDuration?: number;
  transport?: 'UDP' | 'TCP' | 'TLS';
  callHeaders?: { key: string; value: string }[];
  moh?: string;
  suppressCallbacks?: boolean;
}

export interface ConnectConfOptions {
  dtmfMode?: 'ignore' | 'forward' | 'detect';
  moh?: string;
}

export interface RunMenuOptions {
  barge?: boolean;
  locale?: string;
  mainMenu?: string;
  enableVoice?: boolean;
  menus: (Menu | MenuBuilder)[];
}

export interface ParkOptions {
  locale?: string;
  introPrompt?: string;
  holdPrompt?: string;
  maxDuration?: number;
}

const DEFAULT_LOCALE = 'en-US';

function toMenu(menu: Menu | MenuBuilder): Menu {
  return menu instanceof MenuBuilder ? menu.build() : menu;
}

/** Shared state and the instructions every callback accepts. */
abstract class SvamlBuilder<TSvaml extends { action: SvamlAction }> {
  protected readonly instructions: SvamlInstruction[] = [];
  protected action: SvamlAction | undefined;

  say(text: string, locale: string = DEFAULT_LOCALE): this {
    this.instructions.push({ name: 'say', text, locale });
    return this;
  }

  /** Plays one audio file URL. */
  play(url: string): this {
    this.instructions.push({ name: 'playFiles', ids: [url] });
    return this;
  }

  playFiles(ids: string[], locale?: string): this {
    this.instructions.push(locale === undefined ? { name: 'playFiles', ids } : { name: 'playFiles', ids, locale });
    return this;
  }

  /** Stores a value that travels with the call to its later callbacks. */
  setCookie(key: string, value: string): this {
    this.instructions.push({ name: 'setCookie', key, value });
    return this;
  }

  startRecording(options?: RecordingOptions): this {
    this.instructions.push(options === undefined ? { name: 'startRecording' } : { name: 'startRecording', options });
    return this;
  }

  stopRecording(): this {
    this.instructions.push({ name: 'stopRecording' });
    return this;
  }

  hangup(): this {
    return this.setAction({ name: 'hangup' });
  }

  /** Returns the SVAML document. Without an action set, `action` is missing and the platform rejects it. */
  build(): TSvaml {
    const svaml: { instructions?: SvamlInstruction[]; action?: SvamlAction } = {};
    if (this.instructions.length > 0) svaml.instructions = this.instructions.map((item) => ({ ...item }));
    if (this.action !== undefined) svaml.action = this.action;
    return svaml as TSvaml;
  }

  protected setAction(action: SvamlAction): this {
    if (this.action !== undefined) {
      throw new Error(
        `SVAML allows exactly one action, and "${this.action.name}" is already set; remove one of "${this.action.name}" and "${action.name}".`,
      );
    }
    this.action = action;
    return this;
  }

  protected sendDtmfInstruction(value: string): this {
    this.instructions.push({ name: 'sendDtmf', value });
    return this;
  }

  protected connectPstnAction(number: string, options: ConnectPstnOptions = {}): this {
    const action: ConnectPstnAction = { name: 'connectPstn', number };
    if (options.cli !== undefined) action.cli = options.cli;
    if (options.maxDuration !== undefined) action.maxDuration = options.maxDuration;
    if (options.timeout !== undefined) action.dialTimeout = options.timeout;
    // NOTE: the mapping of `enableAce` to a wire field is not documented; `suppressCallbacks`
    // is the Voice API field that stops ACE for the leg.
    if (options.enableAce === false) action.suppressCallbacks = true;
    if (options.amd !== undefined) action.amd = options.amd;
    if (options.locale !== undefined) action.locale = options.locale;
    if (options.dtmf !== undefined) action.dtmf = options.dtmf;
    if (options.indications !== undefined) action.indications = options.indications;
    return this.setAction(action);
  }

  protected connectSipAction(endpoint: string, options: ConnectSipOptions = {}): this {
    const action: ConnectSipAction = { name: 'connectSip', destination: { type: 'Sip', endpoint }, ...options };
    return this.setAction(action);
  }

  protected connectConfAction(conferenceId: string, options: ConnectConfOptions = {}): this {
    const action: ConnectConfAction = { name: 'connectConf', conferenceId };
    if (options.dtmfMode !== undefined) action.conferenceDtmfOptions = { mode: options.dtmfMode };
    if (options.moh !== undefined) action.moh = options.moh;
    return this.setAction(action);
  }

  /** Accepts one menu, a menu builder, or full `runMenu` options with several menus. */
  protected runMenuAction(menu: Menu | MenuBuilder | RunMenuOptions): this {
    const options: RunMenuOptions = 'menus' in menu ? menu : { menus: [menu] };
    const action: RunMenuAction = { name: 'runMenu', barge: options.barge ?? true, menus: options.menus.map(toMenu) };
    if (options.locale !== undefined) action.locale = options.locale;
    if (options.mainMenu !== undefined) action.mainMenu = options.mainMenu;
    if (options.enableVoice !== undefined) action.enableVoice = options.enableVoice;
    return this.setAction(action);
  }
}

/** Builds the answer to an Incoming Call Event. */
export class IceSvamlBuilder extends SvamlBuilder<IceSvaml> {
  answer(): this {
    this.instructions.push({ name: 'answer' });
    return this;
  }

  sendDtmf(digits: string): this {
    return this.sendDtmfInstruction(digits);
  }

  connectPstn(number: string, options?: ConnectPstnOptions): this {
    return this.connectPstnAction(number, options);
  }

  connectSip(endpoint: string, options?: ConnectSipOptions): this {
    return this.connectSipAction(endpoint, options);
  }

  /** Connects to an in-app user of the Sinch SDKs. */
  connectMxp(username: string, callHeaders?: { key: string; value: string }[]): this {
    const action: SvamlAction = { name: 'connectMxp', destination: { type: 'username', endpoint: username } };
    if (callHeaders !== undefined) action.callHeaders = callHeaders;
    return this.setAction(action);
  }

  connectConf(conferenceId: string, options?: ConnectConfOptions): this {
    return this.connectConfAction(conferenceId, options);
  }

  runMenu(menu: Menu | MenuBuilder | RunMenuOptions): this {
    return this.runMenuAction(menu);
  }

  /** Puts the caller on hold; prompts given as plain text become text to speech. */
  park(options: ParkOptions = {}): this {
    const action: SvamlAction = { name: 'park' };
    if (options.locale !== undefined) action.locale = options.locale;
    if (options.introPrompt !== undefined) action.introPrompt = toPrompt(options.introPrompt);
    if (options.holdPrompt !== undefined) action.holdPrompt = toPrompt(options.holdPrompt);
    if (options.maxDuration !== undefined) action.maxDuration = options.maxDuration;
    return this.setAction(action);
  }
}

/** Builds the answer to an Answered Call Event: continue the call or hang up. */
export class AceSvamlBuilder extends SvamlBuilder<AceSvaml> {
  continue(): this {
    return this.setAction({ name: 'continue' });
  }
}

/** Builds the answer to a Prompt Input Event. */
export class PieSvamlBuilder extends SvamlBuilder<PieSvaml> {
  sendDtmf(digits: string): this {
    return this.sendDtmfInstruction(digits);
  }

  continue(): this {
    return this.setAction({ name: 'continue' });
  }

  connectPstn(number: string, options?: ConnectPstnOptions): this {
    return this.connectPstnAction(number, options);
  }

  connectSip(endpoint: string, options?: ConnectSipOptions): this {
    return this.connectSipAction(endpoint, options);
  }

  connectConf(conferenceId: string, options?: ConnectConfOptions): this {
    return this.connectConfAction(conferenceId, options);
  }

  runMenu(menu: Menu | MenuBuilder | RunMenuOptions): this {
    return this.runMenuAction(menu);
  }
}

export function createIceBuilder(): IceSvamlBuilder {
  return new IceSvamlBuilder();
}
