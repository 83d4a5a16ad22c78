/**
 * Signature checks for voice callbacks, as the platform does them under `WEBHOOK_PROTECTION`:
 *
 * ```
 * Authorization: Application <applicationKey>:<signature>   (Voice API v1 callbacks)
 * Authorization: service <serviceId>:<signature>            (Voice API v2 events)
 * signature    = base64(HMAC-SHA256(key = base64decode(secret), stringToSign))
 * stringToSign = METHOD \n base64(MD5(body)) \n content-type \n "x-timestamp:" + x-timestamp \n path
 * ```
 *
 * The path has no query, and the content type is the header as sent; Sinch's own validation
 * sample (github.com/sinch/voice-samples, validate-callback-signature/node) builds it the same
 * way. The secret is `VOICE_APPLICATION_SECRET` for v1 and `VOICE_SERVICE_SECRET` for v2. The
 * MD5 part is empty for an empty body. Only `WEBHOOK_PROTECTION=always` enforces the check locally;
 * `deploy` (the default) and `never` skip it, because `deploy` means "when deployed".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookProtection = 'never' | 'deploy' | 'always';
export type SignedApi = 'v1' | 'v2';

export interface SignedRequest {
  method: string;
  /** The request path without the query, such as `/ice`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Uint8Array;
}

export type SignatureResult =
  | { type: 'valid' }
  | { type: 'skipped'; reason: string }
  | { type: 'invalid'; message: string };

const SCHEME: Record<SignedApi, { scheme: string; idVariable: string; secretVariable: string }> = {
  v1: { scheme: 'Application', idVariable: 'VOICE_APPLICATION_KEY', secretVariable: 'VOICE_APPLICATION_SECRET' },
  v2: { scheme: 'service', idVariable: 'VOICE_SERVICE_ID', secretVariable: 'VOICE_SERVICE_SECRET' },
};

function header(headers: SignedRequest['headers'], name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Reads `WEBHOOK_PROTECTION`; an unknown value counts as `deploy`. */
export function webhookProtection(env: Record<string, string | undefined>): WebhookProtection {
  const value = (env.WEBHOOK_PROTECTION ?? '').toLowerCase();
  return value === 'never' || value === 'always' ? value : 'deploy';
}

export function stringToSign(method: string, contentType: string, timestamp: string, path: string, body: Uint8Array): string {
  const bodyDigest = body.length === 0 ? '' : createHash('md5').update(body).digest('base64');
  return [method.toUpperCase(), bodyDigest, contentType, `x-timestamp:${timestamp}`, path].join('\n');
}

/** Computes the signature for a request; `secret` is the base64 secret from the dashboard. */
export function computeSignature(secret: string, request: Omit<SignedRequest, 'headers'> & { contentType: string; timestamp: string }): string {
  const text = stringToSign(request.method, request.contentType, request.timestamp, request.path, request.rawBody);
  return createHmac('sha256', Buffer.from(secret, 'base64')).update(text, 'utf8').digest('base64');
}

/**
 * Builds the `Authorization` and `x-timestamp` headers the platform would send, so that
 * simulated callbacks pass the check.
 */
export function signVoiceRequest(
  api: SignedApi,
  credentials: { id: string; secret: string },
  request: { method: string; path: string; contentType: string; rawBody: Uint8Array; timestamp?: string },
): Record<string, string> {
  const timestamp = request.timestamp ?? new Date().toISOString();
  const signature = computeSignature(credentials.secret, { ...request, timestamp });
  return { authorization: `${SCHEME[api].scheme} ${credentials.id}:${signature}`, 'x-timestamp': timestamp };
}

/** Checks a callback's signature when `WEBHOOK_PROTECTION=always` and the secret is set. */
export function verifyVoiceSignature(api: SignedApi, env: Record<string, string | undefined>, request: SignedRequest): SignatureResult {
  const protection = webhookProtection(env);
  if (protection !== 'always') return { type: 'skipped', reason: `WEBHOOK_PROTECTION is ${protection}` };
  const { scheme, idVariable, secretVariable } = SCHEME[api];
  const secret = env[secretVariable];
  if (!secret) return { type: 'skipped', reason: `${secretVariable} is not set` };

  const match = new RegExp(`^${scheme}\\s+([^:\\s]+):(\\S+)$`, 'i').exec(header(request.headers, 'authorization'));
  if (match === null) {
    return { type: 'invalid', message: `The request has no "Authorization: ${scheme} <id>:<signature>" header, and WEBHOOK_PROTECTION is always.` };
  }
  const expectedId = env[idVariable];
  if (expectedId && match[1] !== expectedId) {
    return { type: 'invalid', message: `The request is signed for "${match[1]}", but ${idVariable} is "${expectedId}".` };
  }
  const timestamp = header(request.headers, 'x-timestamp');
  if (timestamp === '') return { type: 'invalid', message: 'The signed request has no x-timestamp header.' };

  const expected = computeSignature(secret, {
    method: request.method,
    path: request.path,
    rawBody: request.rawBody,
    contentType: header(request.headers, 'content-type'),
    timestamp,
  });
  const expectedDigest = createHash('sha256').update(expected).digest();
  const actualDigest = createHash('sha256').update(match[2]).digest();
  if (!timingSafeEqual(expectedDigest, actualDigest)) {
    return { type: 'invalid', message: `The signature does not match; check ${secretVariable}.` };
  }
  return { type: 'valid' };
}
