/**
 * The `setup(runtime)` export: a start-up hook. `runtime.onStartup(fn)` registers work that
 * finishes before the code serves requests (at start, before the port accepts connections), and
 * `runtime.onWebSocket(path, handler)` serves WebSockets at a path with the `ws` package.
 *
 * Contract for the runtime core:
 *
 * ```ts
 * const hooks = await prepareSetup(table.setup, () => contexts.forRequest('startup'), run);
 * webSockets.use(hooks.webSockets, run);   // after each successful load
 * webSockets.attach(server);          // once, after listen
 * ```
 *
 * `setup` runs again on every reload of the code. The new WebSocket handlers take over new
 * connections, and open connections keep their old handler until they close. WebSocket upgrades
 * are not behind `export const auth`, because the platform's audio streams carry no Basic
 * credentials.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { describeThrownValue } from './http-error';

export type StartupHandler = (context: unknown) => unknown;
export type WebSocketHandler = (socket: WebSocket, request: IncomingMessage) => unknown;

export interface SetupRuntime {
  onStartup(handler: StartupHandler): void;
  onWebSocket(path: string, handler: WebSocketHandler): void;
}

export interface SetupHooks {
  webSockets: Map<string, WebSocketHandler>;
}

/** A failure of `setup` or of an `onStartup` handler; the message names which one and why. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

function describeError(error: unknown): string {
  return describeThrownValue(error).message;
}

/**
 * Calls `setup(runtime)`, then every `onStartup` handler in the order registered, each awaited.
 * `run` wraps each call of user code (the runtime runs it inside the code's generation).
 * Rejects with a `SetupError` when any of them throws or registers something invalid.
 */
export async function prepareSetup(
  setup: ((runtime: SetupRuntime) => unknown) | undefined,
  createContext: () => unknown,
  run: <T>(call: () => T) => T = (call) => call(),
): Promise<SetupHooks> {
  const startup: StartupHandler[] = [];
  const webSockets = new Map<string, WebSocketHandler>();
  if (setup === undefined) return { webSockets };

  const runtime: SetupRuntime = {
    onStartup(handler) {
      if (typeof handler !== 'function') {
        throw new SetupError(`runtime.onStartup expects a function; got ${typeof handler}.`);
      }
      startup.push(handler);
    },
    onWebSocket(path, handler) {
      if (typeof path !== 'string' || !path.startsWith('/')) {
        throw new SetupError(`runtime.onWebSocket expects a path that starts with "/", such as "/media"; got ${JSON.stringify(path)}.`);
      }
      if (typeof handler !== 'function') {
        throw new SetupError(`runtime.onWebSocket("${path}") expects a handler function; got ${typeof handler}.`);
      }
      if (webSockets.has(path)) {
        throw new SetupError(`runtime.onWebSocket("${path}") was called twice; register each path once.`);
      }
      webSockets.set(path, handler);
    },
  };

  try {
    await run(() => setup(runtime));
  } catch (error) {
    throw error instanceof SetupError ? error : new SetupError(`setup(runtime) threw ${describeError(error)}`);
  }
  for (const [index, handler] of startup.entries()) {
    try {
      await run(() => handler(createContext()));
    } catch (error) {
      throw new SetupError(`onStartup handler ${index + 1} of ${startup.length} failed: ${describeError(error)}`);
    }
  }
  return { webSockets };
}

/** Routes WebSocket upgrades of one HTTP server to the handlers of the current code. */
export class WebSocketRoutes {
  private handlers = new Map<string, WebSocketHandler>();
  private run: <T>(call: () => T) => T = (call) => call();
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(private readonly log: (level: 'info' | 'error', message: string, fields: Record<string, unknown>) => void) {}

  /**
   * Replaces the handlers; called after every successful load of the code. `run` wraps each call
   * of user code, as in `prepareSetup`.
   */
  use(handlers: Map<string, WebSocketHandler>, run: <T>(call: () => T) => T = (call) => call()): void {
    this.handlers = handlers;
    this.run = run;
  }

  paths(): string[] {
    return [...this.handlers.keys()].sort();
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  /** Closes every open WebSocket connection. */
  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const handler = this.handlers.get(path);
    if (handler === undefined) {
      const body = JSON.stringify({ error: `No WebSocket handler for ${path}`, paths: this.paths() });
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    const run = this.run;
    this.server.handleUpgrade(request, socket, head, (webSocket) => {
      this.log('info', 'WebSocket connected', { path });
      // Listeners on the socket are user code too. Emitting inside `run` gives them the guards of
      // handlers (process.exit throws, timers belong to the code's generation). A listener that
      // throws would leave ws's frame parser stopped mid-message, so the socket is closed instead.
      const emit = webSocket.emit.bind(webSocket);
      webSocket.emit = (event: string | symbol, ...args: unknown[]): boolean => {
        try {
          return run(() => emit(event, ...args));
        } catch (error) {
          this.fail(webSocket, path, error);
          return true;
        }
      };
      try {
        const result = run(() => handler(webSocket, request));
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.fail(webSocket, path, error));
        }
      } catch (error) {
        this.fail(webSocket, path, error);
      }
    });
  }

  private fail(webSocket: WebSocket, path: string, error: unknown): void {
    this.log('error', `WebSocket handler for ${path} threw ${describeError(error)}`, {
      path,
      stack: describeThrownValue(error).stack,
    });
    webSocket.close(1011, 'handler error');
  }
}
