// Launches Debian's headless Chromium through playwright-core and opens code-server's workbench.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { onSignalCleanup } = require('./processes');

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Chromium with a fresh profile (playwright-core creates a temporary one) and returns
 * the browser with a `close()` that is also run on SIGINT, SIGTERM and SIGHUP.
 */
async function launchBrowser() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium was not found at ${chromiumPath}; run \`node scripts/ensure-e2e.js\` ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    // The signal handlers in ./processes stop the browser together with code-server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const unregister = onSignalCleanup(() => browser.close());
  const close = async () => {
    unregister();
    await browser.close().catch(() => {});
  };
  return { browser, close };
}

/**
 * Turns a console message of the workbench into plain text. Messages of the extension host
 * arrive with `%c` markers followed by one CSS argument for each marker.
 */
async function consoleMessageText(message) {
  const values = [];
  for (const handle of message.args()) {
    values.push(await handle.jsonValue().catch(() => String(handle)));
  }
  if (values.length === 0 || typeof values[0] !== 'string') return message.text();
  const [format, ...rest] = values;
  const styleCount = (format.match(/%c/g) || []).length;
  const remaining = rest.slice(styleCount).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return [format.replace(/%c/g, ''), ...remaining].join(' ').trim();
}

/** Opens a page of 1400×900 pixels that forwards its console messages to `onConsole`. */
async function openPage(browser, { onConsole } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  if (onConsole) {
    page.on('console', (message) => {
      consoleMessageText(message).then((text) => onConsole(text, message.type()), () => {});
    });
  }
  return page;
}

/** Saves a full-window screenshot as `<folder>/<name>.png` and returns its path. */
async function saveScreenshot(page, folder, name) {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

module.exports = { launchBrowser, openPage, saveScreenshot, chromiumPath };
