/**
 * Sends requests to a project's runtime on behalf of the Request view and the Run/Debug commands,
 * and keeps the view's state: the composed request, the response, the call flow of a SVAML response
 * and the history entry. Starting the runtime is the runtime manager's job; this class only asks
 * for a started one.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EndpointInfo } from '../../../common/src/protocol';
import { classifyExport, defaultMethodOf, routePathOf } from '../../../common/src/routes';
import type { ComposedRequest, FindingView, HostMessage, ResponseView, ViewMessage, ViewState } from '../../webview/protocol';
import { errorMessage } from '../log/channels';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import type { RuntimeManager } from '../runtime/runtime-manager';
import { readRuntimeSettings } from '../settings';
import { readProjectCredentials } from './credentials';
import { toCurl } from './curl';
import { defaultRequestFor, requestFromSample, type SampleCatalog } from './default-request';
import type { HistoryStore } from './history-store';
import { RequestFailedError, sendRequest, type ResponseRecord } from './http-client';
import { buildRequest, formatJson, type BasicCredentials, type RequestSpec } from './request-spec';
import { loadSavedRequests, saveRequest } from './saved-requests';
import { describeSvaml } from './svaml-flow';
import { SVAML_FINDINGS_HEADER } from '../../../runtime/src/voice/index';

export type SendMode = 'run' | 'debug';

export interface SendOutcome {
  response?: ResponseRecord;
  error?: string;
}

/** While the debugger may hold a handler at a breakpoint, wait this long for the response. */
const DEBUG_WAIT_MS = 10 * 60 * 1000;
/** Extra time over the runtime's own handler timeout, so its 504 arrives before ours fires. */
const TIMEOUT_MARGIN_MS = 5000;

