/**
 * The extension's three LogOutputChannels: its own log, the language server's, and the runtime's.
 * Client code logs only through these, never through `console`, so every line lands where a
 * user looks for it and respects the channel's log level.
 */
import * as vscode from 'vscode';

export const CHANNEL_NAMES = {
  extension: 'Sinch Functions',
  server: 'Sinch Functions Language Server',
  runtime: 'Sinch Functions Runtime',
} as const;

export interface Channels {
  extension: vscode.LogOutputChannel;
  server: vscode.LogOutputChannel;
  runtime: vscode.LogOutputChannel;
}

let channels: Channels | undefined;

export function createChannels(context: vscode.ExtensionContext): Channels {
  channels = {
    extension: vscode.window.createOutputChannel(CHANNEL_NAMES.extension, { log: true }),
    server: vscode.window.createOutputChannel(CHANNEL_NAMES.server, { log: true }),
    runtime: vscode.window.createOutputChannel(CHANNEL_NAMES.runtime, { log: true }),
  };
  context.subscriptions.push(channels.extension, channels.server, channels.runtime);
  return channels;
}

/** The extension's own log; available once activation created the channels. */
export function log(): vscode.LogOutputChannel {
  if (!channels) throw new Error('The Sinch Functions log channels are used before activation created them.');
  return channels.extension;
}

export function runtimeLog(): vscode.LogOutputChannel {
  if (!channels) throw new Error('The Sinch Functions log channels are used before activation created them.');
  return channels.runtime;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
