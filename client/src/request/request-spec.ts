/**
 * The request a user composes in the Request view, and its translation into what is sent over
 * HTTP. This module has no `vscode` import so that it is unit-testable and usable by the webview
 * host, the history and the curl export alike.
 */

export interface HeaderEntry {
  name: string;
  value: string;
  /** Unchecked headers stay in the form but are not sent. */
  enabled?: boolean;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** A request as composed in the editor: relative to the runtime's base URL. */
export interface RequestSpec {
  method: string;
  /** The path with an optional query string, such as `/status?verbose=1`. */
  path: string;
  headers: HeaderEntry[];
  /** The raw body text; empty for none. */
  body: string;
  /** HTTP Basic credentials for endpoints listed in `export const auth`. */
  credentials?: BasicCredentials | null;
}

/** A request ready to send: absolute URL and final header set. */
export interface BuiltRequest {
  method: string;
  url: string;
  /** Header names in the letter case the user typed, in order. */
  headers: Array<[string, string]>;
  body?: string;
  /** Kept apart from `headers` so the curl export can write `-u` instead of a raw header. */
  basicAuth?: BasicCredentials;
}

export interface JsonProblem {
  message: string;
  /** One-based line and column of the offending character. */
  line: number;
  column: number;
}

export type BuildResult = { ok: true; request: BuiltRequest } | { ok: false; error: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks a JSON text and returns the position of the first syntax error, or null when valid. */
export function checkJson(text: string): JsonProblem | null {
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(message, text);
    const { line, column } = lineAndColumn(text, offset);
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { message: `Invalid JSON at line ${line}, column ${column}: ${reason}`, line, column };
  }
}

function jsonErrorOffset(message: string, text: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  // V8 reports "Unexpected end of JSON input" without a position.
  return text.length;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(offset, text.length));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Returns the value of a header (case-insensitive) among the enabled entries, or undefined. */
export function findHeader(headers: HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  const entry = headers.find((header) => header.enabled !== false && header.name.trim().toLowerCase() === lower);
  return entry?.value;
}

/** True when the body is declared as JSON, or undeclared and looks like JSON. */
export function isJsonBody(spec: Pick<RequestSpec, 'headers' | 'body'>): boolean {
  const contentType = findHeader(spec.headers, 'content-type');
  if (contentType !== undefined) return /[/+]json\b/i.test(contentType);
  const start = spec.body.trimStart().charAt(0);
  return start === '{' || start === '[';
}

/**
 * Validates a composed request and resolves it against the runtime's base URL
 * (`http://127.0.0.1:3000`). Every rejection names the value and the fix.
 */
export function buildRequest(spec: RequestSpec, baseUrl: string): BuildResult {
  const method = spec.method.trim().toUpperCase();
  if (!TOKEN.test(method)) {
    return { ok: false, error: `Invalid method "${spec.method}": use a word such as GET or POST.` };
  }

  const path = spec.path.trim();
  if (!path.startsWith('/')) {
    return { ok: false, error: `Invalid path "${spec.path}": a path starts with "/", such as /status.` };
  }
  if (/\s/.test(path)) {
    return { ok: false, error: `Invalid path "${spec.path}": encode spaces as %20.` };
  }
  let url: URL;
  try {
    url = new URL(path, baseUrl);
  } catch {
    return { ok: false, error: `Invalid path "${spec.path}": it does not form a URL with ${baseUrl}.` };
  }
  if (url.origin !== new URL(baseUrl).origin) {
    return { ok: false, error: `Invalid path "${spec.path}": requests go to the local runtime only.` };
  }

  const headers: Array<[string, string]> = [];
  for (const header of spec.headers) {
    if (header.enabled === false) continue;
    const name = header.name.trim();
    if (name === '' && header.value.trim() === '') continue;
    if (!TOKEN.test(name)) {
      return { ok: false, error: `Invalid header name "${header.name}": use letters, digits and dashes.` };
    }
    if (/[\r\n]/.test(header.value)) {
      return { ok: false, error: `Invalid value of header ${name}: it must be on one line.` };
    }
    headers.push([name, header.value]);
  }

  const hasBody = spec.body.length > 0;
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    return { ok: false, error: `A ${method} request has no body: clear the body or use POST.` };
  }
  if (hasBody && isJsonBody(spec)) {
    const problem = checkJson(spec.body);
    if (problem) return { ok: false, error: `${problem.message}. Fix the body or set another Content-Type.` };
  }
  if (hasBody && findHeader(spec.headers, 'content-type') === undefined) {
    headers.push(['Content-Type', isJsonBody(spec) ? 'application/json' : 'text/plain; charset=utf-8']);
  }

  const request: BuiltRequest = { method, url: url.toString(), headers };
  if (hasBody) request.body = spec.body;

  const credentials = spec.credentials;
  if (credentials && (credentials.username !== '' || credentials.password !== '')) {
    if (credentials.username.includes(':')) {
      return { ok: false, error: `Invalid user name "${credentials.username}": it must not contain ":".` };
    }
    if (findHeader(spec.headers, 'authorization') !== undefined) {
      return { ok: false, error: 'Both credentials and an Authorization header are set: remove one.' };
    }
    request.basicAuth = { ...credentials };
    headers.push(['Authorization', basicAuthorization(credentials)]);
  }
  return { ok: true, request };
}

export function basicAuthorization(credentials: BasicCredentials): string {
  const token = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  return `Basic ${token}`;
}

/** Pretty-prints a JSON text with two spaces; returns the text unchanged when it is not JSON. */
export function formatJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