export class RequestController implements vscode.Disposable {
  private state: ViewState = {
    projects: [],
    endpoints: [],
    samples: [],
    request: { method: 'GET', path: '/', headers: [], body: '' },
    runtime: { state: 'stopped' },
    sending: false,
  };
  private webview: vscode.Webview | undefined;
  private lastResponse: ResponseRecord | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly runtimes: RuntimeManager,
    private readonly registry: EndpointRegistry,
    private readonly history: HistoryStore,
    private readonly samples: SampleCatalog,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      runtimes.onDidChange(() => this.refreshContext()),
      registry.onDidChange(() => this.refreshContext()),
    );
  }

  /** The response most recently shown; the extension's API hands it to tests. */
  get latestResponse(): ResponseRecord | undefined {
    return this.lastResponse;
  }

  get viewState(): ViewState {
    return this.state;
  }

  attachWebview(webview: vscode.Webview): vscode.Disposable {
    this.webview = webview;
    const subscription = webview.onDidReceiveMessage((message: ViewMessage) => void this.onMessage(message));
    return new vscode.Disposable(() => {
      subscription.dispose();
      if (this.webview === webview) this.webview = undefined;
    });
  }

  /** Loads an endpoint's request (saved, or the default) into the view without sending it. */
  async selectEndpoint(projectDir: string, exportName: string): Promise<RequestSpec> {
    const endpoint = this.endpointOf(projectDir, exportName);
    const spec = await this.requestFor(projectDir, exportName, endpoint);
    this.update({ project: projectOf(projectDir), exportName, request: spec, response: undefined, error: undefined });
    return spec;
  }

  /** Runs or debugs an endpoint: loads its request, starts the runtime as needed, sends. */
  async runEndpoint(projectDir: string, exportName: string, mode: SendMode): Promise<SendOutcome> {
    const spec = await this.selectEndpoint(projectDir, exportName);
    return this.send(projectDir, exportName, spec, mode);
  }

  /** Sends a request to a project's runtime (starting it when needed) and shows the result. */
  async send(projectDir: string, exportName: string | undefined, spec: RequestSpec, mode: SendMode = 'run'): Promise<SendOutcome> {
    this.update({ project: projectOf(projectDir), exportName, request: spec, sending: true, error: undefined, notice: undefined });
    // The busy-port notification waits for the user's choice, and it hides itself in the
    // notification center, so the view shows the problem at once instead of "Sending…".
    let portBusy = false;
    const busyPort = this.runtimes.onDidFindBusyPort((event) => {
      if (path.resolve(event.projectDir) !== path.resolve(projectDir)) return;
      portBusy = true;
      this.update({
        sending: false,
        error: `Port ${event.port} on ${event.host} is in use by another program. Choose "Use Port ${event.freePort}" in the notification to send there, or change sinchFunctions.runtime.port.`,
      });
    });
    try {
      let started;
      try {
        started = mode === 'debug' ? await this.runtimes.ensureDebugging(projectDir) : await this.runtimes.ensureRunning(projectDir);
      } finally {
        busyPort.dispose();
      }
      if (portBusy) this.update({ sending: true, error: undefined });
      const baseUrl = started.status.url;
      const credentials = await this.credentialsFor(projectDir, exportName, spec);
      const built = buildRequest({ ...spec, credentials: credentials ?? spec.credentials }, baseUrl);
      if (!built.ok) return this.fail(built.error, projectDir, exportName, spec, baseUrl);

      const settings = readRuntimeSettings(vscode.Uri.file(projectDir));
      const timeoutMs = started.instance.mode === 'debug' ? DEBUG_WAIT_MS : settings.requestTimeoutSeconds * 1000 + TIMEOUT_MARGIN_MS;
      const response = await sendRequest(built.request, { timeoutMs });
      this.lastResponse = response;
      this.log.info(`${built.request.method} ${built.request.url} → ${response.status} in ${response.durationMs} ms`);
      await this.history.add({ time: Date.now(), projectDir, exportName, baseUrl, request: spec, response });
      this.update({ sending: false, response: toResponseView(response), error: undefined });
      return { response };
    } catch (error) {
      const message = errorMessage(error);
      if (!(error instanceof RequestFailedError)) this.log.error(`Request failed: ${message}`);
      return this.fail(message, projectDir, exportName, spec, this.runtimes.get(projectDir)?.baseUrl);
    }
  }

  /** Shows a history entry (request and stored response) in the view. */
  showHistoryEntry(id: string): void {
    const entry = this.history.get(id);
    if (!entry) return;
    this.update({
      project: projectOf(entry.projectDir),
      exportName: entry.exportName,
      request: entry.request,
      response: entry.response ? toResponseView(entry.response) : undefined,
      error: entry.error,
      sending: false,
    });
  }

  async replayHistoryEntry(id: string): Promise<SendOutcome> {
    const entry = this.history.get(id);
    if (!entry) return { error: 'The history entry no longer exists.' };
    return this.send(entry.projectDir, entry.exportName, entry.request);
  }

  curlFor(projectDir: string, spec: RequestSpec): string | { error: string } {
    const settings = readRuntimeSettings(vscode.Uri.file(projectDir));
    const baseUrl = this.runtimes.get(projectDir)?.baseUrl ?? `http://${settings.host}:${settings.port}`;
    const built = buildRequest(spec, baseUrl);
    return built.ok ? toCurl(built.request) : { error: built.error };
  }

  private async onMessage(message: ViewMessage): Promise<void> {
    const projectDir = this.state.project?.dir;
    switch (message.type) {
      case 'ready':
        this.refreshContext();
        return;
      case 'edit':
        this.state = { ...this.state, request: message.request };
        return;
      case 'selectProject':
        this.update({ project: projectOf(message.dir), exportName: undefined, response: undefined, error: undefined });
        return;
      case 'openSource':
        if (projectDir) await this.openSource(projectDir, message.exportName);
        return;
    }
    if (!projectDir) {
      this.update({ error: 'Open a folder with a function.ts, function.js or sinch.json first.' });
      return;
    }
    switch (message.type) {
      case 'send':
        await this.send(projectDir, this.state.exportName, message.request);
        return;
      case 'copyCurl': {
        const curl = this.curlFor(projectDir, message.request);
        if (typeof curl === 'string') {
          await vscode.env.clipboard.writeText(curl);
          this.update({ notice: 'Copied the curl command.', error: undefined, request: message.request });
        } else {
          this.update({ error: curl.error });
        }
        return;
      }
      case 'save': {
        const exportName = this.state.exportName;
        if (!exportName) {
          this.update({ error: 'Pick an endpoint first: saved requests are kept per endpoint.' });
          return;
        }
        try {
          const file = await saveRequest(projectDir, exportName, message.request);
          this.update({ notice: `Saved in ${path.relative(projectDir, file)}.`, request: message.request, error: undefined });
        } catch (error) {
          this.update({ error: `Could not save the request: ${errorMessage(error)}` });
        }
        return;
      }
      case 'selectEndpoint':
        await this.selectEndpoint(projectDir, message.exportName);
        return;
      case 'selectSample': {
        const sample = this.samples.list().find((candidate) => candidate.id === message.id);
        if (sample) this.update({ request: requestFromSample(sample), exportName: sample.exportName, response: undefined });
        return;
      }
    }
  }

  private async openSource(projectDir: string, exportName: string): Promise<void> {
    const endpoint = this.endpointOf(projectDir, exportName);
    if (!endpoint) return;
    const uri = vscode.Uri.parse(endpoint.uri);
    const range = new vscode.Range(endpoint.range.start.line, endpoint.range.start.character, endpoint.range.end.line, endpoint.range.end.character);
    await vscode.window.showTextDocument(uri, { selection: range });
  }

  private async requestFor(projectDir: string, exportName: string, endpoint: EndpointInfo | undefined): Promise<RequestSpec> {
    try {
      const saved = (await loadSavedRequests(projectDir)).get(exportName);
      if (saved) return saved;
    } catch (error) {
      this.log.warn(errorMessage(error));
    }
    // Before the language server reported the table, the platform's naming rules give the route.
    const target = endpoint ?? {
      exportName,
      kind: classifyExport(exportName) ?? 'custom',
      route: routePathOf(exportName),
      method: defaultMethodOf(exportName),
    };
    return defaultRequestFor(target, this.samples);
  }

  /**
   * Credentials for a protected endpoint per `sinchFunctions.auth.credentials`: from the
   * project's `.env`, asked once per project and kept in the secret storage, or none.
   */
  private async credentialsFor(projectDir: string, exportName: string | undefined, spec: RequestSpec): Promise<BasicCredentials | undefined> {
    if (spec.credentials && (spec.credentials.username || spec.credentials.password)) return spec.credentials;
    const endpoint = exportName ? this.endpointOf(projectDir, exportName) : undefined;
    if (!endpoint?.protected) return undefined;
    const behaviour = readRuntimeSettings(vscode.Uri.file(projectDir)).auth;
    if (behaviour === 'none') return undefined;
    if (behaviour === 'fromEnv') {
      const found = await readProjectCredentials(projectDir);
      if (!found) this.log.info(`${exportName} is protected and ${projectDir}/.env has no ADMIN_USER/ADMIN_PASSWORD pair: sending without credentials.`);
      return found;
    }
    const key = `sinchFunctions.credentials:${projectDir}`;
    const stored = await this.secrets.get(key);
    if (stored) return JSON.parse(stored) as BasicCredentials;
    const username = await vscode.window.showInputBox({ title: `Credentials for ${exportName}`, prompt: 'User name (ADMIN_USER or the project API key)', ignoreFocusOut: true });
    if (username === undefined) return undefined;
    const password = await vscode.window.showInputBox({ title: `Credentials for ${exportName}`, prompt: 'Password', password: true, ignoreFocusOut: true });
    if (password === undefined) return undefined;
    await this.secrets.store(key, JSON.stringify({ username, password }));
    return { username, password };
  }

  private endpointOf(projectDir: string, exportName: string): EndpointInfo | undefined {
    const table = this.registry.table(vscode.Uri.file(projectDir).toString());
    return table?.endpoints.find((endpoint) => endpoint.exportName === exportName);
  }

  private async fail(message: string, projectDir: string, exportName: string | undefined, spec: RequestSpec, baseUrl?: string): Promise<SendOutcome> {
    this.update({ sending: false, error: message, response: undefined });
    if (baseUrl) await this.history.add({ time: Date.now(), projectDir, exportName, baseUrl, request: spec, error: message });
    return { error: message };
  }

  private refreshContext(): void {
    const projects = this.registry.list().map((table) => projectOf(vscode.Uri.parse(table.folderUri).fsPath));
    let project = this.state.project;
    if (!project && projects.length > 0) project = projects[0];
    this.update({
      projects,
      project,
      ...this.projectContext(project),
      samples: this.samples.list().map((sample) => ({ id: sample.id, label: sample.label, group: sample.group })),
    });
  }

  /** The endpoint list and runtime state the view shows for a project. */
  private projectContext(project: { dir: string } | undefined): Pick<ViewState, 'endpoints' | 'runtime'> {
    const table = project ? this.registry.table(vscode.Uri.file(project.dir).toString()) : undefined;
    const instance = project ? this.runtimes.get(project.dir) : undefined;
    return {
      endpoints: (table?.endpoints ?? []).map((endpoint) => ({
        exportName: endpoint.exportName,
        route: endpoint.route,
        method: endpoint.method,
        kind: endpoint.kind,
        protected: endpoint.protected,
      })),
      runtime: { state: instance?.state ?? 'stopped', url: instance?.baseUrl, mode: instance?.mode },
    };
  }

  private update(change: Partial<ViewState>): void {
    // Switching projects (a history entry, a lens in another folder) also switches the endpoint
    // list and the runtime address, which otherwise stay those of the previous project.
    const projectChanged = change.project !== undefined && change.project.dir !== this.state.project?.dir;
    this.state = { ...this.state, ...(projectChanged ? this.projectContext(change.project) : {}), ...change };
    if (this.webview) {
      const message: HostMessage = { type: 'state', state: this.state };
      void this.webview.postMessage(message);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function projectOf(dir: string): { dir: string; name: string } {
  return { dir, name: path.basename(dir) };
}

export function toResponseView(response: ResponseRecord): ResponseView {
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const isJson = /json/i.test(contentType);
  const flow = isJson ? describeSvaml(response.body) : undefined;
  return {
    status: response.status,
    statusText: response.statusText,
    durationMs: response.durationMs,
    handlerMs: response.handlerMs,
    requestId: response.requestId,
    exportName: response.exportName,
    headers: response.headers,
    body: isJson ? formatJson(response.body) : response.body,
    language: isJson ? 'json' : /html/i.test(contentType) ? 'html' : 'text',
    truncated: response.truncated,
    flow,
    findings: findingsFrom(response),
  };
}

/**
 * Reads the runtime's SVAML findings from the `X-Sinch-Svaml-Findings` header: a JSON array of
 * `{ path, message }`, one entry per problem in what `ice`, `ace` or `pie` returned.
 */
function findingsFrom(response: ResponseRecord): FindingView[] | undefined {
  const header = response.headers.find(([name]) => name.toLowerCase() === SVAML_FINDINGS_HEADER.toLowerCase())?.[1];
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(header) as unknown;
    if (!Array.isArray(parsed)) return [{ severity: 'warning', message: header }];
    return parsed
      .filter((item): item is { path?: string; message: string } => typeof item?.message === 'string')
      .map((item) => ({ severity: 'warning' as const, message: item.path ? `${item.path}: ${item.message}` : item.message }));
  } catch {
    return [{ severity: 'warning', message: header }];
  }
}

export type { ComposedRequest };
