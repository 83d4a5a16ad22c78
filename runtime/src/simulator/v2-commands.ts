/**
 * Checks a Voice API v2 answer (`{ commands: [...] }`) before the simulator follows it. The
 * runtime validates only SVAML v1, so these checks cover what the walk-through needs: the
 * envelope, known command names, and the fields of the commands it follows. Command shapes are
 * the ones `@sinch/functions-runtime/voice` builds (`answer`, `messages`, `menu`, `dial`, `hangup`).
 */
import type { SvamlFinding } from '../voice';

/** Commands of the Voice API v2 SDKs; the simulator follows the first five and notes the rest. */
export const V2_FOLLOWED_COMMANDS = ['answer', 'messages', 'menu', 'dial', 'hangup'] as const;
export const V2_NOTED_COMMANDS = ['amd', 'stopMessages', 'customEvent', 'pause', 'startRecording', 'stopRecording', 'bridgeCall', 'gotoMenu'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Returns the findings for what `voiceWebhook` answered; `status` 204 means no commands. */
export function checkV2Response(status: number, body: unknown): SvamlFinding[] {
  if (status === 204) return [];
  const findings: SvamlFinding[] = [];
  if (!isObject(body)) {
    findings.push({ path: '(response)', message: 'voiceWebhook must answer { "commands": [...] } or nothing (204).' });
    return findings;
  }
  if (!Array.isArray(body.commands)) {
    findings.push({ path: 'commands', message: '"commands" must be an array of commands such as {"command": "hangup"}.' });
    return findings;
  }
  const known: readonly string[] = [...V2_FOLLOWED_COMMANDS, ...V2_NOTED_COMMANDS];
  body.commands.forEach((command, index) => {
    const path = `commands[${index}]`;
    if (!isObject(command) || typeof command.command !== 'string') {
      findings.push({ path, message: 'A command must be an object with a "command" name.' });
      return;
    }
    if (!known.includes(command.command)) {
      findings.push({ path: `${path}.command`, message: `Unknown command "${command.command}"; known commands are ${known.join(', ')}.` });
      return;
    }
    findings.push(...checkFields(command, path));
  });
  return findings;
}

function checkFields(command: Json, path: string): SvamlFinding[] {
  switch (command.command) {
    case 'messages':
      if (!Array.isArray(command.messages) || !command.messages.every((message) => isObject(message) && typeof message.type === 'string')) {
        return [{ path: `${path}.messages`, message: '"messages" must be an array of messages with a "type" (SAY or PLAY).' }];
      }
      return [];
    case 'dial':
      return isObject(command.to) ? [] : [{ path: `${path}.to`, message: '"to" must name the party to dial, such as {"type": "PHONE", "phone": {"number": "+4670..."}}.' }];
    case 'menu': {
      const menu = command.menu;
      if (!isObject(menu) || typeof menu.name !== 'string' || menu.name === '') {
        return [{ path: `${path}.menu.name`, message: '"menu" must be an object with a non-empty "name".' }];
      }
      if (menu.options !== undefined && !Array.isArray(menu.options)) {
        return [{ path: `${path}.menu.options`, message: '"options" must be an array of {"dtmf", "value"}.' }];
      }
      return [];
    }
    default:
      return [];
  }
}
