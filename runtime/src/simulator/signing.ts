/**
 * Signing credentials for simulated events. When the project sets the Voice API secret
 * (`VOICE_APPLICATION_SECRET` for v1, `VOICE_SERVICE_SECRET` for v2), every event is signed the
 * way the platform signs callbacks, so a runtime with `WEBHOOK_PROTECTION=always` accepts it.
 */
import { mergeEnvironment, readProjectFiles } from '../context/project-files';
import type { VoiceApi } from './types';

export interface SigningCredentials {
  api: VoiceApi;
  /** `VOICE_APPLICATION_KEY` (v1) or `VOICE_SERVICE_ID` (v2); may be empty. */
  id: string;
  /** The base64 secret from the Sinch dashboard. */
  secret: string;
}

const VARIABLES: Record<VoiceApi, { id: string; secret: string }> = {
  v1: { id: 'VOICE_APPLICATION_KEY', secret: 'VOICE_APPLICATION_SECRET' },
  v2: { id: 'VOICE_SERVICE_ID', secret: 'VOICE_SERVICE_SECRET' },
};

/** Reads the credentials from the process environment, `.env` and `sinch.json`; undefined without a secret. */
export function signingCredentialsFor(
  api: VoiceApi,
  projectDir: string | undefined,
  processEnv: Record<string, string | undefined> = process.env,
): SigningCredentials | undefined {
  const env = projectDir === undefined ? processEnv : mergeEnvironment(processEnv, readProjectFiles(projectDir));
  const secret = env[VARIABLES[api].secret];
  if (!secret) return undefined;
  return { api, id: env[VARIABLES[api].id] ?? '', secret };
}
