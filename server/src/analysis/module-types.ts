/**
 * The result of analysing one source file: what it exports, what it re-exports from other
 * files, and its `auth` configuration. Plain data with offset ranges only, so that a result can
 * be cached, compared and moved through later edits.
 */
import type { OffsetRange } from '../text/line-index';
import type { HandlerShape } from './handler-shape';

/** The syntax an export is written in. */
export type ExportOrigin =
  | 'named' // export function / const / class, export { a as b }
  | 'default' // export default function, export default <expression>, export =
  | 'default-member' // a member of the object that `export default` or `export =` gives
  | 'commonjs'; // exports.x =, module.exports.x =, module.exports = { x }

/** The module and name that an export passed on by this file comes from. */
export interface ExportSource {
  specifier: string;
  importedName: string;
  /** The specifier string in this file. */
  range: OffsetRange;
}

export interface ExportDecl {
  name: string;
  /** The export name as written in this file (identifier, string key or `default` keyword). */
  nameRange: OffsetRange;
  origin: ExportOrigin;
  /** True when the exported value is (or may be) a function, so the runtime serves it. */
  isHandler: boolean;
  shape: HandlerShape;
  /** The fields the handler reads from `request.body`; undefined when it never reads the body. */
  bodyFields?: readonly string[];
  /** The local binding the export refers to, when it has one in this file. */
  localName?: string;
  /** Set when the value comes from another module (`export { x } from`, or an imported binding). */
  source?: ExportSource;
}

export interface StarExport {
  specifier: string;
  /** The specifier string. */
  range: OffsetRange;
}

export interface AuthEntry {
  value: string;
  /** The string literal, quotes included. */
  range: OffsetRange;
  /** The span to delete to remove the entry, with its separating comma. */
  removalRange: OffsetRange;
}

export type AuthConfig =
  | { kind: 'all'; range: OffsetRange }
  | { kind: 'list'; range: OffsetRange; entries: AuthEntry[] }
  | { kind: 'invalid'; range: OffsetRange };

export type HintCode = 'unresolved-spread' | 'computed-key';

/** Something in the file that hides exports from the analysis. */
export interface AnalysisHint {
  code: HintCode;
  message: string;
  range: OffsetRange;
}

export interface ModuleAnalysis {
  exports: ExportDecl[];
  stars: StarExport[];
  auth?: AuthConfig;
  hints: AnalysisHint[];
  /** False when the file has syntax errors; the exports are then a best effort. */
  parsed: boolean;
}
