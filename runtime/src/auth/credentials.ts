/**
 * Credential checks for the auth gate: the configured pairs, HTTP Basic parsing, constant-time
 * comparison, and the signed session cookie that the built-in `/login` page sets.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface CredentialPair {
  /** Variable names of the pair, for messages: `PROJECT_ID_API_KEY/PROJECT_ID_API_SECRET`. */
  source: string;
  user: string;
  password: string;
}

export const CREDENTIAL_VARIABLES = [
  ['PROJECT_ID_API_KEY', 'PROJECT_ID_API_SECRET'],
  ['ADMIN_USER', 'ADMIN_PASSWORD'],
] as const;

export const HOW_TO_CONFIGURE =
  'Set PROJECT_ID_API_KEY and PROJECT_ID_API_SECRET, or ADMIN_USER and ADMIN_PASSWORD, in .env or the environment.';

export const SESSION_COOKIE = 'sinch_session';
/** Lifetime of a `/login` session: 8 hours. */
export const SESSION_SECONDS = 8 * 60 * 60;

/** Returns the pairs whose two variables are both set and non-empty. */
export function configuredPairs(env: Record<string, string | undefined>): CredentialPair[] {
  const pairs: CredentialPair[] = [];
  for (const [userVariable, passwordVariable] of CREDENTIAL_VARIABLES) {
    const user = env[userVariable];
    const password = env[passwordVariable];
    if (user && password) pairs.push({ source: `${userVariable}/${passwordVariable}`, user, password });
  }
  return pairs;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares two strings in time that does not depend on where they differ or on their lengths. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Returns true when `user:password` matches any configured pair; every pair is always compared. */
export function matchesAnyPair(pairs: CredentialPair[], user: string, password: string): boolean {
  let matched = false;
  for (const pair of pairs) {
    const userMatches = safeEqual(pair.user, user);
    const passwordMatches = safeEqual(pair.password, password);
    matched = (userMatches && passwordMatches) || matched;
  }
  return matched;
}

/** Parses `Authorization: Basic <base64(user:password)>`; undefined when absent or malformed. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Derives the session key from the configured pairs, so a cookie stays valid across runtime
 * restarts and stops working as soon as any credential changes.
 */
function sessionKey(pairs: CredentialPair[]): Buffer {
  const material = pairs.map((pair) => `${pair.source}\0${pair.user}\0${pair.password}`).join('\0\0');
  return digest(`sinch-functions-dev session\0${material}`);
}

function sign(pairs: CredentialPair[], payload: string): string {
  return createHmac('sha256', sessionKey(pairs)).update(payload).digest('base64url');
}

/** Creates a session token `<expiry seconds>.<nonce>.<signature>`. */
export function createSessionToken(pairs: CredentialPair[], nowMs: number, nonce: string): string {
  const payload = `${Math.floor(nowMs / 1000) + SESSION_SECONDS}.${nonce}`;
  return `${payload}.${sign(pairs, payload)}`;
}

export function verifySessionToken(pairs: CredentialPair[], token: string, nowMs: number): boolean {
  if (pairs.length === 0) return false;
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [expiry, nonce, signature] = parts;
  if (!/^\d+$/.test(expiry) || Number(expiry) * 1000 <= nowMs) return false;
  return safeEqual(sign(pairs, `${expiry}.${nonce}`), signature);
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
