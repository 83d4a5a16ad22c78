/**
 * Checks incoming voice and messaging events before the handler runs. An event that lacks a
 * required field, has a field of the wrong type, or names an unknown event is rejected with the
 * field's path, so the runtime can respond 400 without calling the handler.
 *
 * Required fields are the ones a handler cannot work without: `callid` in every v1 event (the key
 * for call state), `menuResult` in PIE and `type` in Notify. The platform always sends `cli` and
 * `to` with ICE, but hand-written test bodies often leave them out, so they are optional here.
 * Every other documented field is optional but must have the right type when present.
 */
import type { VoiceCallbackName } from '../../../common/src/routes';

export interface EventProblem {
  /** Path of the offending field, such as `menuResult.menuId`, or `(body)`. */
  field: string;
  message: string;
}

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';

interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** Allowed values of a string field, compared without regard to letter case. */
  values?: readonly string[];
  fields?: Record<string, FieldSpec>;
}

const MONEY: FieldSpec = { type: 'object', fields: { currencyId: { type: 'string', required: true }, amount: { type: 'number', required: true } } };
const DESTINATION: FieldSpec = { type: 'object', fields: { type: { type: 'string', required: true }, endpoint: { type: 'string', required: true } } };
const AMD: FieldSpec = { type: 'object', fields: { status: { type: 'string', required: true }, reason: { type: 'string' }, duration: { type: 'number' } } };

const COMMON: Record<string, FieldSpec> = {
  callid: { type: 'string', required: true },
  version: { type: 'number' },
  custom: { type: 'string' },
  applicationKey: { type: 'string' },
  timestamp: { type: 'string' },
  callHeaders: { type: 'array' },
};

export const MENU_RESULT_TYPES = ['return', 'sequence', 'timeout', 'hangup', 'invalidinput', 'error'] as const;

const V1_EVENTS: Record<VoiceCallbackName, Record<string, FieldSpec>> = {
  ice: {
    ...COMMON,
    cli: { type: 'string' },
    to: DESTINATION,
    domain: { type: 'string' },
    originationType: { type: 'string' },
    callResourceUrl: { type: 'string' },
    userRate: MONEY,
    duration: { type: 'number' },
    rdnis: { type: 'string' },
  },
  ace: { ...COMMON, amd: AMD },
  pie: {
    ...COMMON,
    menuResult: {
      type: 'object',
      required: true,
      fields: {
        menuId: { type: 'string', required: true },
        type: { type: 'string', required: true, values: MENU_RESULT_TYPES },
        value: { type: 'string' },
        inputMethod: { type: 'string', values: ['dtmf', 'voice'] },
      },
    },
  },
  dice: {
    ...COMMON,
    reason: { type: 'string' },
    result: { type: 'string' },
    duration: { type: 'number' },
    debit: MONEY,
    userRate: MONEY,
    to: DESTINATION,
    from: { type: 'string' },
  },
  notify: {
    ...COMMON,
    type: { type: 'string', required: true },
    destination: { type: 'string' },
    conferenceId: { type: 'string' },
    amd: AMD,
    errorCode: { type: 'number' },
    errorMsg: { type: 'string' },
    user: { type: 'string' },
  },
};

/** Voice API v2 events this runtime accepts, besides `call.webhook.<name>` for any name. */
export const V2_EVENTS = [
  'call.incoming',
  'call.answered',
  'call.menu',
  'call.hangup',
  'call.failed',
  'call.busy',
  'call.rejected',
  'call.timeout',
  'call.amd.human',
  'call.amd.machine',
  'call.amd.beep',
  'call.amd.unknown',
  'call.message.finished',
  'call.recording.finished',
  'call.recording.failed',
] as const;

const PARTY: FieldSpec = { type: 'object', fields: { type: { type: 'string', required: true } } };

const V2_FIELDS: Record<string, FieldSpec> = {
  event: { type: 'string', required: true },
  call: {
    type: 'object',
    required: true,
    fields: {
      callId: { type: 'string', required: true },
      projectId: { type: 'string' },
      serviceId: { type: 'string' },
      sessionId: { type: 'string' },
      from: PARTY,
      to: PARTY,
      startTime: { type: 'string' },
      direction: { type: 'string' },
      callRate: MONEY,
    },
  },
  menu: { type: 'object', fields: { menuName: { type: 'string', required: true }, input: { type: 'string' } } },
};

/** Conversation API callback triggers; an envelope carries `app_id` and one of these. */
export const CONVERSATION_TRIGGERS = [
  'message',
  'message_delivery_report',
  'message_submit_notification',
  'event',
  'event_delivery_report',
  'conversation_start_notification',
  'conversation_stop_notification',
  'conversation_delete_notification',
  'contact_create_notification',
  'contact_delete_notification',
  'contact_merge_notification',
  'contact_update_notification',
  'contact_identities_duplication_notification',
  'capability_notification',
  'opt_in_notification',
  'opt_out_notification',
  'channel_event_notification',
  'unsupported_callback',
  'smart_conversation_notification',
  'record_notification',
] as const;

