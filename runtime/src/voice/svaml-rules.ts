/**
 * The SVAML v1 rules of the Voice API: which actions and instructions each callback accepts.
 * Source: the Voice API SVAML reference (developers.sinch.com/docs/voice/api-reference/svaml).
 * Where the SDK's response types are narrower (no `connectPstn` in PIE, no `stopRecording` in
 * ACE), the Voice API reference wins, because it describes what the platform accepts.
 */

export type SvamlCallback = 'ice' | 'ace' | 'pie';

export const SVAML_CALLBACKS: readonly SvamlCallback[] = ['ice', 'ace', 'pie'];

export const ACTIONS_BY_CALLBACK: Record<SvamlCallback, readonly string[]> = {
  ice: ['hangup', 'connectPstn', 'connectMxp', 'connectConf', 'connectSip', 'connectStream', 'runMenu', 'park'],
  ace: ['hangup', 'continue', 'connectConf', 'runMenu'],
  pie: ['hangup', 'continue', 'connectPstn', 'connectConf', 'connectSip', 'runMenu'],
};

export const INSTRUCTIONS_BY_CALLBACK: Record<SvamlCallback, readonly string[]> = {
  ice: ['playFiles', 'say', 'setCookie', 'startRecording', 'sendDtmf', 'stopRecording', 'answer'],
  ace: ['playFiles', 'say', 'setCookie', 'startRecording', 'stopRecording'],
  pie: ['playFiles', 'say', 'setCookie', 'startRecording', 'sendDtmf', 'stopRecording'],
};

export const ALL_ACTIONS = [...new Set(Object.values(ACTIONS_BY_CALLBACK).flat())];
export const ALL_INSTRUCTIONS = [...new Set(Object.values(INSTRUCTIONS_BY_CALLBACK).flat())];

/** Longest `say` text the Voice API accepts by default, in characters. */
export const SAY_MAX_LENGTH = 600;
/** Longest `conferenceId`, in characters. */
export const CONFERENCE_ID_MAX_LENGTH = 64;
/** Longest `connectPstn` `maxDuration`, in seconds (4 hours). */
export const MAX_CALL_DURATION_SECONDS = 14400;

/** Menu limits of the platform's MenuBuilder, applied to every menu a function returns. */
export const MENU_LIMITS = {
  timeoutMills: { min: 1000, max: 30000 },
  maxDigits: { min: 1, max: 20 },
  repeats: { min: 0, max: 5 },
} as const;
