/** The Endpoints tree's items, built with a stand-in `vscode` module. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as TreeModule from '../../client/src/views/endpoints-tree';
import type { EndpointInfo } from '../../common/src/protocol';
import { createFakeVscode, installFakeVscode } from './fake-vscode';

installFakeVscode(createFakeVscode());
const { EndpointsTreeProvider } = require('../../client/src/views/endpoints-tree') as typeof TreeModule;

const noEvents = { onDidChange: () => ({ dispose() {} }) };
const tree = new EndpointsTreeProvider(noEvents as never, noEvents as never);

function endpoint(exportName: string, isProtected: boolean): EndpointInfo {
  return {
    exportName,
    kind: 'custom',
    route: `/${exportName}`,
    method: 'GET',
    uri: 'file:///project/function.ts',
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } },
    protected: isProtected,
  };
}

describe('EndpointsTreeProvider', () => {
  it('marks a protected endpoint in text', () => {
    const item = tree.getTreeItem({ type: 'endpoint', projectDir: '/project', endpoint: endpoint('admin', true) });
    assert.equal(item.description, 'GET /admin (auth)');
    assert.equal((item.iconPath as unknown as { args: unknown[] }).args[0], 'lock');
  });

  it('leaves an open endpoint unmarked', () => {
    const item = tree.getTreeItem({ type: 'endpoint', projectDir: '/project', endpoint: endpoint('status', false) });
    assert.equal(item.description, 'GET /status');
    assert.equal((item.iconPath as unknown as { args: unknown[] }).args[0], 'symbol-method');
  });
});
