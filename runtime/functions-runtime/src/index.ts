/**
 * Local stand-in for `@sinch/functions-runtime`: the handler types, the SVAML v1 builders and
 * `createMenu`. The runtime serves it only to projects that have no installed copy.
 * Voice API v2 (`onCall`) lives in `./voice`.
 */
export type {
  AceCallback,
  AmdResult,
  BinaryData,
  DiceCallback,
  Destination,
  FunctionConfig,
  FunctionContext,
  FunctionHandler,
  FunctionLogger,
  FunctionRequest,
  FunctionResponse,
  IFunctionCache,
  IFunctionStorage,
  IceCallback,
  MenuResult,
  Money,
  NotifyCallback,
  PieCallback,
  SinchClient,
  VoiceFunction,
} from './types.js';
export type * from './svaml-types.js';
export { IceSvamlBuilder, AceSvamlBuilder, PieSvamlBuilder, createIceBuilder } from './svaml-builders.js';
export type {
  ConnectConfOptions,
  ConnectPstnOptions,
  ConnectSipOptions,
  ParkOptions,
  RunMenuOptions,
} from './svaml-builders.js';
export { MenuBuilder, createMenu, MENU_LIMITS } from './menu.js';
