import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseRecord } from '../../client/src/request/http-client';
import { HISTORY_KEY, HistoryStore, STORED_BODY_LIMIT, type KeyValueStore } from '../../client/src/request/history-store';

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(key: string) => data.get(key) as T | undefined,
    update: async (key: string, value: unknown) => void data.set(key, value),
  };
}

function response(body = '{}'): ResponseRecord {
  return { status: 200, statusText: 'OK', headers: [], body, truncated: false, durationMs: 3 };
}

function entry(path: string, extra = {}) {
  return {
    time: Date.now(),
    projectDir: '/p',
    exportName: 'status',
    baseUrl: 'http://127.0.0.1:3000',
    request: { method: 'GET', path, headers: [], body: '' },
    response: response(),
    ...extra,
  };
}

describe('HistoryStore', () => {
  it('lists entries newest first', async () => {
    const store = new HistoryStore(memoryStore());
    await store.add(entry('/one'));
    await store.add(entry('/two'));
    assert.deepEqual(
      store.list().map((item) => item.request.path),
      ['/two', '/one'],
    );
  });

  it('keeps at most the limit', async () => {
    const store = new HistoryStore(memoryStore(), 3);
    for (let index = 0; index < 5; index++) await store.add(entry(`/${index}`));
    assert.deepEqual(
      store.list().map((item) => item.request.path),
      ['/4', '/3', '/2'],
    );
  });

  it('never stores credentials', async () => {
    const storage = memoryStore();
    const store = new HistoryStore(storage);
    await store.add(entry('/admin', { request: { method: 'GET', path: '/admin', headers: [], body: '', credentials: { username: 'u', password: 'secret' } } }));
    assert.equal(store.list()[0].request.credentials, null);
    assert.doesNotMatch(JSON.stringify(storage.data.get(HISTORY_KEY)), /secret/);
  });

  it('cuts large response bodies', async () => {
    const store = new HistoryStore(memoryStore());
    await store.add(entry('/big', { response: response('x'.repeat(STORED_BODY_LIMIT + 5)) }));
    const stored = store.list()[0].response!;
    assert.equal(stored.body.length, STORED_BODY_LIMIT);
    assert.equal(stored.truncated, true);
  });

  it('finds, removes and clears entries and notifies', async () => {
    const store = new HistoryStore(memoryStore());
    let changes = 0;
    store.onDidChange(() => changes++);
    const first = await store.add(entry('/a'));
    await store.add(entry('/b'));
    assert.equal(store.get(first.id)?.request.path, '/a');
    await store.remove(first.id);
    assert.equal(store.get(first.id), undefined);
    await store.clear();
    assert.deepEqual(store.list(), []);
    assert.equal(changes, 4);
  });
});
