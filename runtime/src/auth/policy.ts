/**
 * Which requests the auth gate protects.
 *
 * - `export const auth = '*'` protects every handler and every static file; a list protects the
 *   handlers it names and the static files it names as `public/<path>`.
 * - Never protected: `/health` (built-in or exported), the v1 voice callbacks (`ice`, `ace`,
 *   `pie`, `dice`, `notify`), the `login`/`logout` pages and unknown paths (which get a 404).
 * - `voiceWebhook` is protected only when the list names it. `'*'` does not cover it, because the
 *   platform posts `call.*` events without Basic credentials and protects them with signatures.
 * - Any other `auth` value is a mistake; the gate then protects every handler and logs why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VOICE_WEBHOOK_NAME, type RouteDecision } from '../../../common/src/routes';

export type AuthSetting =
  | { mode: 'none' }
  | { mode: 'all' }
  | { mode: 'list'; names: Set<string> }
  | { mode: 'invalid'; problem: string };

export function parseAuthExport(value: unknown): AuthSetting {
  if (value === undefined || value === null) return { mode: 'none' };
  if (value === '*') return { mode: 'all' };
  if (Array.isArray(value) && value.every((name) => typeof name === 'string')) {
    return value.includes('*') ? { mode: 'all' } : { mode: 'list', names: new Set(value as string[]) };
  }
  const written = JSON.stringify(value) ?? String(value);
  return {
    mode: 'invalid',
    problem: `export const auth must be '*' or an array of handler names such as ['admin']; got ${written}. Every endpoint is protected until it is fixed.`,
  };
}

/** Returns the name a 401 message uses for the target, or undefined when it is not protected. */
export function protectedTarget(decision: RouteDecision, setting: AuthSetting, projectDir: string): string | undefined {
  if (setting.mode === 'none') return undefined;
  if (decision.type === 'builtin' || decision.type === 'not-found') return undefined;

  if (decision.type === 'static') {
    const key = `public/${relativeToPublic(projectDir, decision.filePath)}`;
    if (setting.mode === 'all' || setting.mode === 'invalid') return key;
    return setting.names.has(key) ? key : undefined;
  }

  const name = decision.exportName;
  if (decision.kind === 'health' || decision.kind === 'voice-callback' || decision.kind === 'auth-page') return undefined;
  if (name === VOICE_WEBHOOK_NAME) {
    return setting.mode === 'list' && setting.names.has(name) ? name : undefined;
  }
  if (setting.mode === 'list') return setting.names.has(name) ? name : undefined;
  return name;
}

/** Returns the static file's path under `public/` with `/` separators, also when links were resolved. */
function relativeToPublic(projectDir: string, filePath: string): string {
  const folder = path.join(projectDir, 'public');
  let relative = path.relative(folder, filePath);
  if (relative.startsWith('..')) {
    try {
      relative = path.relative(fs.realpathSync(folder), filePath);
    } catch {
      // The folder vanished; keep the lexical path, which then matches no list entry.
    }
  }
  return relative.split(path.sep).join('/');
}
