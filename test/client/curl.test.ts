import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellQuote, toCurl } from '../../client/src/request/curl';
import { buildRequest } from '../../client/src/request/request-spec';

const base = 'http://127.0.0.1:3000';

function built(spec: Parameters<typeof buildRequest>[0]) {
  const result = buildRequest(spec, base);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.request;
}

describe('toCurl', () => {
  it('writes a bare GET on one line', () => {
    assert.equal(toCurl(built({ method: 'GET', path: '/status', headers: [], body: '' })), 'curl http://127.0.0.1:3000/status');
  });

  it('writes a JSON POST without -X and with --data-raw', () => {
    const curl = toCurl(built({ method: 'POST', path: '/ice', headers: [], body: '{"event":"ice"}' }));
    assert.equal(
      curl,
      ["curl http://127.0.0.1:3000/ice", "  -H 'Content-Type: application/json'", `  --data-raw '{"event":"ice"}'`].join(' \\\n'),
    );
  });

  it('spells out a method curl would not pick', () => {
    assert.match(toCurl(built({ method: 'DELETE', path: '/item', headers: [], body: '' })), /^curl -X DELETE /);
    assert.match(toCurl(built({ method: 'PUT', path: '/item', headers: [], body: '{}' })), /^curl -X PUT /);
  });

  it('uses -u for credentials instead of the Authorization header', () => {
    const curl = toCurl(built({ method: 'GET', path: '/admin', headers: [], body: '', credentials: { username: 'admin', password: 'p w' } }));
    assert.match(curl, /-u 'admin:p w'/);
    assert.doesNotMatch(curl, /Authorization/);
  });

  it('quotes a URL with a query string', () => {
    assert.match(toCurl(built({ method: 'GET', path: '/s?a=1&b=2', headers: [], body: '' })), /'http:\/\/127\.0\.0\.1:3000\/s\?a=1&b=2'/);
  });

  it('produces arguments a POSIX shell reads back unchanged', () => {
    const body = `{"text":"it's $HOME \`id\` !"}`;
    const curl = toCurl(built({ method: 'POST', path: '/say', headers: [{ name: 'X-Note', value: "a'b" }], body }));
    // Replace the program with printf to see the words the shell passes.
    const words = execFileSync('sh', ['-c', curl.replace(/^curl/, "printf '%s\\n'")], { encoding: 'utf8' }).trimEnd().split('\n');
    assert.deepEqual(words, ['http://127.0.0.1:3000/say', '-H', "X-Note: a'b", '-H', 'Content-Type: application/json', '--data-raw', body]);
  });
});

describe('shellQuote', () => {
  it('leaves safe words alone and quotes the rest', () => {
    assert.equal(shellQuote('abc-1.2/x:y'), 'abc-1.2/x:y');
    assert.equal(shellQuote('-rf'), "'-rf'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
  });
});
