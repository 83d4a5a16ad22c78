/**
 * The language client's crash budget with a real server process that crashes after start: quiet
 * restarts up to the limit, then one error message whose "Open Log" button shows the server log.
 * Runs with a stand-in `vscode` module.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as ClientModule from '../../client/src/lsp/language-client';
import { createFakeVscode, fakeExtensionContext, installFakeVscode } from './fake-vscode';

const fake = createFakeVscode({}, { answer: (message) => (message.items.includes('Open Log') ? 'Open Log' : undefined) });
installFakeVscode(fake);
const { startLanguageClient, MAX_QUIET_RESTARTS } = require('../../client/src/lsp/language-client') as typeof ClientModule;

const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-crash-'));
after(() => fs.rmSync(temporary, { recursive: true, force: true }));

describe('language client crash budget', { timeout: 60_000 }, () => {
  it('restarts quietly, then reports once with Open Log', async () => {
    const starts = path.join(temporary, 'starts.txt');
    const server = path.join(temporary, 'crashing-server.js');
    // A minimal server over Node IPC: it records its start, answers `initialize`, and crashes
    // once the client says `initialized`, as a server that fails on the first real work would.
    fs.writeFileSync(
      server,
      [
        `require('fs').appendFileSync(${JSON.stringify(starts)}, 'start\\n');`,
        `process.on('message', (message) => {`,
        `  if (message.method === 'initialize') process.send({ jsonrpc: '2.0', id: message.id, result: { capabilities: {} } });`,
        `  if (message.method === 'initialized') process.exit(3);`,
        `});`,
      ].join('\n'),
    );

    const window = fake.module.window as { createOutputChannel(name: string): unknown };
    const serverLog = window.createOutputChannel('server') as { show: () => void; lines: string[] };
    let shown = 0;
    serverLog.show = () => {
      shown += 1;
    };
    const extensionLog = window.createOutputChannel('extension') as { lines: string[] };
    const context = fakeExtensionContext(temporary, fake);
    const handle = startLanguageClient(context as never, serverLog as never, extensionLog as never, server);
    await handle.ready.catch(() => undefined);

    const deadline = Date.now() + 30_000;
    while (!fake.messages.some((message) => message.severity === 'error')) {
      assert.ok(Date.now() < deadline, `no give-up message; extension log:\n${extensionLog.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Let a late restart, if any, show up before counting.
    await new Promise((resolve) => setImmediate(resolve));

    const startCount = fs.readFileSync(starts, 'utf8').trim().split('\n').length;
    assert.equal(startCount, MAX_QUIET_RESTARTS + 1, `the first start plus the quiet restarts; messages: ${JSON.stringify(fake.messages)}; log:\n${extensionLog.lines.join('\n')}`);
    const errors = fake.messages.filter((message) => message.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /keeps crashing/);
    assert.deepEqual(errors[0].items, ['Open Log', 'Restart']);
    assert.equal(shown, 1, 'Open Log shows the server log');
    assert.ok(extensionLog.lines.some((line) => line.includes('stays stopped')));
  });
});