const INBOUND_MESSAGE: FieldSpec = {
  type: 'object',
  fields: {
    id: { type: 'string', required: true },
    direction: { type: 'string', required: true },
    contact_message: { type: 'object', required: true },
    channel_identity: {
      type: 'object',
      required: true,
      fields: { channel: { type: 'string', required: true }, identity: { type: 'string', required: true } },
    },
    conversation_id: { type: 'string' },
    contact_id: { type: 'string' },
    accept_time: { type: 'string' },
  },
};

function typeOf(value: unknown): FieldType | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : 'other';
}

function checkFields(record: Record<string, unknown>, specs: Record<string, FieldSpec>, prefix: string): EventProblem | undefined {
  for (const [name, spec] of Object.entries(specs)) {
    const field = `${prefix}${name}`;
    const value = record[name];
    if (value === undefined) {
      if (spec.required) return { field, message: `Field "${field}" is required (${spec.type}).` };
      continue;
    }
    const actual = typeOf(value);
    if (actual !== spec.type) {
      return { field, message: `Field "${field}" must be ${spec.type === 'array' || spec.type === 'object' ? 'an' : 'a'} ${spec.type}; got ${actual}.` };
    }
    if (spec.values !== undefined && !spec.values.includes((value as string).toLowerCase())) {
      return { field, message: `Field "${field}" must be one of ${spec.values.join(', ')}; got "${value as string}".` };
    }
    if (spec.fields !== undefined) {
      const nested = checkFields(value as Record<string, unknown>, spec.fields, `${field}.`);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

function notAnObject(body: unknown): EventProblem | undefined {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return undefined;
  const kind = body === undefined ? 'no body' : typeOf(body);
  return { field: '(body)', message: `The request body must be a JSON object; got ${kind}.` };
}

/** Checks a Voice API v1 callback body for the callback the request reached. */
export function validateV1Event(callback: VoiceCallbackName, body: unknown): EventProblem | undefined {
  const notObject = notAnObject(body);
  if (notObject !== undefined) return notObject;
  const record = body as Record<string, unknown>;
  const event = record.event;
  if (event !== undefined) {
    if (typeof event !== 'string') return { field: 'event', message: `Field "event" must be a string; got ${typeOf(event)}.` };
    if (event.toLowerCase() !== callback) {
      return { field: 'event', message: `This request reached the "${callback}" callback, but its "event" is "${event}"; send it to /${event} or fix the field.` };
    }
  }
  if (record.callid === undefined && typeof record.callId === 'string') {
    return { field: 'callid', message: 'Field "callid" is required; the body has "callId", but the platform spells it all lower case.' };
  }
  return checkFields(record, V1_EVENTS[callback], '');
}

export function isKnownV2Event(name: string): boolean {
  return (V2_EVENTS as readonly string[]).includes(name) || /^call\.webhook\.[^.]+$/.test(name);
}

/** Checks a Voice API v2 `call.*` event body. */
export function validateV2Event(body: unknown): EventProblem | undefined {
  const notObject = notAnObject(body);
  if (notObject !== undefined) return notObject;
  const record = body as Record<string, unknown>;
  const problem = checkFields(record, V2_FIELDS, '');
  if (problem !== undefined) return problem;
  const event = record.event as string;
  if (!isKnownV2Event(event)) {
    return { field: 'event', message: `Unknown event "${event}"; known events are ${V2_EVENTS.join(', ')} and call.webhook.<name>.` };
  }
  if (event === 'call.menu' && record.menu === undefined) {
    return { field: 'menu', message: 'Field "menu" is required on call.menu events (object with "menuName").' };
  }
  return undefined;
}

/** Checks a Conversation API callback envelope; a `message` trigger must be a complete inbound message. */
export function validateConversationEvent(body: unknown): EventProblem | undefined {
  const notObject = notAnObject(body);
  if (notObject !== undefined) return notObject;
  const record = body as Record<string, unknown>;
  const envelope = checkFields(record, { app_id: { type: 'string', required: true }, project_id: { type: 'string' } }, '');
  if (envelope !== undefined) return envelope;
  const triggers = CONVERSATION_TRIGGERS.filter((name) => record[name] !== undefined);
  if (triggers.length === 0) {
    return { field: '(trigger)', message: `The envelope has no trigger; add one of ${CONVERSATION_TRIGGERS.join(', ')}.` };
  }
  if (record.message !== undefined) return checkFields(record, { message: INBOUND_MESSAGE }, '');
  return undefined;
}
