/**
 * Turns what a handler returned into an HTTP response:
 *
 * - `{ statusCode, body?, headers? }` (a FunctionResponse): that status (200 to 599), headers and
 *   body, except the framing headers such as `Content-Length`, which the runtime sets itself;
 * - `undefined` or `null`: 204 with no body;
 * - a plain object or an array: 200 JSON;
 * - a string: 200 `text/plain; charset=utf-8`;
 * - a Buffer or typed array: 200 `application/octet-stream`.
 *
 * Anything else (a number, a boolean, a function, a class instance such as a Map, a value that
 * cannot be serialised) is a handler bug and answers 500 JSON that names what was returned.
 * A `Content-Type` header set by the handler is always kept.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { HttpError } from './http-error';

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name ? `an instance of ${name}` : 'an object';
  }
  if (typeof value === 'function') return 'a function';
  const text = String(value);
  return `a ${typeof value} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function invalidReturn(exportName: string, problem: string): HttpError {
  return new HttpError(500, `Handler "${exportName}" returned ${problem}`, {
    fix: 'Return an object (sent as JSON), a string, a Buffer, nothing (204), or { statusCode, body, headers }.',
  });
}

function jsonBuffer(value: unknown, exportName: string): Buffer {
  try {
    return Buffer.from(JSON.stringify(value));
  } catch (error) {
    throw invalidReturn(exportName, `a value that cannot be sent as JSON: ${(error as Error).message}`);
  }
}

function hasHeader(headers: Record<string, string | string[]>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function encodeBody(
  value: unknown,
  headers: Record<string, string | string[]>,
  exportName: string,
): Buffer | undefined {
  const setType = (type: string) => {
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = type;
  };
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    setType('text/plain; charset=utf-8');
    return Buffer.from(value);
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    setType('application/octet-stream');
    return Buffer.from(value);
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    setType('application/json; charset=utf-8');
    return jsonBuffer(value, exportName);
  }
  throw invalidReturn(exportName, `${describe(value)} as its body`);
}

/**
 * Headers that frame the message on the connection. The runtime sends the whole body at once and
 * sets these itself; a handler's value would only be wrong (a `Content-Length` larger than the
 * body leaves the client waiting for bytes that never come), so it is dropped.
 */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** Checks a header the way Node's `setHeader` does, so that a bad one fails before any is set. */
function checkHeader(name: string, value: string | string[], exportName: string): void {
  try {
    validateHeaderName(name);
    for (const item of Array.isArray(value) ? value : [value]) validateHeaderValue(name, item);
  } catch {
    throw invalidReturn(exportName, `a header ${JSON.stringify(name)} whose name or value is not valid in HTTP (line breaks and other control characters are not allowed)`);
  }
}

function normalizeHeaders(value: unknown, exportName: string): Record<string, string | string[]> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalidReturn(exportName, `headers that are ${describe(value)}`);
  const headers: Record<string, string | string[]> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    let normalized: string | string[];
    if (typeof headerValue === 'string') normalized = headerValue;
    else if (typeof headerValue === 'number' || typeof headerValue === 'boolean') normalized = String(headerValue);
    else if (Array.isArray(headerValue) && headerValue.every((item) => typeof item === 'string')) normalized = headerValue;
    else throw invalidReturn(exportName, `a header "${name}" that is ${describe(headerValue)}`);
    checkHeader(name, normalized, exportName);
    if (!FRAMING_HEADERS.has(name.toLowerCase())) headers[name] = normalized;
  }
  return headers;
}

/** True when a value has the FunctionResponse shape `{ statusCode, ... }`. */
export function isFunctionResponse(value: unknown): value is { statusCode: unknown; body?: unknown; headers?: unknown } {
  return isPlainObject(value) && 'statusCode' in value;
}

export function toHttpResponse(value: unknown, exportName: string): OutgoingResponse {
  if (value === undefined || value === null) return { status: 204, headers: {}, body: undefined };

  if (isFunctionResponse(value)) {
    const status = value.statusCode;
    // A 1xx status is an interim response: the client would keep waiting for the final one.
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
      throw invalidReturn(exportName, `statusCode ${JSON.stringify(status)}; use a whole number from 200 to 599`);
    }
    const headers = normalizeHeaders(value.headers, exportName);
    return { status, headers, body: encodeBody(value.body, headers, exportName) };
  }

  if (typeof value === 'string' || Buffer.isBuffer(value) || value instanceof Uint8Array || Array.isArray(value) || isPlainObject(value)) {
    const headers: Record<string, string | string[]> = {};
    return { status: 200, headers, body: encodeBody(value, headers, exportName) };
  }
  throw invalidReturn(exportName, describe(value));
}
