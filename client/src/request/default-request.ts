/**
 * The request that "Run endpoint" sends when the user saved none. A custom endpoint gets GET, or a
 * JSON POST with the body fields it reads when the language server found that it reads
 * `request.body`. A voice callback or webhook gets a POST with the matching sample event. Sample
 * events come from a `SampleCatalog` so that the runtime's sample module stays their single source.
 */
import { bodySkeletonOf } from '../../../common/src/protocol';
import type { EndpointKind } from '../../../common/src/routes';
import type { RequestSpec } from './request-spec';

export interface EndpointTarget {
  exportName: string;
  kind: EndpointKind;
  route: string;
  method: 'GET' | 'POST';
  /** The fields a custom handler reads from `request.body`. */
  bodyFields?: readonly string[];
}

/** One ready-made event a user can send, such as a v1 ICE callback or a v2 `call.answered`. */
export interface SampleEvent {
  id: string;
  label: string;
  /** Heading in the sample list, such as "Voice API v1". */
  group: string;
  /** The export this event is meant for (`ice`, `voiceWebhook`, `conversationWebhook`). */
  exportName: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface SampleCatalog {
  list(): SampleEvent[];
}

export const EMPTY_CATALOG: SampleCatalog = { list: () => [] };

export function requestFromSample(sample: SampleEvent): RequestSpec {
  const headers = Object.entries(sample.headers).map(([name, value]) => ({ name, value }));
  if (!headers.some((header) => header.name.toLowerCase() === 'content-type')) {
    headers.unshift({ name: 'Content-Type', value: 'application/json' });
  }
  return {
    method: sample.method,
    path: sample.path,
    headers,
    body: typeof sample.body === 'string' ? sample.body : JSON.stringify(sample.body, null, 2),
  };
}

/** The sample an endpoint gets by default: its own callback, `call.incoming`, or its webhook's. */
function defaultSampleOf(endpoint: EndpointTarget, catalog: SampleCatalog): SampleEvent | undefined {
  const samples = catalog.list();
  if (endpoint.kind === 'voice-webhook') {
    const incoming = samples.find((candidate) => candidate.id === 'call.incoming');
    if (incoming) return incoming;
  }
  return samples.find((candidate) => candidate.exportName === endpoint.exportName);
}

export function defaultRequestFor(endpoint: EndpointTarget, catalog: SampleCatalog = EMPTY_CATALOG): RequestSpec {
  const sample = endpoint.kind === 'custom' || endpoint.kind === 'root' ? undefined : defaultSampleOf(endpoint, catalog);
  if (sample) return requestFromSample({ ...sample, path: endpoint.route });

  switch (endpoint.kind) {
    case 'voice-callback':
      // Without a sample catalog, the smallest body the runtime dispatches as this callback.
      return jsonPost(endpoint.route, { event: endpoint.exportName });
    case 'voice-webhook':
      return jsonPost(endpoint.route, { event: 'call.incoming' });
    case 'webhook':
      return jsonPost(endpoint.route, {});
    default:
      if (endpoint.method === 'POST') return jsonPost(endpoint.route, bodySkeletonOf(endpoint.bodyFields));
      return { method: endpoint.method, path: endpoint.route, headers: [], body: '' };
  }
}

function jsonPost(path: string, body: unknown): RequestSpec {
  return {
    method: 'POST',
    path,
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: JSON.stringify(body, null, 2),
  };
}
