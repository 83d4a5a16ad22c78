/**
 * The runtime: an Express app that serves one function project, plus the state around it (the
 * loaded generation, reloads, the route table). Tests drive `runtime.app` without a socket;
 * the CLI puts the same app on a port.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createAuthGate, type AuthGate } from './auth';
import { createContextFactory, type ContextFactory } from './context';
import { INTROSPECTION_PREFIX, resolveRoute, type RouteDecision } from '../../common/src/routes';
import { isJsonMediaType, parseBody, parseQuery, type Query } from './body';
import { buildHandlerTable, routeTableOf, type HandlerTable, type RouteEntry } from './handlers';
import { HttpError, describeThrownValue } from './http-error';
import { LoadError } from './loader/compile';
import type { Generation } from './loader/generation';
import { ModuleLoader } from './loader/module-loader';
import type { Logger } from './log';
import { loadProject, type Project } from './project';
import { toHttpResponse, type OutgoingResponse } from './respond';
import { prepareSetup, SetupError, WebSocketRoutes, type SetupRuntime } from './setup-hook';
import {
  SVAML_FINDINGS_HEADER,
  VoiceSignatureCheck,
  checkIncomingEvent,
  checkVoiceResponse,
  explainUnroutedEvent,
  findingsHeaderValue,
} from './voice';
import { watchProject, type ProjectWatcher } from './watcher';

/** The request object custom handlers and webhooks receive as their second argument. */
export interface FunctionRequest {
  method: string;
  path: string;
  query: Query;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed body (see body.ts), or undefined when the request has none. */
  body: unknown;
  /** The body's bytes exactly as received, for signature checks. */
  rawBody: Buffer;
}

/** Builds the `context` argument of a handler. */
export type ContextProvider = (requestId: string, request: FunctionRequest) => unknown;

export interface RuntimeOptions {
  projectDir: string;
  entry?: string;
  logger: Logger;
  timeoutSeconds: number;
  bodyLimitBytes: number;
  /** Watch the project and reload on save; off for tests that reload by hand. */
  watch?: boolean;
  createContext?: ContextProvider;
  /** Lets `auth`-listed handlers through when no credential pair is configured (older platform rule). */
  authSkipWhenUnconfigured?: boolean;
}

export type RuntimeState = 'starting' | 'ready' | 'error' | 'stopped';

export interface RuntimeStatus {
  pid: number;
  state: RuntimeState;
  url: string | null;
  host: string | null;
  port: number | null;
  projectDir: string;
  entry: string;
  generation: number;
  routes: RouteEntry[];
  error: { message: string; file: string; line: number | null; column: number | null } | null;
}

interface Loaded {
  generation: Generation;
  table: HandlerTable;
  routes: RouteEntry[];
}

/** Response headers that only the runtime sets (see docs/runtime-interface.md). */
const RUNTIME_HEADERS = new Set(
  ['X-Sinch-Request-Id', 'X-Sinch-Export', 'X-Sinch-Duration-Ms', SVAML_FINDINGS_HEADER].map((name) => name.toLowerCase()),
);
/** Findings logged per response; one response with thousands of bad instructions would flood the log. */
const MAX_LOGGED_SVAML_FINDINGS = 20;
/** Folder whose files are served at `/`. */
const PUBLIC_FOLDER = 'public';
/** Minimum interval between two checks, by a request, for changed files the watcher missed. */
const STALE_CHECK_INTERVAL_MS = 5;
/** How long an empty entry file counts as a save in progress rather than a real empty file. */
const MID_SAVE_WINDOW_MS = 200;
/** Quiet time after a save before an eager reload, so a burst of saves reloads once. */
const RELOAD_DEBOUNCE_MS = 30;

