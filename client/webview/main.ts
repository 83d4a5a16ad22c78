/**
 * The Request view's page. A user composes a request (method, path and query, headers, a body
 * whose JSON is checked while typing, credentials, sample events) and sends it through the
 * extension host. The response shows status, time, headers and the formatted body, and a SVAML
 * response also as a call flow. The page builds its DOM with `textContent` only, so nothing from
 * a response is parsed as HTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import { checkJsonText } from './json-check';
import type { ComposedRequest, HeaderRow, HostMessage, ResponseView, ViewMessage, ViewState } from './protocol';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

let state: ViewState | undefined;
let request: ComposedRequest = { method: 'GET', path: '/', headers: [], body: '' };
let renderedRequestKey = '';
let shownResponse: ResponseView | undefined;

const app = document.getElementById('app')!;
const contextSection = section('context');
const requestSection = section('request');
const statusLine = section('status-line');
const responseSection = section('response');
app.append(contextSection, requestSection, statusLine, responseSection);

function section(className: string): HTMLElement {
  const element = document.createElement('section');
  element.className = className;
  return element;
}

/**
 * Creates an element. `className`, `on*` listeners and DOM properties are set directly; `data-*`
 * and `aria-*` keys have no matching property, so they become attributes.
 */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, unknown>> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'className') element.className = String(value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value as EventListener);
    else if (key.startsWith('data-') || key.startsWith('aria-')) element.setAttribute(key, String(value));
    else (element as unknown as Record<string, unknown>)[key] = value;
  }
  element.append(...children);
  return element;
}

function post(message: ViewMessage): void {
  vscode.postMessage(message);
}

function edited(): void {
  post({ type: 'edit', request: structuredClone(request) });
  renderedRequestKey = JSON.stringify(request);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  if (event.data?.type !== 'state') return;
  state = event.data.state;
  const incomingKey = JSON.stringify(state.request);
  if (incomingKey !== renderedRequestKey) {
    request = structuredClone(state.request);
    renderedRequestKey = incomingKey;
    renderRequest();
  }
  renderContext();
  renderStatus();
  const previous = shownResponse;
  shownResponse = state.response;
  renderResponse(state.response);
  // A new response is scrolled into view: in a narrow sidebar it sits below the request form.
  if (state.response && state.response !== previous) responseSection.scrollIntoView({ block: 'start', behavior: 'smooth' });
});

function renderContext(): void {
  if (!state) return;
  contextSection.replaceChildren();
  if (state.projects.length > 1) {
    const select = el('vscode-single-select', { className: 'project', title: 'Function project' });
    for (const project of state.projects) {
      select.append(el('vscode-option', { value: project.dir, selected: project.dir === state.project?.dir }, project.name));
    }
    select.addEventListener('change', () => post({ type: 'selectProject', dir: select.value }));
    contextSection.append(select);
  }
  if (state.endpoints.length > 0) {
    const select = el('vscode-single-select', { className: 'endpoint', title: 'Endpoint' });
    select.append(el('vscode-option', { value: '', selected: !state.exportName }, 'Choose an endpoint…'));
    for (const endpoint of state.endpoints) {
      const label = `${endpoint.exportName}  ${endpoint.method} ${endpoint.route}${endpoint.protected ? ' (auth)' : ''}`;
      select.append(el('vscode-option', { value: endpoint.exportName, selected: endpoint.exportName === state.exportName }, label));
    }
    select.addEventListener('change', () => {
      if (select.value) post({ type: 'selectEndpoint', exportName: select.value });
    });
    contextSection.append(select);
  } else {
    contextSection.append(el('p', { className: 'hint' }, 'No endpoints yet: open a function project to compose requests for its handlers.'));
  }
  const runtime = state.runtime;
  const runtimeText = runtime.state === 'stopped' ? 'Runtime stopped: Send starts it.' : `Runtime ${runtime.mode === 'debug' ? 'debugging' : runtime.state}${runtime.url ? ` at ${runtime.url}` : ''}`;
  contextSection.append(el('p', { className: `runtime runtime-${runtime.state}` }, runtimeText));
}

