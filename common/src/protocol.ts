/**
 * Custom messages between the extension (client) and the language server, beyond standard LSP.
 * Both sides import these definitions, so a change of shape breaks the build on both sides.
 * The types are plain data so that this module needs neither vscode nor the LSP libraries.
 */
import type { EndpointKind } from './routes';

/** A zero-based LSP position, in UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One export of a function project that the runtime serves as an endpoint. */
export interface EndpointInfo {
  /** The export name, such as `ice`, `status` or `conversationWebhook`. */
  exportName: string;
  kind: EndpointKind;
  /** The path a user sends to reach it, such as `/status` or `/webhook/conversation`. */
  route: string;
  /** The method a request to it usually has. */
  method: 'GET' | 'POST';
  /**
   * The fields a custom handler reads from `request.body`, such as `["message"]` for
   * `request.body.message`; absent when the handler never reads the body.
   */
  bodyFields?: string[];
  /** The file that declares the handler (the entry file, or a file it re-exports from). */
  uri: string;
  /** The range of the export's name in that file. */
  range: Range;
  /** True when the name is listed in `export const auth` (or `auth` is `'*'`). */
  protected: boolean;
}

/**
 * Returns the JSON body a request to a custom endpoint starts with: each field the handler reads,
 * set to the placeholder "example" (not empty, which a handler's presence check would reject).
 */
export function bodySkeletonOf(fields: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((fields ?? []).map((field) => [field, 'example']));
}

/** The endpoints of one function project folder. */
export interface EndpointTable {
  /** The folder that holds the project (`sinch.json` or the entry file). */
  folderUri: string;
  /** The entry file, or null when the folder has none. */
  entryUri: string | null;
  endpoints: EndpointInfo[];
}

/**
 * Request `sinchFunctions/endpoints`, sent by the client to learn the endpoints of a folder,
 * for example to fill the endpoint tree before the runtime starts.
 */
export const EndpointsRequest = {
  method: 'sinchFunctions/endpoints',
} as const;
export interface EndpointsParams {
  folderUri: string;
}
export type EndpointsResult = EndpointTable;

/**
 * Notification `sinchFunctions/endpointsChanged`, sent by the server whenever the endpoint
 * table of a folder changes (an edit, a save, a re-exported file changing).
 */
export const EndpointsChangedNotification = {
  method: 'sinchFunctions/endpointsChanged',
} as const;
export type EndpointsChangedParams = EndpointTable;

/** Command ids of the code lenses; the extension implements them. */
export const Commands = {
  runEndpoint: 'sinchFunctions.runEndpoint',
  debugEndpoint: 'sinchFunctions.debugEndpoint',
  simulateCall: 'sinchFunctions.simulateCall',
} as const;

/** Arguments of the Run and Debug lens commands. */
export interface EndpointCommandArgs {
  /** URI of the document the lens is in. */
  uri: string;
  exportName: string;
}
