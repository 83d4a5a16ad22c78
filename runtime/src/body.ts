/**
 * Request body and query parsing.
 *
 * Bodies are read raw (up to the body limit) and then parsed by media type:
 * - `application/json` and every `+json` type (CloudEvents and others): parsed JSON;
 * - `application/x-www-form-urlencoded`: an object in the same shape as the query;
 * - `text/*`: a string;
 * - anything else: the raw bytes as a Buffer.
 * An empty body is `undefined`, never `{}`. Malformed JSON, bytes that are not valid UTF-8 in a
 * JSON, form or text body, and charsets other than UTF-8 (or its ASCII subset) answer 400 before
 * the handler is called. The raw bytes are always kept, because
 * signature checks need them.
 *
 * Query shape: a key that appears once has a string value, a repeated key an array of strings in
 * order; bracketed keys such as `a[b]` are kept literally and never nested. The result has no
 * prototype, so keys such as `__proto__` are ordinary keys.
 */
import { HttpError } from './http-error';

export type QueryValue = string | string[];
export type Query = Record<string, QueryValue>;

const SUPPORTED_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
/** Rejects invalid byte sequences instead of replacing them with U+FFFD, and drops a leading BOM. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function parseQuery(search: string): Query {
  const query: Query = Object.create(null);
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const [key, value] of params) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

interface MediaType {
  type: string;
  charset: string | undefined;
}

function parseContentType(header: string | undefined): MediaType | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const [type, ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [key, value] = parameter.split('=');
    if (key?.trim().toLowerCase() === 'charset' && value !== undefined) {
      charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    }
  }
  return { type: type.trim().toLowerCase(), charset };
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]*\+json$/.test(type);
}

function decodeText(raw: Buffer, media: MediaType): string {
  if (media.charset !== undefined && !SUPPORTED_CHARSETS.has(media.charset)) {
    throw new HttpError(400, `Unsupported charset "${media.charset}" in Content-Type "${media.type}"`, {
      fix: 'Send the body as UTF-8 and set charset=utf-8 (or leave the charset out).',
    });
  }
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new HttpError(400, `Body of Content-Type "${media.type}" is not valid UTF-8`, {
      fix: 'Encode the body as UTF-8, or send it as application/octet-stream to receive the bytes.',
    });
  }
}

/** Parses a raw body by its Content-Type header; throws `HttpError` 400 on bad input. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const media = parseContentType(contentType);
  if (media === undefined) return raw;

  if (isJsonMediaType(media.type)) {
    const text = decodeText(raw, media);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HttpError(400, `Malformed JSON body: ${(error as Error).message}`, {
        fix: 'Send valid JSON, or change the Content-Type header if the body is not JSON.',
      });
    }
  }
  if (media.type === 'application/x-www-form-urlencoded') {
    return parseQuery(decodeText(raw, media));
  }
  if (media.type.startsWith('text/')) {
    return decodeText(raw, media);
  }
  return raw;
}
