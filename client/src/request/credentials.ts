/**
 * Credentials for endpoints listed in `export const auth`, read from the project's `.env` the way
 * the runtime reads them: `ADMIN_USER`/`ADMIN_PASSWORD` first, then
 * `PROJECT_ID_API_KEY`/`PROJECT_ID_API_SECRET`. Values are never logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BasicCredentials } from './request-spec';

/** Parses `.env` text: `KEY=value` lines, `#` comments, optional quotes and `export `. */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2].trim();
    const quote = value.charAt(0);
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values.set(match[1], value);
  }
  return values;
}

export function credentialsFromEnv(values: Map<string, string>): BasicCredentials | undefined {
  const pairs: Array<[string, string]> = [
    ['ADMIN_USER', 'ADMIN_PASSWORD'],
    ['PROJECT_ID_API_KEY', 'PROJECT_ID_API_SECRET'],
  ];
  for (const [user, password] of pairs) {
    const username = values.get(user);
    const secret = values.get(password);
    if (username && secret) return { username, password: secret };
  }
  return undefined;
}

/** Reads credentials from `<projectDir>/.env`; undefined when the file or the pair is missing. */
export async function readProjectCredentials(projectDir: string): Promise<BasicCredentials | undefined> {
  try {
    const text = await fs.promises.readFile(path.join(projectDir, '.env'), 'utf8');
    return credentialsFromEnv(parseDotenv(text));
  } catch {
    return undefined;
  }
}
