/**
 * Types of the objects the platform hands to function handlers: the context, the request, the
 * response and the Voice API v1 callback payloads. Field names follow the platform's wire format
 * (for example `callid`, all lower case, in v1 callbacks).
 */
import type { AceSvaml, IceSvaml, PieSvaml } from './svaml-types.js';

/** Project settings from `sinch.json`, plus the deployment facts the platform adds. */
export interface FunctionConfig {
  /** `PROJECT_ID` from the environment, or an empty string when it is not set. */
  projectId: string;
  /** `name` from `sinch.json`. */
  functionName: string;
  /** `development` when served locally, `production` when deployed. */
  environment: string;
  /** `variables` from `sinch.json`: non-secret values, also visible in `process.env`. */
  variables: Record<string, string>;
  /** Returns the variable's value, or throws an error that names it and where to set it. */
  requireVariable(name: string): string;
}

/** The per-function key-value cache. Values are stored as JSON, so they round-trip as plain data. */
export interface IFunctionCache {
  /** Stores `value` under `key` for `ttlSeconds` (default 3600). */
  set<T = unknown>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  /** Returns the value, or null when the key is missing or expired. */
  get<T = unknown>(key: string): Promise<T | null>;
  has(key: string): Promise<boolean>;
  /** Removes the key; returns true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Adds `seconds` to the key's remaining lifetime; returns false when the key is missing. */
  extend(key: string, seconds: number): Promise<boolean>;
  /** Lists live keys matching a glob pattern (`*` and `?`), or every key without a pattern. */
  keys(pattern?: string): Promise<string[]>;
  /** Reads several keys at once: an object with every requested key, null where missing. */
  getMany<T = unknown>(keys: string[]): Promise<Record<string, T | null>>;
}

/**
 * Bytes read from storage or a request: a Node `Buffer` at run time, declared structurally so
 * that projects without `@types/node` type-check too.
 */
export interface BinaryData extends Uint8Array {
  toString(encoding?: string): string;
}

/** The per-function blob store. Keys are relative paths such as `reports/daily.json`. */
export interface IFunctionStorage {
  write(key: string, data: string | Uint8Array): Promise<void>;
  /** Returns the stored bytes; rejects with code `ENOENT` when the key does not exist. */
  read(key: string): Promise<BinaryData>;
  /** Lists stored keys that start with `prefix`, sorted, with `/` as the separator. */
  list(prefix?: string): Promise<string[]>;
  exists(key: string): Promise<boolean>;
  /** Removes the key; returns true when it existed. */
  delete(key: string): Promise<boolean>;
}

export interface FunctionLogger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/**
 * A client from `@sinch/sdk-core`. Its real type comes from that package, which this module does
 * not depend on, so it is typed loosely here.
 */
export type SinchClient = any;

/** The first argument of every handler: configuration and the platform services. */
export interface FunctionContext {
  config: FunctionConfig;
  cache: IFunctionCache;
  storage: IFunctionStorage;
  /** Path of the function's SQLite database file. The file may not exist yet. */
  database: string;
  log: FunctionLogger;
  requestId: string;
  /** ISO-8601 time at which the request arrived. */
  timestamp: string;
  /** The process environment merged with `.env` and the `sinch.json` variables. */
  env: Record<string, string | undefined>;
  /** Reads `assets/<name>` as UTF-8 text. */
  assets(name: string): Promise<string>;
  /** Voice client; its calls fail with a clear error when voice credentials are missing. */
  voice: SinchClient;
  sms?: SinchClient;
  conversation?: SinchClient;
  numbers?: SinchClient;
}

export interface FunctionRequest<TBody = any> {
  /** Upper-case HTTP method, such as `POST`. */
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  /** Request headers with lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: TBody;
  /** The exact bytes of the body, which signature checks need. */
  rawBody?: BinaryData;
}

export interface FunctionResponse<TBody = unknown> {
  statusCode: number;
  body?: TBody;
  headers?: Record<string, string>;
}

/** A custom HTTP endpoint or webhook handler. */
export type FunctionHandler = (
  context: FunctionContext,
  request: FunctionRequest,
) => unknown | Promise<unknown>;

/** `{ currencyId, amount }` as in `userRate` and `debit`. */
export interface Money {
  currencyId: string;
  amount: number;
}

/** A v1 destination such as the dialled number: `type` is `number`, `did`, `username` or `sip`. */
export interface Destination {
  type: string;
  endpoint: string;
}

interface CallbackBase {
  callid: string;
  version?: number;
  custom?: string;
  applicationKey?: string;
  /** ISO-8601 UTC time of the event. */
  timestamp?: string;
}

/** Incoming Call Event: a call reached one of the application's numbers. */
export interface IceCallback extends CallbackBase {
  event: 'ice';
  callResourceUrl?: string;
  userRate?: Money;
  /** The caller's number in E.164. */
  cli: string;
  to: Destination;
  domain: string;
  originationType: string;
  duration?: number;
  rdnis?: string;
  callHeaders?: { key: string; value: string }[];
}

/** Answering machine detection result of an answered outbound call. */
export interface AmdResult {
  status: 'human' | 'machine' | 'notsure' | 'hangup' | 'inprogress' | string;
  reason: string;
  duration: number;
}

/** Answered Call Event: an outbound call was answered. */
export interface AceCallback extends CallbackBase {
  event: 'ace';
  amd?: AmdResult;
}

export interface MenuResult {
  menuId: string;
  /** `return`, `sequence`, `timeout`, `hangup`, `invalidinput` or `error`. */
  type: string;
  value: string;
  /** `dtmf` or `voice`. */
  inputMethod: string;
}

/** Prompt Input Event: a `runMenu` finished with a result. */
export interface PieCallback extends CallbackBase {
  event: 'pie';
  menuResult: MenuResult;
}

/** Disconnected Call Event: the call ended. Its reply is ignored. */
export interface DiceCallback extends CallbackBase {
  event: 'dice';
  reason: string;
  /** `ANSWERED`, `BUSY`, `NOANSWER`, `FAILED` or `N/A`. */
  result: string;
  duration?: number;
  debit?: Money;
  userRate?: Money;
  to?: Destination;
  from?: string;
  callHeaders?: { key: string; value: string }[];
}

/** Notification such as `recording_available`. Its reply is ignored. */
export interface NotifyCallback {
  event: 'notify';
  callid: string;
  version?: number;
  custom?: string;
  type: string;
  destination?: string;
  conferenceId?: string;
  amd?: AmdResult;
  errorCode?: number;
  errorMsg?: string;
  user?: string;
}

type MaybePromise<T> = T | Promise<T>;

/** The default-export object of a Voice API v1 function; other members are custom endpoints. */
export interface VoiceFunction {
  ice?: (context: FunctionContext, data: IceCallback) => MaybePromise<IceSvaml>;
  ace?: (context: FunctionContext, data: AceCallback) => MaybePromise<AceSvaml>;
  pie?: (context: FunctionContext, data: PieCallback) => MaybePromise<PieSvaml>;
  dice?: (context: FunctionContext, data: DiceCallback) => MaybePromise<void>;
  notify?: (context: FunctionContext, data: NotifyCallback) => MaybePromise<void>;
  [name: string]: unknown;
}