export function newRequestId(): string {
  // randomUUID draws from a cached entropy pool, so it is far cheaper per call than randomBytes.
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

export class Runtime extends EventEmitter {
  readonly app: express.Express;
  readonly project: Project;
  private readonly loader: ModuleLoader;
  private readonly logger: Logger;
  private readonly createContext: ContextProvider;
  /** Context services (config, env, cache, storage…); the cache outlives every reload. */
  readonly contexts: ContextFactory;
  private readonly authGate: AuthGate;
  /** WebSocket paths registered by the code's `setup` export. */
  readonly webSockets: WebSocketRoutes;
  private readonly signatures: VoiceSignatureCheck;
  private loaded: Loaded | undefined;
  private loadError: LoadError | undefined;
  private state: RuntimeState = 'starting';
  private dirty = false;
  private reloading: Promise<void> | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private lastStaleCheck = 0;
  private watcher: ProjectWatcher | undefined;
  private address: { host: string; port: number } | undefined;

  constructor(private readonly options: RuntimeOptions) {
    super();
    this.project = loadProject(options.projectDir, options.entry);
    this.loader = new ModuleLoader(this.project.dir, this.project.entry);
    this.contexts = createContextFactory({
      projectDir: this.project.dir,
      env: process.env,
      log: (level, message, fields) => options.logger.log(level, message, fields),
    });
    this.logger = redactingLogger(options.logger, this.contexts);
    this.createContext = options.createContext ?? ((requestId) => this.contexts.forRequest(requestId));
    this.authGate = createAuthGate({
      projectDir: this.project.dir,
      handlers: () => {
        const table = this.loaded?.table;
        return table && { auth: table.auth, hasExport: (name: string) => table.handlers.has(name) };
      },
      env: () => this.contexts.env(),
      log: (level, message, fields) => this.logger.log(level, message, fields),
      skipWhenUnconfigured: options.authSkipWhenUnconfigured,
      findStaticFile: (requestPath) => this.findStaticFile(requestPath),
    });
    this.webSockets = new WebSocketRoutes((level, message, fields) => this.logger.log(level, message, fields));
    this.signatures = new VoiceSignatureCheck((message) => this.logger.warn(message));
    this.app = this.createApp();
  }

  /** Loads the code for the first time and starts watching. A load error does not throw. */
  async start(): Promise<void> {
    await this.reloadNow('start');
    if (this.options.watch ?? true) {
      this.watcher = watchProject(this.project.dir, (file) => this.onFileChanged(file));
    }
  }

  /** Records where the server listens, for the status document. */
  setAddress(host: string, port: number): void {
    this.address = { host, port };
    this.emit('state', this.status());
  }

  status(): RuntimeStatus {
    const host = this.address?.host ?? null;
    const port = this.address?.port ?? null;
    const urlHost = host !== null && host.includes(':') ? `[${host}]` : host;
    return {
      pid: process.pid,
      state: this.state,
      url: this.address ? `http://${urlHost}:${port}` : null,
      host,
      port,
      projectDir: this.project.dir,
      entry: this.project.entry,
      generation: this.loaded?.generation.id ?? 0,
      routes: this.loaded?.routes ?? [],
      error: this.loadError
        ? {
            // The status document is served over HTTP and written to a file, like an error response.
            message: this.contexts.redact(this.loadError.message),
            file: this.loadError.file,
            line: this.loadError.line ?? null,
            column: this.loadError.column ?? null,
          }
        : null,
    };
  }

  handlerTable(): HandlerTable | undefined {
    return this.loaded?.table;
  }

  /** Reloads now if a project file changed since the last load; resolves when fresh. */
  ensureFresh(): Promise<void> | undefined {
    if (this.reloading) return this.reloading.then(() => this.ensureFresh());
    if (!this.dirty) {
      const now = Date.now();
      if (now - this.lastStaleCheck < STALE_CHECK_INTERVAL_MS) return undefined;
      this.lastStaleCheck = now;
      if (!this.loader.hasChangedFiles()) return undefined;
    }
    this.reloading = this.reloadNow('change').finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Marks the code stale, as a save does; the next request or a short timer reloads it. */
  markDirty(): void {
    this.dirty = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.ensureFresh();
    }, RELOAD_DEBOUNCE_MS);
  }

  async close(): Promise<void> {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.watcher?.close();
    this.webSockets.close();
    await this.reloading;
    this.loaded?.generation.retire();
    this.loader.dispose();
    this.state = 'stopped';
    this.logger.info('Runtime stopped', { project: this.project.dir });
    this.emit('state', this.status());
  }

  /**
   * True when the entry file is empty and was written in the last moments: an editor that saves in
   * place truncates the file before it writes the new text, and loading in between would serve a
   * function with no exports. An entry that stays empty loads normally once the moment passes.
   */
  private entryIsMidSave(): boolean {
    try {
      const stat = fs.statSync(this.project.entry);
      return stat.size === 0 && Date.now() - stat.mtimeMs < MID_SAVE_WINDOW_MS;
    } catch {
      return false;
    }
  }

  private onFileChanged(file: string): void {
    const name = path.basename(file);
    if ((name === '.env' || name === 'sinch.json') && path.dirname(file) === this.project.dir) {
      this.contexts.reloadConfig();
      this.logger.info('Reloaded configuration', { file: name });
    }
    this.logger.log('debug', 'File changed', { file: path.relative(this.project.dir, file) || '.' });
    this.markDirty();
  }

  private async reloadNow(reason: 'start' | 'change'): Promise<void> {
    this.dirty = false;
    if (reason === 'change' && this.loaded !== undefined && this.entryIsMidSave()) {
      // Keep serving the current code; the save's own write brings another change event.
      this.markDirty();
      return;
    }
    const started = performance.now();
    try {
      const { generation, exports } = await this.loader.load(this.options.timeoutSeconds * 1000);
      const table = this.readHandlerTable(generation, exports);
      if (!(await this.runSetup(table, generation, reason))) return;
      const previous = this.loaded;
      this.loaded = { generation, table, routes: routeTableOf(table) };
      this.loadError = undefined;
      this.state = 'ready';
      previous?.generation.retire();
      const fields = {
        generation: generation.id,
        entry: path.relative(this.project.dir, this.project.entry),
        durationMs: Math.round(performance.now() - started),
      };
      this.logger.info(reason === 'start' ? 'Loaded function' : 'Reloaded function', fields);
      for (const name of table.collisions) {
        this.logger.warn(`Export "${name}" is both a member of the default export and a named export; the named export is used`, { export: name });
      }
    } catch (error) {
      if (!(error instanceof LoadError)) throw error;
      this.loadError = error;
      this.state = 'error';
      this.logger.error(`Failed to load the function: ${error.location} ${error.message}`, {
        file: error.file,
        line: error.line,
        column: error.column,
        serving: this.loaded ? `generation ${this.loaded.generation.id} (the last good version)` : 'nothing',
      });
    }
    this.emit('state', this.status());
  }

  /**
   * Builds the handler table of freshly loaded exports. Reading an export runs user code when it
   * is a getter or the module is a proxy, so a failure there is a load error of the user's file.
   */
  private readHandlerTable(generation: Generation, exports: unknown): HandlerTable {
    try {
      return generation.run(() => buildHandlerTable(exports));
    } catch (error) {
      generation.retire();
      throw new LoadError(`Reading the exports failed: ${describeThrownValue(error).message}`, this.project.entry);
    }
  }

  /**
   * Runs the `setup` export and its `onStartup` handlers before the code serves requests. At
   * start a failure ends the start with its error; on a reload it is logged and the previous
   * code keeps serving. Returns false when the new code must not be used.
   */
  private async runSetup(table: HandlerTable, generation: Generation, reason: 'start' | 'change'): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const prepared = prepareSetup(
        table.setup as ((runtime: SetupRuntime) => unknown) | undefined,
        () => this.contexts.forRequest(`startup-${generation.id}`),
        (call) => generation.run(call),
      );
      // Bounded like a handler, because requests wait for a reload to finish.
      const seconds = this.options.timeoutSeconds;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new SetupError(`setup(runtime) and its onStartup handlers did not finish within ${seconds} s (raise the limit with --timeout <seconds>)`));
        }, seconds * 1000);
      });
      const hooks = await Promise.race([prepared, timedOut]);
      this.webSockets.use(hooks.webSockets, (call) => generation.run(call));
      return true;
    } catch (error) {
      generation.retire();
      if (reason === 'start') throw error;
      this.logger.error(`${(error as Error).message}; the previous version keeps serving`, { generation: generation.id });
      // Reported like a load error, so tools see state "error" while the old code serves.
      this.loadError = new LoadError((error as Error).message, this.project.entry);
      this.state = 'error';
      this.emit('state', this.status());
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private createApp(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.disable('etag');

    // One middleware does the work of several: each extra layer in Express's router stack costs
    // every request a path match, which showed in the throughput benchmark.
    const readBody = express.raw({ type: () => true, limit: this.options.bodyLimitBytes });
    app.use((req, res, next) => {
      if (req.path.startsWith(`${INTROSPECTION_PREFIX}/`)) {
        this.serveIntrospection(req, res);
        return;
      }
      // The request id and the log line come before the body reader, so that a body it rejects
      // (too large, an unknown Content-Encoding, a connection closed mid-body) is logged too.
      this.trackRequest(req, res);
      const handle = (error?: unknown) => {
        if (error) next(error);
        else this.handle(req, res).catch(next);
      };
      // A request without a body skips the body reader.
      if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) handle();
      else readBody(req, res, handle);
    });
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      this.sendError(req, res, toHttpError(error, this.options.bodyLimitBytes));
    });
    return app;
  }

  /**
   * Serves `GET /_sinch/status` and `/_sinch/routes`. The whole prefix is reserved: any other
   * request under it gets a JSON 404 or 405 and never reaches an export.
   */
  private serveIntrospection(req: Request, res: Response): void {
    const name = req.path.slice(INTROSPECTION_PREFIX.length + 1);
    const known = name === 'status' || name === 'routes';
    if (known && req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).setHeader('Allow', 'GET, HEAD');
      res.json({ error: `${req.method} is not allowed on ${req.path}`, status: 405, fix: 'Use GET.' });
    } else if (name === 'status') {
      res.json(this.status());
    } else if (name === 'routes') {
      res.json(this.status().routes);
    } else {
      res.status(404).json({
        error: `${req.path} is not part of the runtime's interface`,
        status: 404,
        fix: `Paths under ${INTROSPECTION_PREFIX}/ are reserved for the runtime; name the export differently.`,
      });
    }
  }

  private findStaticFile(requestPath: string): string | undefined {
    const root = path.join(this.project.dir, PUBLIC_FOLDER);
    if (requestPath.includes('\0')) return undefined;
    const file = path.resolve(root, `.${requestPath}`);
    if (file !== root && !file.startsWith(`${root}${path.sep}`)) return undefined;
    try {
      // The real path must stay inside public/ too, so a symbolic link cannot lead out of it.
      const real = fs.realpathSync(file);
      const realRoot = fs.realpathSync(root);
      if (!real.startsWith(`${realRoot}${path.sep}`)) return undefined;
      return fs.statSync(real).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  /** Gives the request its id and logs one line when its response finishes. */
  private trackRequest(req: Request, res: Response): void {
    const requestId = newRequestId();
    const started = performance.now();
    res.locals.requestId = requestId;
    res.setHeader('X-Sinch-Request-Id', requestId);
    res.on('finish', () => {
      this.logger.request({
        requestId,
        method: req.method,
        path: req.originalUrl,
        exportName: (res.locals.exportName as string | undefined) ?? '-',
        status: res.statusCode,
        durationMs: performance.now() - started,
      });
    });
  }

  private async handle(req: Request, res: Response): Promise<void> {
    await this.ensureFresh();
    const loaded = this.loaded;
    if (loaded === undefined) {
      throw new HttpError(503, 'The function failed to load, and no earlier version is available', {
        detail: this.loadError ? `${this.loadError.location} ${this.loadError.message}` : undefined,
        fix: 'Fix the error and save; the runtime reloads on save.',
      });
    }

    const url = requestUrl(req.originalUrl);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const request: FunctionRequest = {
      method: req.method,
      path: url.pathname,
      query: parseQuery(url.search),
      headers: { ...req.headers },
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
    };

    const decision = resolveRoute(
      { method: req.method, path: url.pathname, body: request.body },
      { hasExport: (name) => loaded.table.handlers.has(name), findStaticFile: (p) => this.findStaticFile(p) },
    );
    await this.serveDecision(decision, loaded, request, req, res);
  }

  private async serveDecision(
    decision: RouteDecision,
    loaded: Loaded,
    request: FunctionRequest,
    req: Request,
    res: Response,
  ): Promise<void> {
    const access = this.authGate.check(decision, { method: req.method, url: req.originalUrl, headers: req.headers });
    if (access.type === 'respond') {
      if (decision.type === 'export') res.locals.exportName = decision.exportName;
      res.status(access.status);
      for (const [name, value] of Object.entries(access.headers)) res.setHeader(name, value);
      res.end(req.method === 'HEAD' ? undefined : access.body);
      return;
    }

    switch (decision.type) {
      case 'static':
        res.locals.exportName = '(static)';
        await new Promise<void>((resolve, reject) => {
          res.sendFile(decision.filePath, { dotfiles: 'allow' }, (error) => (error ? reject(error) : resolve()));
        });
        return;
      case 'builtin':
        res.locals.exportName = `(${decision.name})`;
        if (decision.name === 'login' || decision.name === 'logout') {
          await this.authGate.serveBuiltin(decision.name, req, res);
          return;
        }
        if (decision.name === 'health') {
          res.status(200).json({ status: 'ok' });
          return;
        }
        throw new HttpError(404, `No built-in /${decision.name} page is available`, { path: request.path });
      case 'not-found': {
        const unrouted = explainUnroutedEvent(request.method, request.path, request.body);
        if (unrouted !== undefined) {
          throw new HttpError(unrouted.status, unrouted.message, { field: unrouted.field, path: request.path, fix: unrouted.fix });
        }
        throw new HttpError(404, 'Not Found', {
          path: request.path,
          routes: loaded.routes.map((route) => `${route.method} ${route.path} → ${route.exportName}`),
          fix: 'The last path segment picks the export: add an export with that name, or use one of the routes listed.',
        });
      }
      case 'export': {
        res.locals.exportName = decision.exportName;
        res.setHeader('X-Sinch-Export', decision.exportName);
        const handler = loaded.table.handlers.get(decision.exportName)!;
        const signature = this.signatures.check(decision.kind, this.contexts.env(), {
          method: request.method,
          path: request.path,
          headers: request.headers,
          rawBody: request.rawBody,
        });
        if (signature?.type === 'invalid') {
          throw new HttpError(401, signature.message, {
            export: decision.exportName,
            fix: 'Sign the request with the voice app secret, or set WEBHOOK_PROTECTION=deploy in .env to skip the check locally.',
          });
        }
        const problem = checkIncomingEvent(decision.exportName, decision.kind, request.body);
        if (problem !== undefined) {
          const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
          if (request.rawBody.length > 0 && !isJsonMediaType(mediaType)) {
            // curl -d sends a form type by default, so the JSON event was never parsed.
            throw new HttpError(400, `The body was sent as "${mediaType || 'no Content-Type'}", so it was not read as JSON; platform events are JSON objects (${problem.message})`, {
              field: '(body)',
              export: decision.exportName,
              fix: 'Send the event with Content-Type: application/json.',
            });
          }
          throw new HttpError(400, problem.message, { field: problem.field, export: decision.exportName });
        }
        const requestId = res.locals.requestId as string;
        const context = this.createContext(requestId, request);
        const input = decision.kind === 'voice-callback' ? request.body : request;
        const started = performance.now();
        const value = await this.invoke(loaded.generation, decision.exportName, () => handler(context, input));
        res.setHeader('X-Sinch-Duration-Ms', String(Math.round(performance.now() - started)));
        this.send(res, this.readReturnValue(decision.exportName, value, res));
        return;
      }
    }
  }

  /**
   * Runs a handler inside its generation, bounded by the timeout. Past the timeout the request
   * gets a 504, while the handler keeps running in the background because JavaScript cannot stop
   * it. What it returns later is logged and dropped.
   */
  private async invoke(generation: Generation, exportName: string, call: () => unknown): Promise<unknown> {
    generation.requestStarted();
    const running = (async () => generation.run(call))();
    const settled = running.finally(() => generation.requestFinished());
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.options.timeoutSeconds * 1000;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new HttpError(504, `Handler "${exportName}" did not finish within ${this.options.timeoutSeconds} s`, {
            fix: 'Make the handler return sooner, or raise the limit with --timeout <seconds>.',
          }),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([settled, timedOut]);
    } catch (error) {
      if (error instanceof HttpError) {
        settled.then(
          () => this.logger.warn(`Handler "${exportName}" finished after its request timed out; its result was dropped`),
          (late) => this.logger.warn(`Handler "${exportName}" failed after its request timed out: ${(late as Error)?.message}`),
        );
        throw error;
      }
      throw new HandlerError(exportName, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Turns a handler's return value into a response and reports its SVAML findings. Reading the
   * value runs user code (getters, proxy traps), so an error it throws is the handler's fault and
   * is reported as such.
   */
  private readReturnValue(exportName: string, value: unknown, res: Response): OutgoingResponse {
    try {
      this.reportSvamlFindings(exportName, value, res);
      return toHttpResponse(value, exportName);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const wrapped = new HttpError(500, `Handler "${exportName}" returned a value that could not be read: ${describeThrownValue(error).message}`, {
        export: exportName,
        fix: 'Return plain data: an object, an array, a string, a Buffer, or { statusCode, body, headers }.',
      });
      wrapped.cause = error;
      throw wrapped;
    }
  }

  /**
   * Checks what `ice`, `ace` or `pie` returned against the SVAML rules. Findings are logged and
   * sent in a header; the response itself is sent unchanged, as the platform would receive it.
   */
  private reportSvamlFindings(exportName: string, value: unknown, res: Response): void {
    const isFunctionResponse = value !== null && typeof value === 'object' && typeof (value as { statusCode?: unknown }).statusCode === 'number';
    const svaml = isFunctionResponse ? (value as { body?: unknown }).body : value;
    const findings = checkVoiceResponse(exportName, svaml);
    if (findings.length === 0) return;
    res.setHeader(SVAML_FINDINGS_HEADER, findingsHeaderValue(findings));
    const requestId = res.locals.requestId as string;
    for (const finding of findings.slice(0, MAX_LOGGED_SVAML_FINDINGS)) {
      this.logger.warn(`SVAML from "${exportName}" at ${finding.path}: ${finding.message}`, { requestId });
    }
    const unlogged = findings.length - MAX_LOGGED_SVAML_FINDINGS;
    if (unlogged > 0) {
      this.logger.warn(`SVAML from "${exportName}" has ${unlogged} more findings that were not logged`, { requestId });
    }
  }

  private send(res: Response, response: OutgoingResponse): void {
    res.status(response.status);
    for (const [name, value] of Object.entries(response.headers)) {
      // Tools trust these headers to come from the runtime, so a handler cannot replace or fake them.
      if (RUNTIME_HEADERS.has(name.toLowerCase())) {
        this.logger.warn(`The header "${name}" returned by the handler was dropped, because the runtime sets it`, {
          requestId: res.locals.requestId as string,
        });
        continue;
      }
      res.setHeader(name, value);
    }
    if (response.body === undefined) {
      res.end();
      return;
    }
    // A known length spares the chunked encoding, whose extra chunks cost a write each.
    if (!res.hasHeader('content-length') && !res.hasHeader('transfer-encoding')) {
      res.setHeader('Content-Length', response.body.length);
    }
    res.end(response.body);
  }

  private sendError(req: Request, res: Response, error: HttpError): void {
    const requestId = res.locals.requestId as string | undefined;
    if (error.status >= 500) {
      this.logger.error(error.message, {
        requestId,
        path: req.originalUrl,
        // The cause may be anything user code threw, so its stack is read without trusting it.
        stack: error.cause === undefined ? undefined : describeThrownValue(error.cause).stack,
      });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(error.status).json(this.contexts.redactValue({ ...error.toJSON(), requestId }));
  }
}

/** An error thrown by a user handler, sent as a 500 response with its message. */
class HandlerError extends HttpError {
  constructor(exportName: string, error: unknown) {
    super(500, `Handler "${exportName}" threw ${describeThrownValue(error).message}`, { export: exportName });
    this.cause = error;
  }
}

/**
 * Parses a request target. A path that starts with `//` is a path with a repeated slash, not a
 * URL with a host, so it is parsed against the origin instead of as a relative reference (which
 * would turn `//status` into the host `status` and the path `/`).
 */
function requestUrl(target: string): { pathname: string; search: string } {
  // Origin-form targets (`/path?query`), which is what HTTP/1.1 clients send, are split by hand:
  // the WHATWG URL parser cost about 2% of the runtime's throughput.
  if (target.startsWith('/') && !target.startsWith('//')) {
    const queryStart = target.indexOf('?');
    const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
    if (!/[\\#]/.test(pathname)) {
      return { pathname, search: queryStart === -1 ? '' : target.slice(queryStart) };
    }
  }
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target, 'http://localhost');
  } catch {
    throw new HttpError(400, `Invalid request target "${target}"`, { fix: 'Send a path such as /status.' });
  }
}

/** Maps errors from Express's body reader and from the runtime to `HttpError`. */
function toHttpError(error: unknown, bodyLimitBytes: number): HttpError {
  if (error instanceof HttpError) return error;
  const typed = error as { type?: string; status?: number; message?: string };
  if (typed.type === 'entity.too.large') {
    return new HttpError(413, `Request body is larger than the limit of ${bodyLimitBytes} bytes`, {
      limit: bodyLimitBytes,
      fix: 'Send a smaller body, or raise the limit with --body-limit (for example --body-limit 5mb).',
    });
  }
  if (typed.type === 'encoding.unsupported') {
    return new HttpError(415, typed.message ?? 'Unsupported Content-Encoding', {
      fix: 'Send the body uncompressed, or with gzip, deflate or br encoding.',
    });
  }
  if (typeof typed.status === 'number' && typed.status >= 400 && typed.status < 500) {
    return new HttpError(typed.status, typed.message ?? 'Bad request');
  }
  const wrapped = new HttpError(500, `Internal runtime error: ${typed.message ?? String(error)}`);
  wrapped.cause = error;
  return wrapped;
}

/** Wraps a logger so that no secret value from the environment reaches a log line. */
function redactingLogger(logger: Logger, contexts: ContextFactory): Logger {
  const clean = (fields: Record<string, unknown> | undefined) => (fields === undefined ? undefined : contexts.redactValue(fields));
  return {
    request: (record) => logger.request(contexts.redactValue(record)),
    log: (level, message, fields) => logger.log(level, contexts.redact(message), clean(fields)),
    info: (message, fields) => logger.info(contexts.redact(message), clean(fields)),
    warn: (message, fields) => logger.warn(contexts.redact(message), clean(fields)),
    error: (message, fields) => logger.error(contexts.redact(message), clean(fields)),
  };
}
