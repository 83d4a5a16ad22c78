/**
 * The sample events offered in the Request view and sent by "Run endpoint" for voice callbacks
 * and webhooks. They come from the runtime's own sample module, so the editor and the runtime's
 * event checks agree on what a valid event looks like.
 */
import { SAMPLE_NAMES, createSimulatedCall, sampleEvents, type SampleName } from '../../../runtime/src/voice/index';
import type { SampleCatalog, SampleEvent } from './default-request';

const V1_LABELS: Record<string, string> = {
  ice: 'ICE: incoming call',
  ace: 'ACE: outbound call answered',
  pie: 'PIE: menu result',
  dice: 'DICE: call ended',
  notify: 'Notify: recording available',
};

function describe(name: SampleName): Pick<SampleEvent, 'label' | 'group' | 'exportName' | 'path'> {
  if (name in V1_LABELS) {
    return { label: V1_LABELS[name], group: 'Voice API v1 callbacks', exportName: name, path: `/${name}` };
  }
  if (name === 'conversation.message_inbound') {
    return { label: 'Inbound message', group: 'Conversation API', exportName: 'conversationWebhook', path: '/webhook/conversation' };
  }
  return { label: name, group: 'Voice API v2 events', exportName: 'voiceWebhook', path: '/webhook/voice' };
}

/** Builds the catalog on first use, so activation does not pay for it. */
export function createRuntimeSampleCatalog(): SampleCatalog {
  let cached: SampleEvent[] | undefined;
  return {
    list(): SampleEvent[] {
      if (!cached) {
        const bodies = sampleEvents();
        // Voice API v2 events travel with CloudEvents headers, made right after each event.
        const v2Call = createSimulatedCall({ seed: 'sample' });
        cached = SAMPLE_NAMES.map((name) => {
          const isV2 = name.startsWith('call.');
          const body = isV2 ? v2Call.v2(name as Parameters<typeof v2Call.v2>[0]) : bodies[name];
          const headers = isV2 ? v2Call.v2Headers(body) : { 'Content-Type': 'application/json' };
          return { id: name, method: 'POST' as const, headers, body, ...describe(name) };
        });
      }
      return cached;
    },
  };
}
