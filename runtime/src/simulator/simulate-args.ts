/**
 * Command-line parsing for `sinch-functions-dev simulate`. Parsing never exits: it returns the
 * options or throws a `UsageError` whose message names the bad value and the fix.
 */
import { readArguments, UsageError } from '../args';
import { checkRecordingName, RecordingError } from './recording';
import { checkPhoneNumber, DEFAULT_FROM, DEFAULT_TO, SimulationOptionError } from './simulation';
import type { CallerChoice, VoiceApi } from './types';

export interface SimulateOptions {
  /** A project folder (the runtime is started for it) or the URL of a running runtime. */
  target: string;
  from: string;
  to: string;
  voiceApi?: VoiceApi;
  /** Caller answers given up front; the terminal asks when absent. */
  script?: CallerChoice[];
  /** A name under `.sinch/calls/`, or a path ending in `.json`. */
  save?: string;
  /** A recorded call file, or a folder of them, to replay. */
  replay?: string;
  seed?: string;
  continueOnFindings: boolean;
  json: boolean;
  /** Wait for keys without running the menu's timer. */
  wait: boolean;
  /** Inspector address for the runtime this command starts. */
  inspect?: string;
  /** Seconds the started runtime gives a handler before it answers 504. */
  timeoutSeconds?: number;
  help: boolean;
}

export const SIMULATE_HELP_TEXT = `Usage: sinch-functions-dev simulate <projectDir|url> [options]

Plays the platform's part of a phone call against a voice function: sends ICE (or call.incoming
for Voice API v2), follows the SVAML it answers, asks you for keys at each menu, and ends with
DICE (or call.hangup). Given a folder, it starts the runtime for it on a free port; given a URL,
it uses the runtime already running there.

Options:
  --from <number>          caller number in E.164 (default ${DEFAULT_FROM})
  --to <number>            called number in E.164 (default ${DEFAULT_TO})
  --voice-api v1|v2        voice model; by default ice means v1 and voiceWebhook means v2
  --input <answers>        the caller's answers in order, comma-separated, instead of asking:
                           keys such as 1 or 1234#, t (timeout), h (hang up), a (answered),
                           b (busy), n (no answer), f (failed), c (the far end hangs up)
  --save <name|file.json>  save the call as .sinch/calls/<name>.json in the project (in the
                           current folder for a URL target), or to a .json file path
  --replay <file|folder>   replay recorded calls and report what the function answers differently;
                           exits with 1 when anything differs
  --seed <text>            seed of the call's ids, for repeatable event bodies
  --continue-on-findings   keep following SVAML with findings when its action can be followed
  --wait                   wait for keys at a menu instead of timing out after its timeoutMills
  --json                   print the call (or the replay report) as JSON on stdout
  --inspect[=[host:]port]  start the runtime with the Node inspector, for breakpoints
  --timeout <seconds>      time the started runtime gives a handler (default 30; 3600 with --inspect)
  --help                   print this help and exit

Exit codes: 0 when the call ended (or every replay matched), 1 when the call was stopped, a
replay differed or the runtime failed to start, 2 for invalid arguments.
`;

const CHOICE_WORDS: Record<string, CallerChoice['kind']> = {
  t: 'timeout',
  timeout: 'timeout',
  h: 'hangup',
  hangup: 'hangup',
  a: 'answered',
  answered: 'answered',
  b: 'busy',
  busy: 'busy',
  n: 'noanswer',
  noanswer: 'noanswer',
  f: 'failed',
  failed: 'failed',
  c: 'calleeHangup',
  callee: 'calleeHangup',
};

/** Parses one caller answer, such as `1`, `*12#`, `t` or `busy`. */
export function parseChoice(token: string): CallerChoice {
  const word = token.trim();
  if (/^[0-9*#]+$/.test(word)) return { kind: 'keys', keys: word };
  const kind = CHOICE_WORDS[word.toLowerCase()];
  if (kind !== undefined && kind !== 'keys') return { kind };
  throw new UsageError(
    `Invalid answer "${token}": use keys (0-9, * and #), t (timeout), h (hang up), a (answered), b (busy), n (no answer), f (failed) or c (the far end hangs up).`,
  );
}

/** Checks a recording name before the call runs, so a bad name does not waste the call. */
function checkSaveName(name: string): void {
  try {
    checkRecordingName(name);
  } catch (error) {
    if (error instanceof RecordingError) throw new UsageError(error.message);
    throw error;
  }
}

export function parseSimulateArgs(argv: readonly string[]): SimulateOptions {
  const options: SimulateOptions = { target: '', from: DEFAULT_FROM, to: DEFAULT_TO, continueOnFindings: false, json: false, wait: false, help: false };
  for (const { arg, flag, inlineValue, takeValue } of readArguments(argv, 'simulate --help')) {
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--from':
        options.from = takeValue();
        break;
      case '--to':
        options.to = takeValue();
        break;
      case '--voice-api': {
        const api = takeValue();
        if (api !== 'v1' && api !== 'v2') throw new UsageError(`Invalid --voice-api "${api}": use v1 (ice, pie, …) or v2 (voiceWebhook).`);
        options.voiceApi = api;
        break;
      }
      case '--input':
        options.script = takeValue().split(',').map(parseChoice);
        break;
      case '--save':
        options.save = takeValue();
        if (!options.save.endsWith('.json')) checkSaveName(options.save);
        break;
      case '--replay':
        options.replay = takeValue();
        break;
      case '--seed':
        options.seed = takeValue();
        break;
      case '--continue-on-findings':
        options.continueOnFindings = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--wait':
        options.wait = true;
        break;
      case '--inspect':
        options.inspect = inlineValue ?? '';
        break;
      case '--timeout': {
        const text = takeValue();
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`Invalid --timeout "${text}": use a number of seconds greater than 0.`);
        options.timeoutSeconds = seconds;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}: see simulate --help.`);
        if (options.target !== '') throw new UsageError(`Unexpected argument "${arg}": give one project folder or URL.`);
        options.target = arg;
    }
  }
  if (!options.help && options.target === '') {
    throw new UsageError('Missing target: give a project folder (such as examples/voice-ivr) or the URL of a running runtime.');
  }
  try {
    checkPhoneNumber(options.from, 'caller (--from)');
    checkPhoneNumber(options.to, 'called (--to)');
  } catch (error) {
    if (error instanceof SimulationOptionError) throw new UsageError(error.message);
    throw error;
  }
  if (options.replay !== undefined && (options.save !== undefined || options.script !== undefined)) {
    throw new UsageError('--replay takes the answers from the recording; leave out --save and --input.');
  }
  return options;
}
