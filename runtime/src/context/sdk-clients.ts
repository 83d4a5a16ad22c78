/**
 * The SDK clients on the context (`voice`, `sms`, `conversation`, `numbers`). They are built from
 * the project's own `@sinch/sdk-core` when it is installed and the credentials are set. Otherwise
 * `sms`, `conversation` and `numbers` are undefined and `voice` is an object whose every call
 * rejects with an error that names what is missing. Nothing here pretends to send a request.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface SdkClients {
  voice: unknown;
  sms?: unknown;
  conversation?: unknown;
  numbers?: unknown;
}

type Env = Record<string, string | undefined>;

function isSet(env: Env, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.length > 0;
}

/** Loads `@sinch/sdk-core` from the project folder, or returns undefined when it is not installed. */
export function loadSdkCore(projectDir: string): Record<string, unknown> | undefined {
  const projectRequire = createRequire(path.join(projectDir, 'package.json'));
  let resolved: string;
  try {
    resolved = projectRequire.resolve('@sinch/sdk-core');
  } catch {
    return undefined;
  }
  return projectRequire(resolved) as Record<string, unknown>;
}

/**
 * Returns an object that stands for a client that cannot work. Any method call, at any depth
 * (`voice.callouts.custom(...)`), returns a rejected promise with `message`.
 */
export function unavailableClient(message: string): unknown {
  const fail = (): Promise<never> => Promise.reject(new Error(message));
  const handler: ProxyHandler<() => Promise<never>> = {
    get(_target, property) {
      // Not thenable, so `await context.voice` does not call into the proxy.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      return new Proxy(fail, handler);
    },
    apply() {
      return fail();
    },
  };
  return new Proxy(fail, handler);
}

function voiceMissingMessage(hasSdk: boolean, env: Env): string {
  const missing: string[] = [];
  if (!hasSdk) missing.push('install @sinch/sdk-core in the project (npm install @sinch/functions-runtime brings it)');
  for (const name of ['VOICE_APPLICATION_KEY', 'VOICE_APPLICATION_SECRET']) {
    if (!isSet(env, name)) missing.push(`set ${name} in .env`);
  }
  return `context.voice has no credentials, so no call was made: ${missing.join(', ')}.`;
}

/** Builds the clients for one environment; the caller keeps the result until the config changes. */
export function createSdkClients(projectDir: string, env: Env): SdkClients {
  const sdk = loadSdkCore(projectDir);
  const SinchClient = sdk?.SinchClient as (new (parameters: Record<string, unknown>) => Record<string, unknown>) | undefined;
  const hasVoice = isSet(env, 'VOICE_APPLICATION_KEY') && isSet(env, 'VOICE_APPLICATION_SECRET');
  const hasProject = ['PROJECT_ID', 'PROJECT_ID_API_KEY', 'PROJECT_ID_API_SECRET'].every((name) => isSet(env, name));
  if (SinchClient === undefined) {
    return { voice: unavailableClient(voiceMissingMessage(false, env)) };
  }

  const parameters: Record<string, unknown> = {};
  if (hasProject) {
    parameters.projectId = env.PROJECT_ID;
    parameters.keyId = env.PROJECT_ID_API_KEY;
    parameters.keySecret = env.PROJECT_ID_API_SECRET;
  }
  if (hasVoice) {
    parameters.applicationKey = env.VOICE_APPLICATION_KEY;
    parameters.applicationSecret = env.VOICE_APPLICATION_SECRET;
  }
  if (isSet(env, 'SMS_SERVICE_PLAN_ID')) parameters.servicePlanId = env.SMS_SERVICE_PLAN_ID;
  const client = new SinchClient(parameters);

  return {
    voice: hasVoice ? client.voice : unavailableClient(voiceMissingMessage(true, env)),
    sms: hasProject && isSet(env, 'SMS_SERVICE_PLAN_ID') ? client.sms : undefined,
    conversation: hasProject && isSet(env, 'CONVERSATION_APP_ID') ? client.conversation : undefined,
    numbers: hasProject && env.ENABLE_NUMBERS_API === 'true' ? client.numbers : undefined,
  };
}
