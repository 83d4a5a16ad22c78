/**
 * The page of the Simulated Call panel: the call's timeline, and below it the controls for the
 * prompt the call waits on (a keypad for menus, outcome buttons for a dialled leg, hang up). The
 * script runs under a content security policy that allows only this page's nonce. It is small
 * plain JavaScript in a string, because the client project has no DOM types to check it with.
 */

export function callPanelHtml(nonce: string, cspSource: string, title: string): string {
  const csp = [`default-src 'none'`, `style-src ${cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 12px 12px; }
  h1 { font-size: 1.1em; margin: 12px 0 4px; }
  #identity { color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
  #timeline { list-style: none; padding: 0; margin: 0 0 12px; }
  #timeline li { padding: 3px 0; border-bottom: 1px solid var(--vscode-panel-border); white-space: pre-wrap; }
  #timeline li.stop { color: var(--vscode-errorForeground); }
  #timeline li.hear { color: var(--vscode-textLink-foreground); }
  #timeline li.finding, .finding { color: var(--vscode-editorWarning-foreground); }
  details pre { background: var(--vscode-textCodeBlock-background); padding: 6px; overflow-x: auto; margin: 4px 0; }
  #prompt { border-top: 2px solid var(--vscode-focusBorder); padding-top: 8px; }
  #prompt[hidden] { display: none; }
  .keypad { display: grid; grid-template-columns: repeat(3, 44px); gap: 4px; margin: 6px 0; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 5px 10px; cursor: pointer; margin: 2px 4px 2px 0; }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  input { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 4px; width: 10em; }
  #outcome { font-weight: bold; margin: 8px 0; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="identity"></div>
<button id="hangup" class="secondary" hidden>Hang up now</button>
<ol id="timeline" aria-live="polite"></ol>
<div id="prompt" hidden></div>
<div id="outcome"></div>
<div id="after" hidden>
  <button id="save">Save call as test…</button>
  <button id="again" class="secondary">Call again</button>
</div>
<script nonce="${nonce}">
${PANEL_SCRIPT}
</script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Runs in the webview; talks to the extension with `postMessage` only. */
const PANEL_SCRIPT = String.raw`
const vscode = acquireVsCodeApi();
const timeline = document.getElementById('timeline');
const promptBox = document.getElementById('prompt');
const outcome = document.getElementById('outcome');
const after = document.getElementById('after');
const hangup = document.getElementById('hangup');
hangup.addEventListener('click', () => vscode.postMessage({ type: 'hangup' }));

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(label, onClick, secondary) {
  const node = element('button', label, secondary ? 'secondary' : '');
  node.addEventListener('click', onClick);
  return node;
}

function answer(choice) {
  promptBox.hidden = true;
  promptBox.textContent = '';
  vscode.postMessage({ type: 'answer', choice });
}

function addEntry(entry, lines) {
  const item = element('li', undefined, entry.kind);
  item.appendChild(document.createTextNode(lines[0]));
  if (entry.kind === 'request') {
    for (const finding of entry.findings) item.appendChild(element('div', '⚠ ' + finding.path + ': ' + finding.message, 'finding'));
    const details = element('details');
    details.appendChild(element('summary', 'Request and response'));
    details.appendChild(element('pre', 'POST ' + entry.path + '\n' + JSON.stringify(entry.request, null, 2)));
    details.appendChild(element('pre', 'HTTP ' + entry.status + '\n' + (entry.response === undefined ? '(no body)' : JSON.stringify(entry.response, null, 2))));
    item.appendChild(details);
  } else {
    for (const line of lines.slice(1)) item.appendChild(element('div', line));
  }
  timeline.appendChild(item);
  item.scrollIntoView({ block: 'nearest' });
}

function showPrompt(prompt) {
  promptBox.textContent = '';
  promptBox.hidden = false;
  if (prompt.kind === 'menu') {
    // The menu's options are in the timeline entry just above, so the prompt does not repeat them.
    promptBox.appendChild(element('div', 'Menu "' + prompt.menuId + '": press keys (play ' + prompt.attempt + ' of ' + prompt.maxAttempts + ', up to ' + prompt.maxDigits + ' key(s), times out after ' + prompt.timeoutMs + ' ms)'));
    const keys = element('input');
    keys.id = 'keys';
    keys.placeholder = 'keys';
    keys.setAttribute('aria-label', 'Keys to press');
    const pad = element('div', undefined, 'keypad');
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']) {
      pad.appendChild(button(key, () => { keys.value += key; }, true));
    }
    promptBox.appendChild(pad);
    promptBox.appendChild(keys);
    const send = () => answer({ kind: 'keys', keys: keys.value });
    keys.addEventListener('keydown', (event) => { if (event.key === 'Enter') send(); });
    promptBox.appendChild(element('br'));
    promptBox.appendChild(button('Send keys', send));
    promptBox.appendChild(button('Let it time out', () => answer({ kind: 'timeout' }), true));
    promptBox.appendChild(button('Hang up', () => answer({ kind: 'hangup' }), true));
    keys.focus();
    return;
  }
  const labels = { answered: 'Answered', busy: 'Busy', noanswer: 'No answer', failed: 'Failed', hangup: 'Caller hangs up', calleeHangup: 'Far end hangs up' };
  let heading = 'Connected: ' + prompt.destination;
  if (prompt.kind === 'idle') heading = prompt.reason;
  if (prompt.kind === 'connect') heading = prompt.action + ' to ' + prompt.destination + ': what happens there?';
  promptBox.appendChild(element('div', heading));
  for (const kind of prompt.choices) promptBox.appendChild(button(labels[kind] || kind, () => answer({ kind }), kind === 'hangup'));
}

window.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'start') {
    timeline.textContent = '';
    outcome.textContent = '';
    after.hidden = true;
    hangup.hidden = false;
    document.getElementById('identity').textContent = 'Voice API ' + message.api + ' · call ' + message.call.callId + ' · from ' + message.call.from + ' to ' + message.call.to;
  } else if (message.type === 'entry') {
    addEntry(message.entry, message.lines);
  } else if (message.type === 'prompt') {
    showPrompt(message.prompt);
  } else if (message.type === 'ended') {
    promptBox.hidden = true;
    hangup.hidden = true;
    outcome.textContent = (message.outcome.status === 'completed' ? 'Call ended: ' : 'Call stopped: ') + message.outcome.reason;
    after.hidden = false;
  } else if (message.type === 'saved') {
    outcome.textContent += ' · saved to ' + message.file;
  }
});

document.getElementById('save').addEventListener('click', () => vscode.postMessage({ type: 'save' }));
document.getElementById('again').addEventListener('click', () => vscode.postMessage({ type: 'again' }));
vscode.postMessage({ type: 'ready' });
`;
