/** Tests of how the server reads its settings from the `sinchFunctions` section. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsFrom } from '../../server/src/connection-binding';

describe('settings', () => {
  it('reads the extension entry setting', () => {
    assert.equal(settingsFrom({ runtime: { entry: 'src/main.ts' } }).entry, 'src/main.ts');
  });

  it('prefers runtime.entry over entry', () => {
    assert.equal(settingsFrom({ entry: 'a.ts', runtime: { entry: 'b.ts' } }).entry, 'b.ts');
  });

  it('ignores an empty entry', () => {
    assert.equal(settingsFrom({ runtime: { entry: '  ' } }).entry, undefined);
  });

  it('builds the runtime URL from host and port', () => {
    assert.equal(settingsFrom({ runtime: { port: 4000 } }).runtimeUrl, 'http://127.0.0.1:4000');
    assert.equal(settingsFrom({ runtime: { port: 4000, host: '0.0.0.0' } }).runtimeUrl, 'http://127.0.0.1:4000');
    assert.equal(settingsFrom({ runtime: { port: 4000, host: '::1' } }).runtimeUrl, 'http://[::1]:4000');
  });

  it('keeps the default URL for port 0', () => {
    assert.equal(settingsFrom({ runtime: { port: 0 } }).runtimeUrl, undefined);
  });

  it('prefers an explicit runtimeUrl', () => {
    assert.equal(settingsFrom({ runtimeUrl: 'http://127.0.0.1:9000', runtime: { port: 4000 } }).runtimeUrl, 'http://127.0.0.1:9000');
  });

  it('accepts values that are not objects', () => {
    assert.deepEqual(settingsFrom(null), { runtimeUrl: 'http://127.0.0.1:3000' });
    assert.deepEqual(settingsFrom('text'), { runtimeUrl: 'http://127.0.0.1:3000' });
  });
});
