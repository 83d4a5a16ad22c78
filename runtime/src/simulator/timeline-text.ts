/**
 * Formats timeline entries as short text lines, for the terminal and for plain-text views.
 */
import type { CallerChoice, TimelineEntry } from './types';

export function describeChoice(choice: CallerChoice): string {
  switch (choice.kind) {
    case 'keys':
      return `presses ${choice.keys === '' ? '(no keys)' : choice.keys}`;
    case 'timeout':
      return 'presses nothing (timeout)';
    case 'answered':
      return 'the far end answers';
    case 'busy':
      return 'the far end is busy';
    case 'noanswer':
      return 'the far end does not answer';
    case 'failed':
      return 'the far end cannot be reached';
    case 'calleeHangup':
      return 'the far end hangs up';
    case 'hangup':
      return 'the caller hangs up';
  }
}

function compact(value: unknown): string {
  if (value === undefined) return '(no body)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Returns the lines that show one entry: the first is the summary, the rest are details. */
export function describeEntry(entry: TimelineEntry): string[] {
  switch (entry.kind) {
    case 'request': {
      const time = entry.durationMs === undefined ? `${entry.roundTripMs} ms round trip` : `function ${entry.durationMs} ms`;
      const lines = [`→ ${entry.event} ${entry.path}  ← ${entry.status} (${time})`];
      if (entry.response !== undefined) lines.push(`    response: ${compact(entry.response)}`);
      for (const finding of entry.findings) lines.push(`    ⚠ ${finding.path}: ${finding.message}`);
      return lines;
    }
    case 'hear':
      return [`♪ ${entry.text}`];
    case 'menu': {
      const repeat = entry.attempt > 1 ? ` (play ${entry.attempt} of ${entry.maxAttempts})` : '';
      const lines = [`☰ menu "${entry.menuId}"${repeat}`];
      for (const option of entry.options) lines.push(`    ${option.dtmf} → ${option.action}`);
      return lines;
    }
    case 'input':
      return [`☎ ${describeChoice(entry.choice)}`];
    case 'cookie':
      return [`◆ cookie ${entry.key} = ${entry.value}`];
    case 'connect':
      return [`⇄ ${entry.action} to ${entry.destination}`];
    case 'note':
      return [`· ${entry.text}`];
    case 'stop': {
      const lines = [`✖ stopped at ${entry.event}: ${entry.reason}`];
      for (const finding of entry.findings) lines.push(`    ${finding.path}: ${finding.message}`);
      return lines;
    }
    case 'end':
      return [`■ call ended: ${entry.reason} (${entry.result})`];
  }
}
