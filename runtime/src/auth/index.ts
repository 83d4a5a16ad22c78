/**
 * The auth gate: decides for each request whether it passes, gets a 401, or is redirected to
 * the `/login` page, and serves the built-in `/login` and `/logout`.
 *
 * Contract for the runtime core:
 *
 * ```ts
 * const gate = createAuthGate({ projectDir, handlers: () => table, env: () => contexts.env(), log });
 * app.use(gate.middleware);                 // Express: resolves the route itself
 * // or, where the core has already resolved the route:
 * const outcome = gate.check(decision, req); // { type: 'pass' } or a response to send
 * await gate.serveBuiltin('login' | 'logout', req, res);
 * ```
 *
 * Rules (see policy.ts for which targets are protected):
 * - Credentials: HTTP Basic with `PROJECT_ID_API_KEY:PROJECT_ID_API_SECRET` or
 *   `ADMIN_USER:ADMIN_PASSWORD`, or the session cookie set by `/login`. Compared in constant time.
 * - Fail-closed: with no pair configured, a protected target answers 401 with a message that
 *   says how to configure one, unless `skipWhenUnconfigured` is set (the older platform rule).
 * - A 401 is JSON and has no `WWW-Authenticate` header, so browsers show no Basic dialog. A
 *   browser navigation (GET or HEAD with `Sec-Fetch-Mode: navigate`, or with `Accept: text/html`
 *   when that header is absent) is redirected with 302 to `/login?returnTo=<path>` instead.
 * - `POST /login` with a correct form or JSON body sets an HttpOnly `sinch_session` cookie (8 h).
 *   `POST /logout` clears it. Exported `login`/`logout` handlers replace both pages.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveRoute, type RouteDecision } from '../../../common/src/routes';
import {
  HOW_TO_CONFIGURE,
  SESSION_COOKIE,
  SESSION_SECONDS,
  configuredPairs,
  createSessionToken,
  matchesAnyPair,
  parseBasic,
  readCookie,
  verifySessionToken,
} from './credentials';
import { LOGIN_PAGE_CSP, renderLoginPage } from './login-page';
import { parseAuthExport, protectedTarget, type AuthSetting } from './policy';

export type AuthLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AuthHandlerTable {
  /** The value of the `auth` export, or undefined. */
  auth: unknown;
  hasExport(name: string): boolean;
}

export interface AuthGateOptions {
  projectDir: string;
  /** The current handler table; it changes on every hot reload. Undefined before the first load. */
  handlers: () => AuthHandlerTable | undefined;
  /** The merged environment (process, `.env`, `sinch.json`), read on every request. */
  env: () => Record<string, string | undefined>;
  log: (level: AuthLogLevel, message: string, fields: Record<string, unknown>) => void;
  /** Lets protected targets through when no credential pair is configured. Off by default. */
  skipWhenUnconfigured?: boolean;
  /** Finds a `public/` file for a path, so that static files listed in `auth` are protected too. */
  findStaticFile?: (path: string) => string | undefined;
  now?: () => number;
}

