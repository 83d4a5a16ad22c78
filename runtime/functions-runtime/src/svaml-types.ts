/** SVAML v1: the instructions and the one action a voice callback answers with. */

export interface SayInstruction {
  name: 'say';
  text: string;
  locale?: string;
}
export interface PlayFilesInstruction {
  name: 'playFiles';
  ids: string[];
  locale?: string;
}
export interface SetCookieInstruction {
  name: 'setCookie';
  key: string;
  value: string;
}
export interface SendDtmfInstruction {
  name: 'sendDtmf';
  value: string;
}
export interface AnswerInstruction {
  name: 'answer';
}
export interface RecordingOptions {
  destinationUrl?: string;
  credentials?: string;
  format?: string;
  notificationEvents?: boolean;
  transcriptionOptions?: { enabled: boolean; locale?: string };
}
export interface StartRecordingInstruction {
  name: 'startRecording';
  options?: RecordingOptions;
}
export interface StopRecordingInstruction {
  name: 'stopRecording';
}

export type SvamlInstruction =
  | SayInstruction
  | PlayFilesInstruction
  | SetCookieInstruction
  | SendDtmfInstruction
  | AnswerInstruction
  | StartRecordingInstruction
  | StopRecordingInstruction;

export interface HangupAction {
  name: 'hangup';
}
export interface ContinueAction {
  name: 'continue';
}
export interface ConnectPstnAction {
  name: 'connectPstn';
  number?: string;
  cli?: string;
  maxDuration?: number;
  dialTimeout?: number;
  locale?: string;
  dtmf?: string;
  suppressCallbacks?: boolean;
  indications?: string;
  amd?: { enabled?: boolean; async?: boolean };
}
export interface ConnectSipAction {
  name: 'connectSip';
  destination: { type: 'Sip'; endpoint: string };
  maxDuration?: number;
  cli?: string;
  transport?: 'UDP' | 'TCP' | 'TLS';
  suppressCallbacks?: boolean;
  callHeaders?: { key: string; value: string }[];
  moh?: string;
}
export interface ConnectMxpAction {
  name: 'connectMxp';
  destination: { type: 'username'; endpoint: string };
  callHeaders?: { key: string; value: string }[];
}
export interface ConnectConfAction {
  name: 'connectConf';
  conferenceId: string;
  conferenceDtmfOptions?: { mode: 'ignore' | 'forward' | 'detect' };
  moh?: string;
}
export interface MenuOption {
  /** The key or digits that pick the option. */
  dtmf: string;
  /** `return(<value>)` ends the menu with a PIE, `menu(<id>)` jumps to another menu. */
  action: string;
}
export interface Menu {
  id: string;
  mainPrompt?: string;
  repeatPrompt?: string;
  repeats?: number;
  maxDigits?: number;
  timeoutMills?: number;
  maxTimeoutMills?: number;
  options?: MenuOption[];
}
export interface RunMenuAction {
  name: 'runMenu';
  barge?: boolean;
  locale?: string;
  mainMenu?: string;
  enableVoice?: boolean;
  menus: Menu[];
}
export interface ParkAction {
  name: 'park';
  locale?: string;
  introPrompt?: string;
  holdPrompt?: string;
  maxDuration?: number;
}

export type SvamlAction =
  | HangupAction
  | ContinueAction
  | ConnectPstnAction
  | ConnectSipAction
  | ConnectMxpAction
  | ConnectConfAction
  | RunMenuAction
  | ParkAction;

/** A complete SVAML v1 document: instructions run in order, then the one action. */
export interface Svaml<TAction extends SvamlAction = SvamlAction> {
  instructions?: SvamlInstruction[];
  action: TAction;
}

export type IceSvaml = Svaml<
  HangupAction | ConnectPstnAction | ConnectSipAction | ConnectMxpAction | ConnectConfAction | RunMenuAction | ParkAction
>;
export type AceSvaml = Svaml<HangupAction | ContinueAction | ConnectConfAction | RunMenuAction>;
export type PieSvaml = Svaml<
  HangupAction | ContinueAction | ConnectPstnAction | ConnectSipAction | ConnectConfAction | RunMenuAction
>;
