/**
 * Sends a built request to the local runtime with Node's `http` module and records what came
 * back: status, headers, body, time and the runtime's `X-Sinch-*` headers. The extension host
 * sends on behalf of the Request view, because the webview may run in a browser that cannot reach
 * the runtime's address (code-server, remote windows).
 */
import * as http from 'node:http';
import type { BuiltRequest } from './request-spec';

/** Bodies above this size are cut, so a runaway response cannot fill the view or the history. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export interface ResponseRecord {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  /** True when the body was longer than `MAX_RESPONSE_BYTES` and was cut. */
  truncated: boolean;
  /** Wall time from sending to the last byte, in milliseconds. */
  durationMs: number;
  /** `X-Sinch-Request-Id`, the id that the runtime's log lines for this request carry. */
  requestId?: string;
  /** `X-Sinch-Export`, the export that handled the request. */
  exportName?: string;
  /** `X-Sinch-Duration-Ms`, the handler's own running time. */
  handlerMs?: number;
}

export interface SendOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export class RequestFailedError extends Error {
  constructor(
    message: string,
    readonly code: 'timeout' | 'refused' | 'aborted' | 'network',
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}

export function sendRequest(request: BuiltRequest, options: SendOptions): Promise<ResponseRecord> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const url = new URL(request.url);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of request.headers) headers[name] = value;
    if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);

    const outgoing = http.request(
      {
        method: request.method,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers,
        signal: options.signal,
        // A fresh connection per request keeps timings comparable and leaves no idle sockets.
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        incoming.on('data', (chunk: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) {
            truncated = true;
            return;
          }
          const room = MAX_RESPONSE_BYTES - size;
          if (chunk.length > room) truncated = true;
          chunks.push(chunk.subarray(0, room));
          size += Math.min(chunk.length, room);
        });
        incoming.on('error', (error) => reject(toRequestError(error, request, options)));
        incoming.on('end', () => {
          const durationMs = performance.now() - started;
          const pairs: Array<[string, string]> = [];
          for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
            pairs.push([incoming.rawHeaders[index], incoming.rawHeaders[index + 1]]);
          }
          const header = (name: string): string | undefined => {
            const value = incoming.headers[name];
            return Array.isArray(value) ? value[0] : value;
          };
          const handlerMs = Number(header('x-sinch-duration-ms'));
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers: pairs,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
            durationMs: Math.round(durationMs * 10) / 10,
            requestId: header('x-sinch-request-id'),
            exportName: header('x-sinch-export'),
            handlerMs: Number.isFinite(handlerMs) && header('x-sinch-duration-ms') !== undefined ? handlerMs : undefined,
          });
        });
      },
    );
    outgoing.setTimeout(options.timeoutMs, () => {
      outgoing.destroy(
        new RequestFailedError(
          `${request.method} ${request.url} timed out after ${options.timeoutMs} ms: raise sinchFunctions.requestTimeout or check the handler.`,
          'timeout',
        ),
      );
    });
    outgoing.on('error', (error) => reject(toRequestError(error, request, options)));
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

function toRequestError(error: Error, request: BuiltRequest, options: SendOptions): Error {
  if (error instanceof RequestFailedError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') {
    return new RequestFailedError(`Nothing listens at ${new URL(request.url).origin}: start the runtime first.`, 'refused');
  }
  if (error.name === 'AbortError' || options.signal?.aborted) {
    return new RequestFailedError(`${request.method} ${request.url} was cancelled.`, 'aborted');
  }
  return new RequestFailedError(`${request.method} ${request.url} failed: ${error.message}`, 'network');
}
