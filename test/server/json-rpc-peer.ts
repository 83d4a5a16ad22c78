/**
 * A minimal JSON-RPC peer over a child process's stdio, using the LSP base protocol framing
 * (`Content-Length` headers). Tests use it to talk to the built language server exactly as an
 * editor does, without the client library.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

type Waiter = { match: (message: Message) => boolean; resolve: (message: Message) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export class JsonRpcPeer {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiters: Waiter[] = [];
  readonly received: Message[] = [];
  /** Handlers for requests the server sends to the client, such as `workspace/configuration`. */
  readonly requestHandlers = new Map<string, (params: unknown) => unknown>();
  stderr = '';

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: (\d+)/i.exec(header);
      if (!match) throw new Error(`Invalid header from the server: ${header}`);
      const length = Number(match[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    this.received.push(message);
    if (message.method !== undefined && message.id !== undefined) {
      const handler = this.requestHandlers.get(message.method);
      this.write({ jsonrpc: '2.0', id: message.id, result: handler ? handler(message.params) : null });
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.match(message)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(message);
      }
    }
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Waits for the first message (already received or future) that matches. */
  waitFor(match: (message: Message) => boolean, description: string, timeoutMs = 15000, includeReceived = false): Promise<Message> {
    if (includeReceived) {
      const found = this.received.find(match);
      if (found) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.findIndex((waiter) => waiter.timer === timer), 1);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}. Server stderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const response = this.waitFor((message) => message.id === id && message.method === undefined, `the response to ${method}`);
    this.write({ jsonrpc: '2.0', id, method, params });
    const message = await response;
    if (message.error) throw new Error(`${method} failed: ${message.error.message}`);
    return message.result as T;
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }
}
