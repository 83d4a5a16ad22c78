/**
 * Builds the handler table of a loaded entry module: which exports are endpoints, plus the
 * `auth` configuration and the `setup` hook.
 *
 * Members of a default-export object and named exports both count. When both define the same
 * name, the named export wins (it is the more specific declaration), and the collision is
 * reported so the runtime can log it and the language server can warn about it.
 */
import { classifyExport, isNonEndpointExport, routePathOf, defaultMethodOf, type EndpointKind } from '../../common/src/routes';

export type Handler = (...args: unknown[]) => unknown;

export interface RouteEntry {
  path: string;
  exportName: string;
  kind: EndpointKind;
  method: 'GET' | 'POST';
}

export interface HandlerTable {
  handlers: Map<string, Handler>;
  /** The `auth` export: a list of handler names, `'*'`, or undefined. */
  auth: unknown;
  setup: Handler | undefined;
  /** Names defined both as a default-object member and as a named export. */
  collisions: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function isHandler(value: unknown): value is Handler {
  return typeof value === 'function' && !isClass(value);
}

/**
 * Reads handlers from a module's exports. ESM compiled to CommonJS carries `__esModule`;
 * `export =`, `module.exports = {…}` and `exports.x = …` are plain CommonJS objects whose members
 * are the exports; `module.exports = function` is the root handler.
 */
export function buildHandlerTable(moduleExports: unknown): HandlerTable {
  const named = new Map<string, unknown>();
  let defaultExport: unknown;

  if (isHandler(moduleExports)) {
    defaultExport = moduleExports;
  } else if (moduleExports !== null && typeof moduleExports === 'object') {
    const record = moduleExports as Record<string, unknown>;
    const isEsModule = record.__esModule === true;
    for (const key of Object.keys(record)) {
      if (key === '__esModule') continue;
      if (key === 'default' && isEsModule) {
        defaultExport = record.default;
        continue;
      }
      named.set(key, record[key]);
    }
  }

  const handlers = new Map<string, Handler>();
  const collisions: string[] = [];
  let auth: unknown;
  let setup: Handler | undefined;

  const add = (name: string, value: unknown, fromDefaultObject: boolean): void => {
    if (name === 'auth') {
      auth = value;
      return;
    }
    if (name === 'setup') {
      if (isHandler(value)) setup = value;
      return;
    }
    if (!isHandler(value) || isNonEndpointExport(name)) return;
    if (!fromDefaultObject && handlers.has(name)) collisions.push(name);
    handlers.set(name, value);
  };

  if (isHandler(defaultExport)) {
    add('default', defaultExport, true);
  } else if (isPlainObject(defaultExport)) {
    for (const key of Object.keys(defaultExport)) add(key, defaultExport[key], true);
  }
  for (const [name, value] of named) add(name, value, false);

  return { handlers, auth, setup, collisions };
}

/** The route table shown on start and served under `/_sinch/routes`. */
export function routeTableOf(table: HandlerTable): RouteEntry[] {
  return [...table.handlers.keys()].sort().map((exportName) => ({
    path: routePathOf(exportName),
    exportName,
    kind: classifyExport(exportName) ?? 'custom',
    method: defaultMethodOf(exportName),
  }));
}