export interface RequestLike {
  method: string;
  /** The path and query as sent, such as `/admin?x=1`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A response the gate sends itself: a 401, a redirect, or a built-in page. */
export interface AuthResponse {
  type: 'respond';
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type AuthOutcome = { type: 'pass'; user?: string } | AuthResponse;

export interface AuthGate {
  middleware(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (error?: unknown) => void): void;
  check(decision: RouteDecision, request: RequestLike): AuthOutcome;
  serveBuiltin(name: 'login' | 'logout', req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>;
}

const MAX_FORM_BYTES = 16 * 1024;
/** Failed sign-ins one client address may make per window before `/login` answers 429. */
export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;
/** Bound on the revoked-session and failed-sign-in tables, so they cannot grow without limit. */
const MAX_TRACKED_ENTRIES = 10_000;

function header(request: RequestLike, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): AuthResponse {
  return {
    type: 'respond',
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function isBrowserNavigation(request: RequestLike): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const mode = header(request, 'sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate';
  return (header(request, 'accept') ?? '').includes('text/html');
}

/** Accepts only a local path, so the login page cannot redirect to another site. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (/[\0-\x1f]/.test(value)) return '/';
  return value;
}

function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

/** Parses a JSON or urlencoded body given as bytes, a string or an already parsed object. */
function formFields(body: unknown, contentType: string | undefined): Record<string, unknown> {
  if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof Uint8Array)) {
    return body as Record<string, unknown>;
  }
  let text = '';
  if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  else if (typeof body === 'string') text = body;
  if ((contentType ?? '').includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Returns the request body; reads the stream when no body parser ran before the gate. */
async function requestBody(req: IncomingMessage & { body?: unknown }): Promise<unknown> {
  if (req.body !== undefined) return req.body;
  if (req.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error(`The sign-in form is larger than ${MAX_FORM_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body for route resolution, so that v2 events posted to `/` reach `voiceWebhook`. */
function bodyForRouting(body: unknown, contentType: string | undefined): unknown {
  if (!Buffer.isBuffer(body)) return body;
  if (!(contentType ?? '').includes('json')) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, outcome: AuthResponse, method: string): void {
  res.statusCode = outcome.status;
  for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
  res.end(method === 'HEAD' ? undefined : outcome.body);
}

export function createAuthGate(options: AuthGateOptions): AuthGate {
  const now = options.now ?? Date.now;
  const revoked = new Map<string, number>();
  const failures = new Map<string, { count: number; resetAt: number }>();
  const reported = new Set<string>();

  /** Drops expired entries, and the oldest ones when a table is still over its bound. */
  const prune = <T>(table: Map<string, T>, expiresAt: (value: T) => number): void => {
    if (table.size < MAX_TRACKED_ENTRIES) return;
    for (const [key, value] of table) {
      if (expiresAt(value) <= now() || table.size >= MAX_TRACKED_ENTRIES) table.delete(key);
    }
  };

  /** Logs a configuration problem once per distinct message, not once per request. */
  const reportOnce = (level: AuthLogLevel, message: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    options.log(level, message, {});
  };

  const currentSetting = (): AuthSetting => {
    const table = options.handlers();
    const setting = parseAuthExport(table?.auth);
    if (setting.mode === 'invalid') reportOnce('error', setting.problem);
    if (setting.mode === 'list' && table !== undefined) {
      for (const name of setting.names) {
        if (!name.startsWith('public/') && !table.hasExport(name)) {
          reportOnce('warn', `export const auth lists "${name}", but the function has no export of that name.`);
        }
      }
    }
    return setting;
  };

  const isRevoked = (token: string): boolean => {
    const until = revoked.get(token);
    if (until === undefined) return false;
    if (until <= now()) {
      revoked.delete(token);
      return false;
    }
    return true;
  };

  const check = (decision: RouteDecision, request: RequestLike): AuthOutcome => {
    const target = protectedTarget(decision, currentSetting(), options.projectDir);
    if (target === undefined) return { type: 'pass' };

    const pairs = configuredPairs(options.env());
    if (pairs.length === 0) {
      if (options.skipWhenUnconfigured) {
        reportOnce('warn', 'No credentials are configured, so protected endpoints are open (auth is skipped when unconfigured).');
        return { type: 'pass' };
      }
      if (isBrowserNavigation(request)) return redirectToLogin(request);
      return json(401, {
        error: 'Unauthorized',
        message: `"${target}" is protected by export const auth, and no credentials are configured, so it cannot be opened.`,
        fix: `${HOW_TO_CONFIGURE} The runtime reads .env again when it is saved.`,
      });
    }

    const basic = parseBasic(header(request, 'authorization'));
    if (basic !== undefined) {
      if (matchesAnyPair(pairs, basic.user, basic.password)) return { type: 'pass', user: basic.user };
      if (isBrowserNavigation(request)) return redirectToLogin(request);
      return json(401, { error: 'Unauthorized', message: `The credentials sent for "${target}" are invalid.` });
    }

    const token = readCookie(header(request, 'cookie'), SESSION_COOKIE);
    if (token !== undefined && !isRevoked(token) && verifySessionToken(pairs, token, now())) return { type: 'pass' };

    if (isBrowserNavigation(request)) return redirectToLogin(request);
    return json(401, {
      error: 'Unauthorized',
      message: `"${target}" requires credentials: send HTTP Basic credentials, or sign in at /login.`,
    });
  };

  const redirectToLogin = (request: RequestLike): AuthResponse => ({
    type: 'respond',
    status: 302,
    headers: { location: `/login?returnTo=${encodeURIComponent(safeReturnTo(request.url))}`, 'cache-control': 'no-store' },
    body: '',
  });

  const loginPage = (status: number, returnTo: string, error?: string): AuthResponse => ({
    type: 'respond',
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': LOGIN_PAGE_CSP, 'cache-control': 'no-store' },
    body: renderLoginPage({
      returnTo,
      error,
      unconfigured: configuredPairs(options.env()).length === 0,
      howToConfigure: HOW_TO_CONFIGURE,
    }),
  });

  const serveLogin = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (method === 'GET' || method === 'HEAD') {
      send(res, loginPage(200, safeReturnTo(url.searchParams.get('returnTo'))), method);
      return;
    }
    if (method !== 'POST') {
      send(res, json(405, { error: 'Method Not Allowed', message: 'Use GET to show /login and POST to sign in.' }, { allow: 'GET, HEAD, POST' }), method);
      return;
    }

    const client = req.socket.remoteAddress ?? 'unknown';
    const record = failures.get(client);
    if (record !== undefined && record.resetAt > now() && record.count >= MAX_FAILED_SIGN_INS) {
      const seconds = Math.ceil((record.resetAt - now()) / 1000);
      options.log('warn', 'Sign-in rejected: too many failed attempts', { client });
      send(res, json(429, { error: 'Too Many Requests', message: `Too many failed sign-ins from this address; try again in ${seconds} s.` }, { 'retry-after': String(seconds) }), method);
      return;
    }

    const contentType = req.headers['content-type'];
    const fields = formFields(await requestBody(req), contentType);
    const returnTo = safeReturnTo(fields.returnTo ?? url.searchParams.get('returnTo'));
    const wantsJson = (contentType ?? '').includes('json');
    const pairs = configuredPairs(options.env());
    const user = typeof fields.username === 'string' ? fields.username : '';
    const password = typeof fields.password === 'string' ? fields.password : '';

    if (pairs.length === 0 || !matchesAnyPair(pairs, user, password)) {
      const message = pairs.length === 0 ? `No credentials are configured. ${HOW_TO_CONFIGURE}` : 'The user name or password is invalid.';
      options.log('warn', 'Sign-in failed', { reason: pairs.length === 0 ? 'no credentials configured' : 'invalid credentials', client });
      const current = record !== undefined && record.resetAt > now() ? record : { count: 0, resetAt: now() + SIGN_IN_WINDOW_MS };
      current.count += 1;
      failures.set(client, current);
      prune(failures, (entry) => entry.resetAt);
      send(res, wantsJson ? json(401, { error: 'Unauthorized', message }) : loginPage(401, returnTo, message), method);
      return;
    }

    const token = createSessionToken(pairs, now(), randomBytes(12).toString('base64url'));
    options.log('info', 'Signed in', { user });
    res.setHeader('set-cookie', sessionCookie(token, SESSION_SECONDS));
    if (wantsJson) {
      send(res, json(200, { ok: true, returnTo }), method);
    } else {
      send(res, { type: 'respond', status: 303, headers: { location: returnTo, 'cache-control': 'no-store' }, body: '' }, method);
    }
  };

  const serveLogout = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    if (method !== 'POST') {
      send(res, json(405, { error: 'Method Not Allowed', message: 'Sign out with POST /logout.' }, { allow: 'POST' }), method);
      return;
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    // Only a token this runtime signed is recorded: the table is bounded, so recording any value
    // sent would let a client push real revoked sessions out of it with made-up cookies.
    if (token !== undefined && verifySessionToken(configuredPairs(options.env()), token, now())) {
      revoked.set(token, now() + SESSION_SECONDS * 1000);
      prune(revoked, (until) => until);
    }
    res.setHeader('set-cookie', sessionCookie('', 0));
    send(res, json(200, { ok: true }), method);
  };

  const serveBuiltin = async (name: 'login' | 'logout', req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    if (name === 'login') await serveLogin(req, res);
    else serveLogout(req, res);
  };

  const middleware: AuthGate['middleware'] = (req, res, next) => {
    const table = options.handlers();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const decision = resolveRoute(
      { method: req.method ?? 'GET', path: url.pathname, body: bodyForRouting(req.body, req.headers['content-type']) },
      { hasExport: (name) => table?.hasExport(name) ?? false, findStaticFile: options.findStaticFile },
    );
    if (decision.type === 'builtin' && (decision.name === 'login' || decision.name === 'logout')) {
      serveBuiltin(decision.name, req, res).catch(next);
      return;
    }
    const outcome = check(decision, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    if (outcome.type === 'pass') {
      next();
      return;
    }
    send(res, outcome, req.method ?? 'GET');
  };

  return { middleware, check, serveBuiltin };
}
