import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  loadSavedRequests,
  parseSavedRequests,
  saveRequest,
  savedRequestsPath,
  SavedRequestsError,
} from '../../client/src/request/saved-requests';

const dirs: string[] = [];
function tempProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-saved-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('saved requests', () => {
  it('returns an empty map without a file', async () => {
    assert.equal((await loadSavedRequests(tempProject())).size, 0);
  });

  it('saves per endpoint and reads back', async () => {
    const dir = tempProject();
    await saveRequest(dir, 'ice', { method: 'post', path: '/ice', headers: [{ name: 'X-A', value: '1' }], body: '{"event":"ice"}' });
    await saveRequest(dir, 'status', { method: 'GET', path: '/status?v=1', headers: [], body: '' });
    const loaded = await loadSavedRequests(dir);
    assert.deepEqual([...loaded.keys()].sort(), ['ice', 'status']);
    assert.equal(loaded.get('ice')?.method, 'POST');
    assert.deepEqual(loaded.get('ice')?.headers, [{ name: 'X-A', value: '1' }]);
    assert.deepEqual(JSON.parse(loaded.get('ice')!.body), { event: 'ice' });
    assert.equal(loaded.get('status')?.path, '/status?v=1');
  });

  it('stores a JSON body as a JSON value', async () => {
    const dir = tempProject();
    await saveRequest(dir, 'ice', { method: 'POST', path: '/ice', headers: [], body: '{"event":"ice"}' });
    const file = JSON.parse(fs.readFileSync(savedRequestsPath(dir), 'utf8'));
    assert.deepEqual(file.requests.ice.body, { event: 'ice' });
  });

  it('never writes credentials', async () => {
    const dir = tempProject();
    await saveRequest(dir, 'admin', { method: 'GET', path: '/admin', headers: [], body: '', credentials: { username: 'u', password: 'secret' } });
    assert.doesNotMatch(fs.readFileSync(savedRequestsPath(dir), 'utf8'), /secret/);
  });

  it('rejects a broken file and names it', () => {
    assert.throws(() => parseSavedRequests('{', '/p/.sinch/requests.json'), (error: unknown) => {
      assert.ok(error instanceof SavedRequestsError);
      assert.match(error.message, /\/p\/\.sinch\/requests\.json is not valid JSON/);
      return true;
    });
    assert.throws(() => parseSavedRequests('{"requests":{"ice":{"path":"/ice"}}}', 'f.json'), /"ice" needs string "method" and "path"/);
    assert.throws(() => parseSavedRequests('[]', 'f.json'), /no "requests" object/);
  });
});
