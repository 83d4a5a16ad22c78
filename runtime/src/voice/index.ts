/**
 * Voice and messaging services for the runtime core.
 *
 * Contract:
 *
 * ```ts
 * // Before calling the handler: a problem means respond 400 and skip the handler.
 * const problem = checkIncomingEvent(decision.exportName, decision.kind, request.body);
 * if (problem) return send(badEventResponse(problem));
 * // After `ice`, `ace` or `pie` returned: log the findings and expose them; send the value unchanged.
 * const findings = checkVoiceResponse(decision.exportName, value);
 * if (findings.length > 0) res.setHeader(SVAML_FINDINGS_HEADER, findingsHeaderValue(findings));
 * ```
 *
 * Sample events for the extension and the tests: `sampleEvents()`, `createSimulatedCall()`.
 */
import { isVoiceCallbackName, type EndpointKind } from '../../../common/src/routes';
import { validateConversationEvent, validateV1Event, validateV2Event, type EventProblem } from './event-validate';
import { SVAML_CALLBACKS, type SvamlCallback } from './svaml-rules';
import { validateSvaml, type SvamlFinding } from './svaml-validate';
import { verifyVoiceSignature, type SignatureResult, type SignedApi, type SignedRequest } from './signature';

export { validateSvaml, type SvamlFinding } from './svaml-validate';
export { ACTIONS_BY_CALLBACK, INSTRUCTIONS_BY_CALLBACK, MENU_LIMITS, type SvamlCallback } from './svaml-rules';
export {
  CONVERSATION_TRIGGERS,
  V2_EVENTS,
  isKnownV2Event,
  validateConversationEvent,
  validateV1Event,
  validateV2Event,
  type EventProblem,
} from './event-validate';
export {
  SAMPLE_NAMES,
  SimulatedCall,
  createSimulatedCall,
  sampleEvents,
  type SampleEvent,
  type SampleName,
  type SimulatedCallOptions,
} from './sample-events';

/** Response header that carries the SVAML findings of a voice callback as a JSON array. */
export const SVAML_FINDINGS_HEADER = 'X-Sinch-Svaml-Findings';
/** Maximum header value length; findings beyond it are left out and counted in the last entry. */
export const MAX_FINDINGS_HEADER_LENGTH = 4000;

/** The export that receives Conversation API callbacks at `/webhook/conversation`. */
export const CONVERSATION_WEBHOOK_NAME = 'conversationWebhook';

/** Checks the body an export is about to receive; undefined when it is valid or not an event. */
export function checkIncomingEvent(exportName: string, kind: EndpointKind, body: unknown): EventProblem | undefined {
  if (kind === 'voice-callback' && isVoiceCallbackName(exportName)) return validateV1Event(exportName, body);
  if (kind === 'voice-webhook') return validateV2Event(body);
  if (exportName === CONVERSATION_WEBHOOK_NAME) return validateConversationEvent(body);
  return undefined;
}

/** Builds the 400 response for an invalid event. */
export function badEventResponse(problem: EventProblem): { status: 400; body: { error: string; field: string; message: string } } {
  return { status: 400, body: { error: 'Invalid event', field: problem.field, message: problem.message } };
}

/** Returns the SVAML findings for what `ice`, `ace` or `pie` returned; empty for other exports. */
export function checkVoiceResponse(exportName: string, value: unknown): SvamlFinding[] {
  if (!(SVAML_CALLBACKS as readonly string[]).includes(exportName)) return [];
  return validateSvaml(exportName as SvamlCallback, value);
}

/** Encodes findings as ASCII JSON for a header, cut to `MAX_FINDINGS_HEADER_LENGTH`. */
export function findingsHeaderValue(findings: SvamlFinding[]): string {
  const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const kept: SvamlFinding[] = [];
  for (const [index, finding] of findings.entries()) {
    const next = ascii(JSON.stringify([...kept, finding]));
    if (next.length > MAX_FINDINGS_HEADER_LENGTH) {
      kept.push({ path: '(more)', message: `${findings.length - index} more findings are in the runtime log.` });
      break;
    }
    kept.push(finding);
  }
  return ascii(JSON.stringify(kept));
}

/** Why an event-shaped request reached no export, for a clearer error than a plain 404. */
export interface UnroutedEvent {
  status: 400 | 404;
  field: 'event';
  message: string;
  fix: string;
}

/**
 * Explains a request that no export took when its JSON body names an event: a v1 callback or
 * v2 `call.*` event whose export is missing (404), or an event name no platform sends (400).
 * Returns undefined for any other request.
 */
export function explainUnroutedEvent(method: string, path: string, body: unknown): UnroutedEvent | undefined {
  if (method !== 'POST' || body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const event = (body as Record<string, unknown>).event;
  if (typeof event !== 'string') return undefined;
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const last = (segments[segments.length - 1] ?? '').toLowerCase();

  if (isVoiceCallbackName(last) || isVoiceCallbackName(event.toLowerCase())) {
    const name = isVoiceCallbackName(last) ? last : event.toLowerCase();
    return {
      status: 404,
      field: 'event',
      message: `The function has no "${name}" export, so this ${name.toUpperCase()} callback has no handler.`,
      fix: `Export ${name}, for example as a member of the default-export object: export default { async ${name}(context, event) { … } }.`,
    };
  }
  const atVoiceWebhookPath = segments.length === 0 || (segments.length === 2 && segments[0] === 'webhook' && segments[1] === 'voice');
  if (event.startsWith('call.') && atVoiceWebhookPath) {
    return {
      status: 404,
      field: 'event',
      message: `A Voice API v2 "${event}" event arrived, but the function has no voiceWebhook export.`,
      fix: "Add export const voiceWebhook = onCall({ incoming, … }) with onCall from '@sinch/functions-runtime/voice'.",
    };
  }
  if (segments.length === 0) {
    return {
      status: 400,
      field: 'event',
      message: `Unknown event "${event}": v1 callbacks are ice, ace, pie, dice and notify, and v2 events start with "call.".`,
      fix: 'Send a platform event, or add a default export to handle other requests to /.',
    };
  }
  return undefined;
}

export {
  computeSignature,
  signVoiceRequest,
  verifyVoiceSignature,
  webhookProtection,
  type SignatureResult,
  type SignedApi,
  type SignedRequest,
} from './signature';

/** Applies the signature rules to the exports the platform signs, and warns once about a missing secret. */
export class VoiceSignatureCheck {
  private readonly warned = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Returns the result for a voice callback or `voiceWebhook`, or undefined for other exports. */
  check(kind: EndpointKind, env: Record<string, string | undefined>, request: SignedRequest): SignatureResult | undefined {
    const api: SignedApi | undefined = kind === 'voice-callback' ? 'v1' : kind === 'voice-webhook' ? 'v2' : undefined;
    if (api === undefined) return undefined;
    const result = verifyVoiceSignature(api, env, request);
    if (result.type === 'skipped' && result.reason.endsWith('is not set') && !this.warned.has(result.reason)) {
      this.warned.add(result.reason);
      this.warn(`WEBHOOK_PROTECTION is always, but ${result.reason}, so voice callbacks are served without a signature check.`);
    }
    return result;
  }
}
