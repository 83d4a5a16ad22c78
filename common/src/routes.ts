/**
 * The platform's routing rules: which export a request reaches, and what kind of endpoint each
 * export name becomes. The runtime dispatches with these functions and the language server
 * describes exports with them, so the editor and the runtime cannot disagree.
 */

/** Export names that are always Voice API v1 callbacks, whatever the path in front of them. */
export const VOICE_CALLBACK_NAMES = ['ice', 'ace', 'pie', 'dice', 'notify'] as const;
export type VoiceCallbackName = (typeof VOICE_CALLBACK_NAMES)[number];

/** The export that receives Voice API v2 `call.*` events (built with `onCall`). */
export const VOICE_WEBHOOK_NAME = 'voiceWebhook';

/** Export names that serve `GET /`, in the order they are tried. */
export const ROOT_NAMES = ['default', 'home'] as const;

/** Paths at which Voice API v2 events reach `voiceWebhook`. */
export const VOICE_WEBHOOK_PATHS = ['/', '/webhook/voice'] as const;

/** Reserved prefix for the runtime's own introspection interface. */
export const INTROSPECTION_PREFIX = '/_sinch';

export type EndpointKind =
  | 'voice-callback' // ice, ace, pie, dice, notify
  | 'voice-webhook' // voiceWebhook (v2 call.* events)
  | 'webhook' // <service>Webhook at /webhook/<service>
  | 'root' // default or home at GET /
  | 'health' // /health, never behind auth
  | 'auth-page' // login and logout, replacing the built-in pages
  | 'custom'; // any other function export

/** Exports that are configuration or a start-up hook, never endpoints. */
export const NON_ENDPOINT_EXPORTS = ['auth', 'setup'] as const;

export function isVoiceCallbackName(name: string): name is VoiceCallbackName {
  return (VOICE_CALLBACK_NAMES as readonly string[]).includes(name);
}

/**
 * Returns the reserved voice name that `name` matches only when letter case is ignored
 * (`Notify`, `ICE`), or undefined. The platform matches export names exactly, so such an export
 * is an ordinary custom endpoint, which is rarely what its author meant.
 */
export function voiceCallbackNearMiss(name: string): VoiceCallbackName | undefined {
  const lower = name.toLowerCase();
  return lower !== name && isVoiceCallbackName(lower) ? lower : undefined;
}

export function isNonEndpointExport(name: string): boolean {
  return (NON_ENDPOINT_EXPORTS as readonly string[]).includes(name);
}

/**
 * Classifies an export name, or returns undefined for `auth` and `setup`, which are
 * configuration and a hook.
 */
export function classifyExport(name: string): EndpointKind | undefined {
  if (isNonEndpointExport(name)) return undefined;
  if (isVoiceCallbackName(name)) return 'voice-callback';
  if (name === VOICE_WEBHOOK_NAME) return 'voice-webhook';
  if (webhookServiceOf(name) !== undefined) return 'webhook';
  if ((ROOT_NAMES as readonly string[]).includes(name)) return 'root';
  if (name === 'health') return 'health';
  if (name === 'login' || name === 'logout') return 'auth-page';
  return 'custom';
}

/**
 * Maps a `/webhook/<service>` segment to its export name. The platform documents only the
 * single-word case (`conversation` → `conversationWebhook`); for other segments this runtime
 * camel-cases at `-` and `_` (`my-service` → `myServiceWebhook`).
 */
export function webhookExportName(service: string): string {
  const words = service.split(/[-_]+/).filter((word) => word.length > 0);
  const camel = words
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
  return `${camel}Webhook`;
}

/**
 * Returns the `/webhook/<service>` segment that reaches a `<service>Webhook` export, or
 * undefined when the name is not a webhook name. `voiceWebhook` counts as a webhook name here
 * because `/webhook/voice` reaches it; `classifyExport` gives it its own kind first.
 */
