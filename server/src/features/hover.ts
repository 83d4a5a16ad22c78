/**
 * Hover over an export: the route it serves, its kind, what it receives, and a `curl` command
 * that sends it a request on the local runtime.
 */
import type { Hover } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import { bodySkeletonOf } from '../../../common/src/protocol';
import type { EndpointKind, VoiceCallbackName } from '../../../common/src/routes';
import { lineIndexOf, type Endpoint } from '../analysis/endpoint-model';
import type { ProjectAnalysis } from '../analysis/project-analysis';
import type { SourceFile } from '../analysis/source-host';
import type { OffsetRange } from '../text/line-index';

/** The runtime's default address (`sinch-functions-dev` listens on 127.0.0.1:3000). */
export const DEFAULT_RUNTIME_URL = 'http://127.0.0.1:3000';

const SAMPLE_CALL_ID = 'local-test-call-1';

/** The smallest voice callback bodies a handler can expect, by event. */
const VOICE_SAMPLE_BODIES: Record<VoiceCallbackName, object> = {
  ice: {
    event: 'ice',
    callid: SAMPLE_CALL_ID,
    cli: '+46700000001',
    to: { type: 'number', endpoint: '+46700000999' },
    domain: 'pstn',
    originationType: 'pstn',
  },
  ace: { event: 'ace', callid: SAMPLE_CALL_ID, amd: { status: 'human', reason: 'longgreeting', duration: 1800 } },
  pie: {
    event: 'pie',
    callid: SAMPLE_CALL_ID,
    menuResult: { menuId: 'main', type: 'return', value: '1', inputMethod: 'dtmf' },
  },
  dice: { event: 'dice', callid: SAMPLE_CALL_ID, reason: 'MANAGERHANGUP', result: 'ANSWERED', duration: 42 },
  notify: { event: 'notify', callid: SAMPLE_CALL_ID, type: 'recording_finished' },
};

const VOICE_V2_SAMPLE_BODY = {
  event: 'call.incoming',
  call: { callId: SAMPLE_CALL_ID, from: { type: 'PHONE', phone: { number: '+46700000001' } } },
};

const KIND_TITLES: Record<EndpointKind, string> = {
  'voice-callback': 'voice callback (Voice API v1)',
  'voice-webhook': 'voice webhook (Voice API v2)',
  webhook: 'webhook',
  root: 'root handler',
  health: 'health check',
  'auth-page': 'sign-in page',
  custom: 'custom endpoint',
};

export function computeHover(
  project: ProjectAnalysis,
  endpoints: readonly Endpoint[],
  source: SourceFile,
  offset: number,
  runtimeUrl: string,
): Hover | null {
  const contains = (range: OffsetRange) => offset >= range.start && offset <= range.end;
  const direct = endpoints.find(
    (endpoint) => endpoint.resolved.declPath === source.path && contains(endpoint.resolved.decl.nameRange),
  );
  const hovered = direct
    ? [direct]
    : source.path === project.entryPath
      ? endpoints.filter((endpoint) => endpoint.resolved.via && contains(endpoint.resolved.via.range))
      : [];
  if (hovered.length === 0) return null;

  const value = hovered.map((endpoint) => describeEndpoint(endpoint, runtimeUrl)).join('\n\n---\n\n');
  const range = direct ? direct.resolved.decl.nameRange : hovered[0].resolved.via!.range;
  return { contents: { kind: MarkupKind.Markdown, value }, range: lineIndexOf(source).rangeOf(range) };
}

export function describeEndpoint(endpoint: Endpoint, runtimeUrl: string): string {
  const lines = [
    `**${endpoint.method} ${endpoint.route}** · \`${endpoint.exportName}\` · ${KIND_TITLES[endpoint.kind]}`,
    '',
    receivesText(endpoint),
  ];
  if (endpoint.protected) {
    lines.push('', 'Listed in `auth`: requests need credentials (HTTP Basic or the `/login` session).');
  }
  lines.push('', '```sh', curlCommand(endpoint, runtimeUrl), '```');
  return lines.join('\n');
}

function receivesText(endpoint: Endpoint): string {
  const name = endpoint.exportName;
  switch (endpoint.kind) {
    case 'voice-callback': {
      const returns = name === 'dice' || name === 'notify' ? 'It returns nothing; the event is informational.' : 'What it returns is sent as SVAML.';
      return `Receives \`(context, data)\`: \`data\` is the ${name.toUpperCase()} callback JSON, posted to any path ending in \`/${name}\` or to \`/\` with \`"event": "${name}"\`. ${returns} Never behind auth.`;
    }
    case 'voice-webhook':
      return 'Receives Voice API v2 `call.*` events posted to `/` or `/webhook/voice`; `onCall` dispatches each event to its handler.';
    case 'webhook':
      return `Receives \`(context, request)\` for webhooks posted to \`${endpoint.route}\`; \`request.body\` is the parsed JSON payload.`;
    case 'health':
      return 'Receives `(context, request)`. Never behind auth, so liveness probes always reach it.';
    case 'auth-page':
      return `Receives \`(context, request)\` and replaces the built-in \`${endpoint.route}\` page.`;
    case 'root':
    case 'custom':
      return `Receives \`(context, request)\`: \`request\` is a FunctionRequest with \`method\`, \`body\` and \`headers\`. It returns a FunctionResponse (\`{ statusCode, body }\`) or any object, which is sent as JSON. Any path whose last segment is \`${endpoint.route.slice(1) || '/'}\` reaches it.`;
  }
}

/** Quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(endpoint: Endpoint, runtimeUrl: string): string {
  const base = runtimeUrl.replace(/\/+$/, '');
  const parts = ['curl'];
  if (endpoint.protected) parts.push('-u "$ADMIN_USER:$ADMIN_PASSWORD"');
  let body: object | undefined;
  if (endpoint.kind === 'voice-callback') body = VOICE_SAMPLE_BODIES[endpoint.exportName as VoiceCallbackName];
  else if (endpoint.kind === 'voice-webhook') body = VOICE_V2_SAMPLE_BODY;
  else if (endpoint.method === 'POST') body = bodySkeletonOf(endpoint.bodyFields);
  if (endpoint.method === 'POST') parts.push('-X POST');
  parts.push(shellQuote(`${base}${endpoint.route}`));
  if (body !== undefined) {
    parts.push("-H 'Content-Type: application/json'", '-d', shellQuote(JSON.stringify(body)));
  }
  return parts.join(' ');
}
