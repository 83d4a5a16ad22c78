/**
 * Reads the `sinchFunctions.*` settings of a folder into plain data for the modules that must not
 * import `vscode`.
 */
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type AuthBehaviour, type RuntimeSettings } from './runtime/runtime-options';

export const SECTION = 'sinchFunctions';

export function readRuntimeSettings(scope?: vscode.Uri): RuntimeSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    port: config.get<number>('runtime.port', DEFAULT_SETTINGS.port),
    host: config.get<string>('runtime.host', DEFAULT_SETTINGS.host),
    entry: config.get<string>('runtime.entry', DEFAULT_SETTINGS.entry),
    requestTimeoutSeconds: config.get<number>('requestTimeout', DEFAULT_SETTINGS.requestTimeoutSeconds),
    auth: config.get<AuthBehaviour>('auth.credentials', DEFAULT_SETTINGS.auth),
  };
}