function renderRequest(): void {
  requestSection.replaceChildren();

  const method = el('vscode-single-select', { className: 'method', title: 'Method' });
  const methods = METHODS.includes(request.method.toUpperCase()) ? METHODS : [request.method, ...METHODS];
  for (const name of methods) method.append(el('vscode-option', { value: name, selected: name === request.method.toUpperCase() }, name));
  method.addEventListener('change', () => {
    request.method = method.value;
    edited();
  });

  const path = el('vscode-textfield', { className: 'path', value: request.path, placeholder: '/status?verbose=1', title: 'Path and query' });
  path.addEventListener('input', () => {
    request.path = path.value;
    edited();
  });
  path.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter') send();
  });

  const sendButton = el('vscode-button', { className: 'send', icon: 'send', onclick: send }, 'Send');
  requestSection.append(el('div', { className: 'line' }, method, path, sendButton));

  const tabs = el('vscode-tabs', { className: 'request-tabs' });
  tabs.append(
    el('vscode-tab-header', { slot: 'header' }, `Headers (${request.headers.length})`),
    el('vscode-tab-panel', {}, headersEditor()),
    el('vscode-tab-header', { slot: 'header' }, 'Body'),
    el('vscode-tab-panel', {}, bodyEditor()),
    el('vscode-tab-header', { slot: 'header' }, 'Auth'),
    el('vscode-tab-panel', {}, credentialsEditor()),
  );
  if (state && state.samples.length > 0) {
    tabs.append(el('vscode-tab-header', { slot: 'header' }, 'Samples'), el('vscode-tab-panel', {}, sampleList()));
  }
  if (request.body !== '') tabs.selectedIndex = 1;
  requestSection.append(tabs);

  requestSection.append(
    el(
      'div',
      { className: 'actions' },
      el('vscode-button', { secondary: true, icon: 'save', title: 'Save this request for the endpoint in .sinch/requests.json', onclick: () => post({ type: 'save', request: structuredClone(request) }) }, 'Save for Endpoint'),
      el('vscode-button', { secondary: true, icon: 'copy', onclick: () => post({ type: 'copyCurl', request: structuredClone(request) }) }, 'Copy as curl'),
    ),
  );
}

function headersEditor(): HTMLElement {
  const container = el('div', { className: 'headers' });
  const draw = (): void => {
    container.replaceChildren();
    request.headers.forEach((header: HeaderRow, index: number) => {
      const enabled = el('vscode-checkbox', { checked: header.enabled !== false, title: 'Send this header' });
      enabled.addEventListener('change', () => {
        header.enabled = enabled.checked;
        edited();
      });
      const name = el('vscode-textfield', { value: header.name, placeholder: 'Name' });
      name.addEventListener('input', () => {
        header.name = name.value;
        edited();
      });
      const value = el('vscode-textfield', { value: header.value, placeholder: 'Value' });
      value.addEventListener('input', () => {
        header.value = value.value;
        edited();
      });
      const remove = el('vscode-button', { secondary: true, icon: 'close', title: 'Remove header', onclick: () => {
        request.headers.splice(index, 1);
        edited();
        draw();
      } });
      container.append(el('div', { className: 'header-row' }, enabled, name, value, remove));
    });
    container.append(
      el('vscode-button', { secondary: true, icon: 'add', onclick: () => {
        request.headers.push({ name: '', value: '' });
        edited();
        draw();
      } }, 'Add Header'),
    );
  };
  draw();
  return container;
}

function bodyEditor(): HTMLElement {
  const problem = el('p', { className: 'json-problem' });
  const body = el('vscode-textarea', { className: 'body', value: request.body, rows: 8, placeholder: 'Request body (JSON is checked as you type)', spellcheck: false });
  const check = (): void => {
    const isJson = looksJson(request);
    const result = isJson ? checkJsonText(request.body) : null;
    problem.textContent = result ? result.message : isJson && request.body.trim() !== '' ? 'Valid JSON' : '';
    problem.classList.toggle('invalid', result !== null);
    body.invalid = result !== null;
  };
  body.addEventListener('input', () => {
    request.body = body.value;
    edited();
    check();
  });
  check();
  return el('div', {}, body, problem);
}

function looksJson(spec: ComposedRequest): boolean {
  const contentType = spec.headers.find((header) => header.enabled !== false && header.name.toLowerCase() === 'content-type');
  if (contentType) return /[/+]json\b/i.test(contentType.value);
  const first = spec.body.trimStart().charAt(0);
  return first === '{' || first === '[';
}

function credentialsEditor(): HTMLElement {
  const endpoint = state?.endpoints.find((candidate) => candidate.exportName === state?.exportName);
  const credentials = request.credentials ?? { username: '', password: '' };
  const username = el('vscode-textfield', { value: credentials.username, placeholder: 'User (ADMIN_USER or API key)' });
  const password = el('vscode-textfield', { value: credentials.password, placeholder: 'Password', type: 'password' });
  const update = (): void => {
    request.credentials = username.value === '' && password.value === '' ? null : { username: username.value, password: password.value };
    edited();
  };
  username.addEventListener('input', update);
  password.addEventListener('input', update);
  const hint = endpoint?.protected
    ? 'This endpoint is listed in export const auth. Left empty, the credentials come from the sinchFunctions.auth.credentials setting.'
    : 'HTTP Basic credentials, for endpoints listed in export const auth. They are never saved to history or files.';
  return el('div', { className: 'credentials' }, el('p', { className: 'hint' }, hint), username, password);
}

