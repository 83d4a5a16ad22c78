/**
 * The `context` object handlers receive, built per request by a factory that lives as long as
 * the runtime process.
 *
 * Contract for the runtime core:
 *
 * ```ts
 * const contexts = createContextFactory({ projectDir, env: process.env, log });
 * const context = contexts.forRequest(requestId);   // pass to the handler
 * contexts.reloadConfig();                           // after sinch.json or .env is saved
 * contexts.redact(text);                             // before text goes into a log or response
 * contexts.env();                                    // merged environment, for the auth gate
 * contexts.exportToProcessEnv(process.env);          // CLI only: one project per process
 * ```
 *
 * - `log(level, message, fields)` receives every `context.log` call with `fields.requestId`
 *   set; message and fields are already redacted.
 * - `cache` is created once here, so it survives hot reloads of user code and is lost when the
 *   process stops.
 * - `reloadConfig()` re-reads `sinch.json` and `.env`, rebuilds the SDK clients and the secret
 *   list, and returns the problems it found (also logged as warnings).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionContext, FunctionLogger } from '../../functions-runtime/src/types';
import { readAsset } from './assets';
import { MemoryCache } from './cache';
import { mergeEnvironment, readProjectFiles, type ProjectFiles } from './project-files';
import { SecretRedactor, collectSecretValues } from './redact';
import { createSdkClients, type SdkClients } from './sdk-clients';
import { FileStorage } from './storage';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

export interface ContextFactoryOptions {
  projectDir: string;
  /** The process environment; `.env` and `sinch.json` variables are merged under it. */
  env: Record<string, string | undefined>;
  log: LogSink;
  /** Clock for `context.timestamp` and the cache, in milliseconds; tests replace it. */
  now?: () => number;
}

export interface ContextFactory {
  readonly cache: MemoryCache;
  readonly storage: FileStorage;
  /** Path of the SQLite file under `data/`; the folder is created when a context is built. */
  readonly databasePath: string;
  forRequest(requestId: string): FunctionContext;
  reloadConfig(): string[];
  /** The merged environment that `context.env` shows. */
  env(): Record<string, string | undefined>;
  /** The variable names read from `.env`, for tools that show where a value came from. */
  dotenvNames(): string[];
  /**
   * Copies the `.env` and `sinch.json` values into `target` (normally `process.env`), as the
   * platform does at start-up, and keeps them in step after every `reloadConfig()`. Variables
   * the process environment already had are left alone.
   */
  exportToProcessEnv(target: Record<string, string | undefined>): void;
  redact(text: string): string;
  redactValue<T>(value: T): T;
}

export const ENVIRONMENT_NAME = 'development';
export const DATABASE_FILE = path.join('data', 'function.db');

export function createContextFactory(options: ContextFactoryOptions): ContextFactory {
  const projectDir = path.resolve(options.projectDir);
  const now = options.now ?? Date.now;
  const cache = new MemoryCache(now);
  const storage = new FileStorage(path.join(projectDir, 'storage'));
  const assetsFolder = path.join(projectDir, 'assets');
  const databasePath = path.join(projectDir, DATABASE_FILE);

  // A copy, because exportToProcessEnv may write into the object the caller passed.
  const baseEnv: Record<string, string | undefined> = { ...options.env };
  let exported: { target: Record<string, string | undefined>; names: Set<string> } | undefined;
  let files: ProjectFiles;
  let env: Record<string, string | undefined>;
  let redactor: SecretRedactor;
  let clients: SdkClients | undefined;

  const syncExported = (): void => {
    if (exported === undefined) return;
    const names = new Set<string>();
    for (const [name, value] of Object.entries({ ...files.variables, ...files.dotenv })) {
      if (baseEnv[name] !== undefined) continue;
      exported.target[name] = value;
      names.add(name);
    }
    for (const name of exported.names) {
      if (!names.has(name)) delete exported.target[name];
    }
    exported.names = names;
  };

  const load = (): string[] => {
    files = readProjectFiles(projectDir, files);
    try {
      fs.mkdirSync(path.dirname(databasePath), { recursive: true });
    } catch (error) {
      // A read-only project, or a file named `data`, must not stop the runtime: only handlers that
      // open the database need the folder.
      files.problems.push(
        `Could not create the folder ${path.dirname(databasePath)} for context.database: ${(error as Error).message}. ` +
          'Handlers that open the database fail until the folder can be created.',
      );
    }
    // Frozen because every request and the auth gate share these objects: a handler that
    // assigns to context.env gets a TypeError instead of changing the credentials for everyone.
    env = Object.freeze(mergeEnvironment(baseEnv, files));
    Object.freeze(files.variables);
    redactor = new SecretRedactor(collectSecretValues(env, Object.keys(files.dotenv)));
    clients = undefined;
    syncExported();
    for (const problem of files.problems) options.log('warn', redactor.redactText(problem), {});
    return files.problems;
  };
  load();

  const sdkClients = (): SdkClients => {
    if (clients === undefined) {
      try {
        clients = createSdkClients(projectDir, env);
      } catch (error) {
        const message = `Could not create the Sinch SDK clients: ${(error as Error).message}`;
        options.log('error', redactor.redactText(message), {});
        clients = { voice: undefined };
      }
    }
    return clients;
  };

  const createLogger = (requestId: string): FunctionLogger => {
    const write = (level: LogLevel) => (message: string, ...details: unknown[]) => {
      const fields: Record<string, unknown> = { requestId };
      if (details.length > 0) fields.details = redactor.redactValue(details);
      options.log(level, redactor.redactText(String(message)), fields);
    };
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  };

  const forRequest = (requestId: string): FunctionContext => {
    // A save of sinch.json or .env replaces these objects, so each request sees one consistent
    // configuration; copying them per request would cost more than the handler call itself.
    const snapshot = env;
    const variables = files.variables;
    const clientsNow = sdkClients();
    const context: FunctionContext = {
      config: {
        projectId: snapshot.PROJECT_ID ?? '',
        functionName: files.functionName,
        environment: ENVIRONMENT_NAME,
        variables,
        requireVariable(name: string): string {
          // Own properties only: `__proto__` or `toString` must not return what the object inherits.
          const value = Object.hasOwn(snapshot, name) ? snapshot[name] : undefined;
          if (value === undefined || value === '') {
            throw new Error(
              `Variable "${name}" is not set. Add it to "variables" in sinch.json for a plain value, ` +
                `or to .env for a secret, then save; the runtime reads both again.`,
            );
          }
          return value;
        },
      },
      cache,
      storage,
      database: databasePath,
      log: createLogger(requestId),
      requestId,
      timestamp: new Date(now()).toISOString(),
      env: snapshot,
      assets: (name: string) => readAsset(assetsFolder, name),
      voice: clientsNow.voice,
      sms: clientsNow.sms,
      conversation: clientsNow.conversation,
      numbers: clientsNow.numbers,
    };
    return context;
  };

  return {
    cache,
    storage,
    databasePath,
    forRequest,
    reloadConfig: load,
    env: () => env,
    dotenvNames: () => Object.keys(files.dotenv),
    exportToProcessEnv: (target) => {
      exported = { target, names: new Set() };
      syncExported();
    },
    redact: (text: string) => redactor.redactText(text),
    redactValue: <T>(value: T) => redactor.redactValue(value),
  };
}
