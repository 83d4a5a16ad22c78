import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findExportMention, parseLogLine } from '../../client/src/runtime/log-lines';

const grammarPath = path.join(__dirname, '..', '..', '..', 'syntaxes', 'sinch-runtime-log.tmLanguage.json');
const grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
/** A line as the runtime channel shows it, after the LogOutputChannel prefix. */
const channelLine = '2026-12-04 20:31:00.123 [info] POST /ice ice 200 12ms req=3f2a9c1b04de';

describe('parseLogLine', () => {
  it('strips the time and keeps a request line whole', () => {
    assert.deepEqual(parseLogLine('2026-12-04T20:31:00.123Z GET /status status 200 3ms req=ab12'), {
      level: 'info',
      text: 'GET /status status 200 3ms req=ab12',
    });
  });

  it('raises 5xx request lines to warnings', () => {
    assert.equal(parseLogLine('2026-12-04T20:31:00.123Z GET /boom boom 500 3ms req=ab12').level, 'warn');
  });

  it('reads the level of other lines', () => {
    assert.deepEqual(parseLogLine('2026-12-04T20:31:00.123Z WARN  Reloaded with errors file=function.ts'), {
      level: 'warn',
      text: 'Reloaded with errors file=function.ts',
    });
    assert.equal(parseLogLine('2026-12-04T20:31:00.123Z ERROR Handler threw').level, 'error');
  });

  it('gives continuation lines the previous level', () => {
    assert.deepEqual(parseLogLine('    at status (function.ts:3:9)', 'error'), { level: 'error', text: '    at status (function.ts:3:9)' });
    assert.equal(parseLogLine('user console output').level, 'info');
  });
});

describe('findExportMention', () => {
  it('locates the export in a channel line', () => {
    const mention = findExportMention(channelLine);
    assert.ok(mention);
    assert.equal(mention.exportName, 'ice');
    assert.equal(channelLine.slice(mention.start, mention.start + 3), 'ice');
  });

  it('locates it behind a folder prefix', () => {
    const line = '2026-12-04 20:31:00.123 [info] [ivr] GET /status status 404 1ms req=1';
    const mention = findExportMention(line);
    assert.equal(mention?.exportName, 'status');
    assert.equal(line.slice(mention!.start, mention!.start + 6), 'status');
  });

  it('ignores built-ins and other lines', () => {
    assert.equal(findExportMention('2026-12-04 [info] GET /health (health) 200 1ms req=1'), undefined);
    assert.equal(findExportMention('2026-12-04 [info] Listening on http://127.0.0.1:3000'), undefined);
  });
});

describe('runtime log grammar', () => {
  it('injects into the log grammar', () => {
    assert.equal(grammar.scopeName, 'text.log.sinch-runtime');
    assert.equal(grammar.injectionSelector, 'L:text.log');
  });

  const requestPatterns: Array<{ match: string; captures: Record<string, { name: string }> }> = grammar.repository.request.patterns;
  const statusCases: Array<[string, RegExp]> = [
    ['200', /success/],
    ['302', /redirect/],
    ['404', /client-error/],
    ['503', /server-error/],
  ];
  for (const [status, scope] of statusCases) {
    it(`scopes status ${status} by class`, () => {
      const line = channelLine.replace(' 200 ', ` ${status} `);
      const matching = requestPatterns.filter((pattern) => new RegExp(pattern.match).test(line));
      assert.equal(matching.length, 1);
      assert.match(matching[0].captures['4'].name, scope);
      const groups = new RegExp(matching[0].match).exec(line)!;
      assert.equal(groups[1], 'POST');
      assert.equal(groups[2], '/ice');
      assert.equal(groups[3], 'ice');
      assert.equal(groups[5], '12ms');
      assert.equal(groups[7], '3f2a9c1b04de');
    });
  }

  it('scopes levels, durations, locations and links', () => {
    const repository = grammar.repository;
    assert.ok(repository.level.patterns.some((pattern: { match: string }) => new RegExp(pattern.match).test('ERROR Handler threw')));
    assert.match('took 1.5 ms', new RegExp(repository.duration.match));
    assert.match('at function.ts:12:5', new RegExp(repository.location.match));
    assert.equal(new RegExp(repository.listening.match).exec('Listening on http://127.0.0.1:3000')?.[2], 'http://127.0.0.1:3000');
  });
});
