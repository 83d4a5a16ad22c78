/**
 * Saved requests per endpoint, in `.sinch/requests.json` inside the function project, so a team
 * can commit them. Credentials are never written to the file. A JSON body is stored as a JSON
 * value, so the file diffs and reads well; any other body is stored as a string.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HeaderEntry, RequestSpec } from './request-spec';

export const SAVED_REQUESTS_FILE = path.join('.sinch', 'requests.json');

interface StoredRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface StoredFile {
  requests: Record<string, StoredRequest>;
}

export class SavedRequestsError extends Error {}

export function savedRequestsPath(projectDir: string): string {
  return path.join(projectDir, SAVED_REQUESTS_FILE);
}

/** Parses the file text; throws `SavedRequestsError` naming the file and the bad entry. */
export function parseSavedRequests(text: string, fileName: string): Map<string, RequestSpec> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SavedRequestsError(`${fileName} is not valid JSON (${(error as Error).message}): fix or delete it.`);
  }
  const requests = (data as Partial<StoredFile> | null)?.requests;
  if (requests === null || typeof requests !== 'object' || Array.isArray(requests)) {
    throw new SavedRequestsError(`${fileName} has no "requests" object: expected { "requests": { "<export>": {...} } }.`);
  }
  const result = new Map<string, RequestSpec>();
  for (const [exportName, stored] of Object.entries(requests)) {
    if (stored === null || typeof stored !== 'object' || typeof stored.method !== 'string' || typeof stored.path !== 'string') {
      throw new SavedRequestsError(`${fileName}: the request for "${exportName}" needs string "method" and "path".`);
    }
    const headers: HeaderEntry[] = Object.entries(stored.headers ?? {}).map(([name, value]) => ({
      name,
      value: String(value),
    }));
    const body =
      stored.body === undefined || stored.body === null
        ? ''
        : typeof stored.body === 'string'
          ? stored.body
          : JSON.stringify(stored.body, null, 2);
    result.set(exportName, { method: stored.method, path: stored.path, headers, body });
  }
  return result;
}

export function serializeSavedRequests(requests: Map<string, RequestSpec>): string {
  const file: StoredFile = { requests: {} };
  for (const exportName of [...requests.keys()].sort()) {
    const spec = requests.get(exportName)!;
    const stored: StoredRequest = { method: spec.method.toUpperCase(), path: spec.path };
    const headers = spec.headers.filter((header) => header.enabled !== false && header.name.trim() !== '');
    if (headers.length > 0) stored.headers = Object.fromEntries(headers.map((header) => [header.name.trim(), header.value]));
    if (spec.body !== '') stored.body = parseJsonOrKeep(spec.body);
    file.requests[exportName] = stored;
  }
  return `${JSON.stringify(file, null, 2)}\n`;
}

function parseJsonOrKeep(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Reads the project's saved requests; a missing file is an empty map. */
export async function loadSavedRequests(projectDir: string): Promise<Map<string, RequestSpec>> {
  const file = savedRequestsPath(projectDir);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return parseSavedRequests(text, file);
}

/** Saves one endpoint's request, keeping the others; returns the file path. */
export async function saveRequest(projectDir: string, exportName: string, spec: RequestSpec): Promise<string> {
  const requests = await loadSavedRequests(projectDir);
  requests.set(exportName, { ...spec, credentials: null });
  const file = savedRequestsPath(projectDir);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, serializeSavedRequests(requests), 'utf8');
  await fs.promises.rename(temporary, file);
  return file;
}