export function webhookServiceOf(name: string): string | undefined {
  const match = /^([a-z][A-Za-z0-9]*)Webhook$/.exec(name);
  if (!match) return undefined;
  return match[1].replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The path a user sends to reach an export, as shown in route tables, lenses and hovers. */
export function routePathOf(name: string): string {
  switch (classifyExport(name)) {
    case 'voice-webhook':
      return '/webhook/voice';
    case 'webhook':
      return `/webhook/${webhookServiceOf(name)}`;
    case 'root':
      return '/';
    default:
      return `/${name}`;
  }
}

/** The HTTP method a request to this export usually has: the platform posts every callback. */
export function defaultMethodOf(name: string): 'GET' | 'POST' {
  const kind = classifyExport(name);
  return kind === 'custom' || kind === 'root' || kind === 'health' || kind === 'auth-page'
    ? 'GET'
    : 'POST';
}

/**
 * Splits a request path into its non-empty segments. Percent-encoding is decoded per segment;
 * a segment that does not decode is kept as it was sent.
 */
export function pathSegments(path: string): string[] {
  const withoutQuery = path.split('?')[0];
  return withoutQuery
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

/** Where a request goes, as decided by `resolveRoute`. */
export type RouteDecision =
  | { type: 'export'; exportName: string; kind: EndpointKind }
  | { type: 'builtin'; name: 'health' | 'login' | 'logout' }
  | { type: 'static'; filePath: string }
  | { type: 'not-found' };

export interface RouteRequest {
  method: string;
  path: string;
  /** The parsed body, when it is a JSON object; only `event` is read. */
  body?: unknown;
}

export interface RouteTarget {
  /** Names of the function exports that are handlers. */
  hasExport(name: string): boolean;
  /** Returns the public/ file path that serves this request path, if one exists. */
  findStaticFile?(path: string): string | undefined;
}

function bodyEvent(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const event = (body as Record<string, unknown>).event;
  return typeof event === 'string' ? event : undefined;
}

/** True when the request carries a Voice API v2 event (CloudEvents `type` header or body). */
export function isVoiceV2Event(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  const event = typeof record.event === 'string' ? record.event : record.type;
  return typeof event === 'string' && event.startsWith('call.');
}

/**
 * Decides which export, built-in or static file serves a request. The order is:
 *
 * 1. `login` and `logout` with no export of that name: the built-in pages.
 * 2. A v2 `call.*` event posted to `/` or `/webhook/voice`: `voiceWebhook`.
 * 3. A last segment of `ice`, `ace`, `pie`, `dice` or `notify` (any letter case): that callback.
 * 4. `POST /` whose body `event` names a v1 callback: that callback.
 * 5. `/webhook/<service>`: `<service>Webhook`.
 * 6. `/`: `default`, then `home`, then `public/index.html`.
 * 7. A last segment that names an export (exact case): that export.
 * 8. A file under `public/`.
 * 9. `/health` with no `health` export: the built-in liveness answer.
 * 10. Nothing else: not found.
 *
 * Trailing slashes and repeated slashes are ignored, so `/status/` reaches `status`.
 */
export function resolveRoute(request: RouteRequest, target: RouteTarget): RouteDecision {
  const segments = pathSegments(request.path);
  const last = segments.length > 0 ? segments[segments.length - 1] : '';
  const normalizedPath = `/${segments.join('/')}`;
  const exportDecision = (exportName: string): RouteDecision => ({
    type: 'export',
    exportName,
    kind: classifyExport(exportName) ?? 'custom',
  });

  if ((last === 'login' || last === 'logout') && segments.length === 1 && !target.hasExport(last)) {
    return { type: 'builtin', name: last };
  }

  if (
    (VOICE_WEBHOOK_PATHS as readonly string[]).includes(normalizedPath) &&
    isVoiceV2Event(request.body) &&
    target.hasExport(VOICE_WEBHOOK_NAME)
  ) {
    return exportDecision(VOICE_WEBHOOK_NAME);
  }

  const lowerLast = last.toLowerCase();
  if (isVoiceCallbackName(lowerLast)) {
    return target.hasExport(lowerLast) ? exportDecision(lowerLast) : { type: 'not-found' };
  }

  if (segments.length === 0 && request.method === 'POST') {
    const event = bodyEvent(request.body);
    if (event !== undefined && isVoiceCallbackName(event)) {
      return target.hasExport(event) ? exportDecision(event) : { type: 'not-found' };
    }
  }

  if (segments.length === 2 && segments[0] === 'webhook') {
    const name = webhookExportName(segments[1]);
    if (target.hasExport(name)) return exportDecision(name);
    return { type: 'not-found' };
  }

  if (segments.length === 0) {
    for (const name of ROOT_NAMES) {
      if (target.hasExport(name)) return exportDecision(name);
    }
    const index = target.findStaticFile?.('/index.html');
    if (index !== undefined) return { type: 'static', filePath: index };
    return { type: 'not-found' };
  }

  // `default` is reachable only at `/`: it is the module's default export, not a route name.
  if (!isNonEndpointExport(last) && last !== 'default' && target.hasExport(last)) {
    return exportDecision(last);
  }

  const file = target.findStaticFile?.(normalizedPath);
  if (file !== undefined) return { type: 'static', filePath: file };

  if (last === 'health') return { type: 'builtin', name: 'health' };
  return { type: 'not-found' };
}
