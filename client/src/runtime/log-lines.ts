/**
 * Reads the runtime's text log lines (see `docs/runtime-interface.md`) so the extension can
 * re-level them into its LogOutputChannel and link request lines to the handler's source.
 * Request lines read `2026-12-04T20:31:00.123Z POST /ice ice 200 12ms req=3f2a9c1b04de`; other
 * lines read `<time> INFO  message key=value`.
 */

export type LineLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ParsedLine {
  level: LineLevel;
  /** The line without the runtime's own timestamp, which the channel adds again. */
  text: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z /;
const LEVEL = /^(DEBUG|INFO|WARN|ERROR)\s+/;
export const REQUEST_LINE = /^([A-Z]+) (\/\S*) (\S+) (\d{3}) (\d+)ms req=(\S+)$/;

/**
 * Parses one line. A line without a timestamp (a stack frame, or the user's own console output)
 * keeps `previous` as its level.
 */
export function parseLogLine(line: string, previous: LineLevel = 'info'): ParsedLine {
  const time = TIMESTAMP.exec(line);
  if (!time) return { level: previous, text: line };
  const rest = line.slice(time[0].length);
  const level = LEVEL.exec(rest);
  if (level) return { level: level[1].toLowerCase() as LineLevel, text: rest.slice(level[0].length) };
  const request = REQUEST_LINE.exec(rest);
  if (request) return { level: Number(request[4]) >= 500 ? 'warn' : 'info', text: rest };
  return { level: 'info', text: rest };
}

export interface ExportMention {
  exportName: string;
  /** Offset of the export name within the line. */
  start: number;
}

/** Finds the export named by a request line as it appears in the channel (any prefix). */
export function findExportMention(line: string): ExportMention | undefined {
  const match = / ([A-Z]+) (\/\S*) ([A-Za-z_$][\w$]*) (\d{3}) (\d+)ms req=\S+\s*$/.exec(line);
  if (!match) return undefined;
  const start = match.index + 1 + match[1].length + 1 + match[2].length + 1;
  return { exportName: match[3], start };
}