function sampleList(): HTMLElement {
  const container = el('div', { className: 'samples' });
  const groups = new Map<string, ViewState['samples']>();
  for (const sample of state?.samples ?? []) {
    const list = groups.get(sample.group) ?? [];
    list.push(sample);
    groups.set(sample.group, list);
  }
  for (const [group, samples] of groups) {
    container.append(el('h4', {}, group));
    for (const sample of samples) {
      container.append(el('vscode-button', { secondary: true, className: 'sample', onclick: () => post({ type: 'selectSample', id: sample.id }) }, sample.label));
    }
  }
  return container;
}

function send(): void {
  post({ type: 'send', request: structuredClone(request) });
}

function renderStatus(): void {
  statusLine.replaceChildren();
  if (!state) return;
  if (state.sending) statusLine.append(el('p', { className: 'sending' }, 'Sending…'));
  if (state.error) statusLine.append(el('p', { className: 'error', role: 'alert' }, state.error));
  if (state.notice) statusLine.append(el('p', { className: 'notice' }, state.notice));
}

function renderResponse(response: ResponseView | undefined): void {
  responseSection.replaceChildren();
  if (!response) return;
  const statusClass = `status-${Math.floor(response.status / 100)}xx`;
  const summary = el(
    'div',
    { className: 'summary' },
    el('span', { className: `status ${statusClass}`, 'data-status': String(response.status) }, `${response.status} ${response.statusText}`),
    el('span', { className: 'time' }, `${response.durationMs} ms`),
  );
  if (response.handlerMs !== undefined) summary.append(el('span', { className: 'handler-time', title: 'Handler running time (X-Sinch-Duration-Ms)' }, `handler ${response.handlerMs} ms`));
  if (response.exportName) {
    summary.append(el('a', { className: 'export', href: '#', title: 'Open the handler', onclick: (event: Event) => {
      event.preventDefault();
      post({ type: 'openSource', exportName: response.exportName! });
    } }, response.exportName));
  }
  if (response.requestId) summary.append(el('span', { className: 'request-id', title: 'X-Sinch-Request-Id: find it in the runtime log' }, `req=${response.requestId}`));
  responseSection.append(el('h3', {}, 'Response'), summary);
  if (!response.flow && response.findings && response.findings.length > 0) responseSection.append(findingsList(response));

  const tabs = el('vscode-tabs', { className: 'response-tabs' });
  if (response.flow) tabs.append(el('vscode-tab-header', { slot: 'header' }, 'Call Flow'), el('vscode-tab-panel', {}, callFlow(response)));
  const body = el('pre', { className: `body-view language-${response.language}` });
  body.textContent = response.body + (response.truncated ? '\n… (cut: the body is larger than the view keeps)' : '');
  tabs.append(el('vscode-tab-header', { slot: 'header' }, 'Body'), el('vscode-tab-panel', {}, body));
  const table = el('table', { className: 'headers-view' });
  for (const [name, value] of response.headers) table.append(el('tr', {}, el('th', {}, name), el('td', {}, value)));
  tabs.append(el('vscode-tab-header', { slot: 'header' }, `Headers (${response.headers.length})`), el('vscode-tab-panel', {}, table));
  responseSection.append(tabs);
}

function callFlow(response: ResponseView): HTMLElement {
  const flow = response.flow!;
  const list = el('ol', { className: `flow flow-v${flow.version}` });
  for (const step of flow.steps) {
    const item = el('li', { className: `step step-${step.role}` }, el('span', { className: 'step-name' }, step.name), ' ', el('span', { className: 'step-text' }, step.text));
    if (step.details && step.details.length > 0) {
      item.append(el('ul', {}, ...step.details.map((detail) => el('li', {}, detail))));
    }
    list.append(item);
  }
  const container = el('div', {}, el('p', { className: 'hint' }, flow.version === 1 ? 'SVAML (Voice API v1): instructions run in order, then the action.' : 'Voice API v2 commands, in order.'), list);
  if (response.findings && response.findings.length > 0) container.append(findingsList(response));
  return container;
}

/** Lists the runtime's SVAML findings: problems the platform would reject or ignore. */
function findingsList(response: ResponseView): HTMLElement {
  const findings = response.findings ?? [];
  return el(
    'div',
    { className: 'findings' },
    el('h4', {}, `SVAML findings (${findings.length})`),
    el('ul', {}, ...findings.map((finding) => el('li', { className: `finding finding-${finding.severity}` }, finding.message))),
  );
}

post({ type: 'ready' });
