/** Shared helpers for the runtime-services tests: temporary project folders and a log recorder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogLevel } from '../../runtime/src/context';

export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown>;
}

/** Creates a project folder with the given files (relative path → contents); removed by the caller. */
export function createProject(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-services-'));
  for (const [relative, contents] of Object.entries(files)) {
    const file = path.join(folder, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  return folder;
}

export function removeProject(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

export function recordLogs(): { records: LogRecord[]; log: (level: LogLevel, message: string, fields: Record<string, unknown>) => void } {
  const records: LogRecord[] = [];
  return { records, log: (level, message, fields) => records.push({ level, message, fields }) };
}
