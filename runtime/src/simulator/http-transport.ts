/**
 * Sends simulated call events to a running runtime over HTTP. Requests have no client-side
 * timeout: a handler paused at a breakpoint keeps the call waiting, the way a patient platform
 * would, and only the runtime's own `--timeout` can end the wait.
 */
import * as http from 'node:http';
import { INTROSPECTION_PREFIX, VOICE_WEBHOOK_NAME } from '../../../common/src/routes';
import { signVoiceRequest } from '../voice';
import type { SigningCredentials } from './signing';
import type { CallTransport, TransportRequest, TransportResponse, VoiceApi } from './types';

export class TransportError extends Error {}

/** Checks a base URL: only plain HTTP is supported, because the runtime serves plain HTTP. */
export function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TransportError(`Invalid URL "${text}": give the runtime's address, such as http://127.0.0.1:3000.`);
  }
  if (url.protocol !== 'http:') {
    throw new TransportError(`Unsupported URL "${text}": the simulator talks to the local runtime over http://.`);
  }
  return url;
}

function joinPath(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, base);
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Sends one request and collects the whole response; no timeout is set on purpose. */
function request(url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = http.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const bodyText = Buffer.concat(chunks).toString('utf8');
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({
          status: incoming.statusCode ?? 0,
          headers: responseHeaders,
          bodyText,
          body: parseBody(bodyText, responseHeaders['content-type']),
          roundTripMs: Math.round((performance.now() - started) * 10) / 10,
        });
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ECONNREFUSED' ? ' Is the runtime running? Start it with sinch-functions-dev <projectDir>.' : '';
      reject(new TransportError(`${method} ${url.href} failed: ${error.message}.${hint}`));
    });
    outgoing.end(body);
  });
}

export class HttpTransport implements CallTransport {
  readonly baseUrl: URL;

  /** `signing` signs every event as the platform does, for runtimes that check signatures. */
  constructor(baseUrl: string | URL, private readonly signing?: SigningCredentials) {
    this.baseUrl = typeof baseUrl === 'string' ? parseBaseUrl(baseUrl) : baseUrl;
  }

  send(outgoing: TransportRequest): Promise<TransportResponse> {
    const url = joinPath(this.baseUrl, outgoing.path);
    const body = JSON.stringify(outgoing.body);
    const headers = { ...outgoing.headers };
    if (this.signing !== undefined) {
      const contentType = headers['content-type'] ?? 'application/json';
      headers['content-type'] = contentType;
      Object.assign(
        headers,
        signVoiceRequest(this.signing.api, this.signing, { method: 'POST', path: url.pathname, contentType, rawBody: Buffer.from(body) }),
      );
    }
    return request(url, 'POST', headers, body);
  }
}

interface RouteRow {
  exportName?: unknown;
  kind?: unknown;
}

/**
 * Asks the runtime which voice model the function uses: v2 when it exports `voiceWebhook`, v1
 * when it exports `ice`. Throws when it has neither, naming what to add.
 */
export async function detectVoiceApi(baseUrl: URL): Promise<VoiceApi> {
  const response = await request(joinPath(baseUrl, `${INTROSPECTION_PREFIX}/routes`), 'GET', { accept: 'application/json' });
  if (response.status !== 200 || !Array.isArray(response.body)) {
    throw new TransportError(
      `${baseUrl.href} did not list its routes (GET ${INTROSPECTION_PREFIX}/routes returned ${response.status}). ` +
        'Point the simulator at a sinch-functions-dev runtime, or choose the voice API with --voice-api v1|v2.',
    );
  }
  const names = (response.body as RouteRow[]).map((row) => String(row.exportName));
  if (names.includes(VOICE_WEBHOOK_NAME)) return 'v2';
  if (names.includes('ice')) return 'v1';
  throw new TransportError(
    `The function at ${baseUrl.href} exports neither ice nor ${VOICE_WEBHOOK_NAME}, so no call can reach it. ` +
      `Its exports are: ${names.join(', ') || '(none)'}. Add an ice handler (Voice API v1) or export ${VOICE_WEBHOOK_NAME} = onCall({...}) (v2).`,
  );
}
