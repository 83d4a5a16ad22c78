/**
 * Describes a SVAML answer as a call flow a person can read: one step per instruction, then the
 * action (v1), or one step per command (v2). Unknown names are shown with their raw fields
 * rather than dropped, so nothing the handler returned is hidden.
 */

export interface FlowStep {
  /** `instruction` and `action` for SVAML v1; `command` for v2. */
  role: 'instruction' | 'action' | 'command';
  name: string;
  text: string;
  /** Menu options and similar sub-steps. */
  details?: string[];
}

export interface CallFlow {
  version: 1 | 2;
  steps: FlowStep[];
}

type Json = Record<string, unknown>;

/** Returns the call flow of a response body, or undefined when it is not SVAML. */
export function describeSvaml(body: string): CallFlow | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const svaml = value as Json;
  if (Array.isArray(svaml.commands)) {
    return { version: 2, steps: svaml.commands.filter(isObject).map(describeCommand) };
  }
  if (!isObject(svaml.action) && !Array.isArray(svaml.instructions)) return undefined;
  const steps: FlowStep[] = [];
  for (const instruction of Array.isArray(svaml.instructions) ? svaml.instructions.filter(isObject) : []) {
    steps.push(describeInstruction(instruction));
  }
  if (isObject(svaml.action)) steps.push(describeAction(svaml.action));
  return { version: 1, steps };
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function rest(step: Json, ...skip: string[]): string {
  const entries = Object.entries(step).filter(([key]) => !skip.includes(key));
  return entries.map(([key, value]) => `${key}: ${str(value)}`).join(', ');
}

function describeInstruction(step: Json): FlowStep {
  const name = str(step.name);
  switch (name) {
    case 'say':
      return { role: 'instruction', name, text: `Say "${str(step.text)}"${step.locale ? ` (${str(step.locale)})` : ''}` };
    case 'playFiles':
      return { role: 'instruction', name, text: `Play ${Array.isArray(step.ids) ? step.ids.map(str).join(', ') : str(step.ids)}` };
    case 'setCookie':
      return { role: 'instruction', name, text: `Remember ${str(step.key)} = ${str(step.value)} for later callbacks` };
    case 'sendDtmf':
      return { role: 'instruction', name, text: `Send DTMF ${str(step.value)}` };
    case 'answer':
      return { role: 'instruction', name, text: 'Answer the call' };
    case 'startRecording':
      return { role: 'instruction', name, text: 'Start recording' };
    case 'stopRecording':
      return { role: 'instruction', name, text: 'Stop recording' };
    default:
      return { role: 'instruction', name, text: `${name || '(no name)'} ${rest(step, 'name')}`.trim() };
  }
}

function describeAction(step: Json): FlowStep {
  const name = str(step.name);
  switch (name) {
    case 'hangup':
      return { role: 'action', name, text: 'Hang up' };
    case 'continue':
      return { role: 'action', name, text: 'Continue the call' };
    case 'connectPstn':
      return { role: 'action', name, text: `Connect to ${str(step.number) || 'the dialled number'}${step.cli ? ` as ${str(step.cli)}` : ''}` };
    case 'connectConf':
      return { role: 'action', name, text: `Join conference ${str(step.conferenceId)}` };
    case 'connectSip':
    case 'connectMxp':
    case 'connectStream': {
      const destination = isObject(step.destination) ? str(step.destination.endpoint) : '';
      return { role: 'action', name, text: `${name} to ${destination}` };
    }
    case 'park':
      return { role: 'action', name, text: `Park the call${step.holdPrompt ? ` with ${str(step.holdPrompt)}` : ''}` };
    case 'runMenu':
      return describeMenu(step);
    default:
      return { role: 'action', name, text: `${name || '(no name)'} ${rest(step, 'name')}`.trim() };
  }
}

function describeMenu(step: Json): FlowStep {
  const menus = Array.isArray(step.menus) ? step.menus.filter(isObject) : [];
  const details: string[] = [];
  for (const menu of menus) {
    details.push(`Menu ${str(menu.id)}: ${str(menu.mainPrompt)}`);
    for (const option of Array.isArray(menu.options) ? menu.options.filter(isObject) : []) {
      details.push(`  ${str(option.dtmf)} → ${str(option.action)}`);
    }
  }
  const main = str(step.mainMenu) || 'main';
  return { role: 'action', name: 'runMenu', text: `Run menu "${main}" and send the choice to pie`, details };
}

function describeCommand(step: Json): FlowStep {
  const name = str(step.command);
  if (name === 'messages' && Array.isArray(step.messages)) {
    const details = step.messages.filter(isObject).map((message) => {
      const type = str(message.type);
      const payload = isObject(message[type.toLowerCase()]) ? (message[type.toLowerCase()] as Json) : {};
      return `${type} ${str(payload.text ?? payload.url ?? '')}`.trim();
    });
    return { role: 'command', name, text: 'Play messages', details };
  }
  return { role: 'command', name, text: `${name || '(no command)'} ${rest(step, 'command')}`.trim() };
}
