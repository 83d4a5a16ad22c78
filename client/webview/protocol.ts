/**
 * Messages between the Request view's webview and the extension host. The webview never makes
 * HTTP requests itself: the host sends them, because the webview may run in a browser that
 * cannot reach the runtime's address.
 */

export interface HeaderRow {
  name: string;
  value: string;
  enabled?: boolean;
}

export interface ComposedRequest {
  method: string;
  path: string;
  headers: HeaderRow[];
  body: string;
  credentials?: { username: string; password: string } | null;
}

export interface EndpointChoice {
  exportName: string;
  route: string;
  method: string;
  kind: string;
  protected: boolean;
}

export interface SampleChoice {
  id: string;
  label: string;
  group: string;
}

export interface FlowStepView {
  role: 'instruction' | 'action' | 'command';
  name: string;
  text: string;
  details?: string[];
}

export interface FindingView {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface ResponseView {
  status: number;
  statusText: string;
  durationMs: number;
  handlerMs?: number;
  requestId?: string;
  exportName?: string;
  headers: Array<[string, string]>;
  /** Pretty-printed when the body is JSON. */
  body: string;
  language: 'json' | 'html' | 'text';
  truncated: boolean;
  flow?: { version: 1 | 2; steps: FlowStepView[] };
  findings?: FindingView[];
}

export interface ViewState {
  project?: { dir: string; name: string };
  projects: Array<{ dir: string; name: string }>;
  exportName?: string;
  endpoints: EndpointChoice[];
  samples: SampleChoice[];
  request: ComposedRequest;
  runtime: { state: string; url?: string; mode?: string };
  sending: boolean;
  response?: ResponseView;
  error?: string;
  /** Set after "Copy as curl" so the view can confirm it. */
  notice?: string;
}

export type HostMessage = { type: 'state'; state: ViewState };

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'edit'; request: ComposedRequest }
  | { type: 'send'; request: ComposedRequest }
  | { type: 'copyCurl'; request: ComposedRequest }
  | { type: 'save'; request: ComposedRequest }
  | { type: 'selectEndpoint'; exportName: string }
  | { type: 'selectSample'; id: string }
  | { type: 'selectProject'; dir: string }
  | { type: 'openSource'; exportName: string };
