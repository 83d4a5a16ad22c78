// Launches Debian's headless Chromium through playwright-core and opens code-server's workbench.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
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
 * Turns a console message of the workbench into plain text. The workbench logs the extension
 * host's console calls as `('%c INFO', 'color: …', ...originalArguments)`, so the `%c` prefix
 * and its CSS arguments are dropped and the original arguments are formatted as Node's console
 * would (mocha's reporters use `%s` and `%d`).
 */
async function consoleMessageText(message) {
  const values = [];
  for (const handle of message.args()) {
    values.push(await handle.jsonValue().catch(() => String(handle)));
  }
  if (values.length === 0) return message.text();
  const [first, ...rest] = values;
  if (typeof first === 'string' && first.includes('%c')) {
    const styleCount = (first.match(/%c/g) || []).length;
    const prefix = first.replace(/%c/g, '').trim();
    const original = rest.slice(styleCount);
    return `${prefix} ${original.length > 0 ? util.format(...original) : ''}`.trimEnd();
  }
  return util.format(...values);
}

/** Opens a page of 1400×900 pixels that forwards its console messages to `onConsole`. */
async function openPage(browser, { onConsole } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // Reading a message's arguments is asynchronous, so a promise chain passes messages on in
  // order. flushConsole() waits for the messages that arrived so far.
  let chain = Promise.resolve();
  if (onConsole) {
    page.on('console', (message) => {
      const text = consoleMessageText(message);
      chain = chain.then(() => text).then((line) => onConsole(line, message.type()), () => {});
    });
  }
  page.flushConsole = () => chain;
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
