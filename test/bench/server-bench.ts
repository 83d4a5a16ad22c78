/**
 * Benchmark of the language server core, not a test. It generates entry files of 1,000, 10,000
 * and 50,000 lines and measures the time from `didChange` to `publishDiagnostics` and of a
 * `codeLens` request right after a change. A bare `ts.createSourceFile` of the same text in the
 * same run is the baseline. Run with `npm run bench:server`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver';
import type { EndpointTable } from '../../common/src/protocol';
import { ServerCore, type ServerClient } from '../../server/src/server-core';
import { LineIndex } from '../../server/src/text/line-index';

const SIZES = [1_000, 10_000, 50_000];
const RUNS: Record<number, number> = { 1_000: 40, 10_000: 20, 50_000: 8 };
const WARMUP_RUNS = 3;
const OPEN_RUNS = 5;

/** Builds an entry file of about `lines` lines: custom handlers, a default object, and auth. */
export function generateEntry(lines: number): string {
  const parts = [
    "import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';",
    '',
    "export const auth = ['handler1', 'handler2', 'missing'];",
    '',
    'export async function notify(context: FunctionContext, request: FunctionRequest) {',
    '  return { statusCode: 200, body: request.body };',
    '}',
    '',
  ];
  let index = 0;
  // Each handler is 8 lines; 12 lines are left for the default object at the end.
  while (parts.length + 8 + 12 <= lines) {
    index++;
    parts.push(
      `export async function handler${index}(context: FunctionContext, request: FunctionRequest) {`,
      '  const value = request.body as { id?: string };',
      '  if (!value.id) {',
      `    return { statusCode: 400, body: { error: 'missing id', handler: ${index} } };`,
      '  }',
      `  return { statusCode: 200, body: { id: value.id, handler: 'handler${index}' } };`,
      '}',
      '',
    );
  }
  parts.push(
    'export default {',
    '  async ice(context: FunctionContext, data: { callid: string }) {',
    "    return { action: { name: 'hangup' }, id: data.callid };",
    '  },',
    '  async pie(context: FunctionContext, data: { callid: string }) {',
    "    return { action: { name: 'hangup' }, id: data.callid };",
    '  },',
    '  handler1: async () => ({ statusCode: 200 }),',
    '};',
  );
  while (parts.length < lines) parts.push('');
  return parts.join('\n');
}

class BenchClient implements ServerClient {
  private waiting: ((version: number | undefined) => void) | undefined;
  errors: string[] = [];
  lastDiagnostics: Diagnostic[] = [];

  publishDiagnostics(_uri: string, diagnostics: Diagnostic[], version?: number): void {
    this.lastDiagnostics = diagnostics;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(version);
  }

  nextPublish(): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  endpointsChanged(_table: EndpointTable): void {}
  log(_message: string): void {}
  error(message: string): void {
    this.errors.push(message);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

interface Row {
  lines: number;
  parse: number;
  open: number;
  publish: number;
  publishP90: number;
  lens: number;
  lensAfterChange: number;
  endpoints: number;
  diagnostics: number;
}

async function measure(lines: number, folder: string): Promise<Row> {
  const text = generateEntry(lines);
  const entry = path.join(folder, 'function.ts');
  fs.writeFileSync(entry, text);
  const uri = pathToFileURL(entry).toString();
  const client = new BenchClient();
  const core = new ServerCore(client);
  const runs = RUNS[lines];

  const parseTimes: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + runs; run++) {
    const started = performance.now();
    ts.createSourceFile(entry, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    if (run >= WARMUP_RUNS) parseTimes.push(performance.now() - started);
  }

  // didOpen parses the whole text, without a previous tree to reuse.
  const openTimes: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run++) {
    const openClient = new BenchClient();
    const openCore = new ServerCore(openClient);
    const published = openClient.nextPublish();
    const started = performance.now();
    openCore.openDocument(uri, 1, text);
    await published;
    openTimes.push(performance.now() - started);
  }

  const opened = client.nextPublish();
  core.openDocument(uri, 1, text);
  await opened;

  // Each change rewrites one character inside a string in the middle of the file, as typing does.
  let current = text;
  let version = 1;
  const target = current.indexOf("'missing id'", Math.floor(current.length / 2)) + 1;
  const position = new LineIndex(current).positionAt(target);
  const edit = () => {
    version++;
    const letter = version % 2 === 0 ? 'M' : 'm';
    current = current.slice(0, target) + letter + current.slice(target + 1);
    core.changeDocument(uri, version, [{ range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: letter }]);
  };

  const publishTimes: number[] = [];
  const lensTimes: number[] = [];
  const lensAfterChangeTimes: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + runs; run++) {
    const published = client.nextPublish();
    const started = performance.now();
    edit();
    const publishedVersion = await published;
    const publishTime = performance.now() - started;
    if (publishedVersion !== version) throw new Error(`Published version ${publishedVersion}, expected ${version}.`);

    const lensStarted = performance.now();
    const lenses = core.codeLenses(uri);
    const lensTime = performance.now() - lensStarted;
    if (lenses.length === 0) throw new Error('No code lenses were returned.');

    // A codeLens request that arrives before the scheduled analysis has run.
    const changedStarted = performance.now();
    edit();
    core.codeLenses(uri);
    const lensAfterChangeTime = performance.now() - changedStarted;
    await core.whenIdle();

    if (run >= WARMUP_RUNS) {
      publishTimes.push(publishTime);
      lensTimes.push(lensTime);
      lensAfterChangeTimes.push(lensAfterChangeTime);
    }
  }
  if (client.errors.length > 0) throw new Error(`The server reported errors: ${client.errors.join('\n')}`);

  return {
    lines,
    parse: median(parseTimes),
    open: median(openTimes),
    publish: median(publishTimes),
    publishP90: percentile(publishTimes, 0.9),
    lens: median(lensTimes),
    lensAfterChange: median(lensAfterChangeTimes),
    endpoints: core.endpoints(pathToFileURL(folder).toString()).endpoints.length,
    diagnostics: client.lastDiagnostics.length,
  };
}

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sinch-ls-bench-'));
  const rows: Row[] = [];
  try {
    for (const lines of SIZES) rows.push(await measure(lines, folder));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }

  const format = (value: number) => value.toFixed(2);
  console.log(`Language server benchmark (node ${process.version}, ${os.cpus().length} CPUs: ${os.cpus()[0]?.model ?? 'unknown'})`);
  console.log('Times in milliseconds, medians; each ratio divides by the bare ts.createSourceFile time.');
  console.log('| Lines | Endpoints | Bare parse | didOpen→publishDiagnostics | didChange→publishDiagnostics (p90) | Ratio | codeLens (cached) | codeLens right after didChange | Ratio |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.lines} | ${row.endpoints} | ${format(row.parse)} | ${format(row.open)} | ${format(row.publish)} (${format(row.publishP90)}) | ${(row.publish / row.parse).toFixed(2)}× | ${format(row.lens)} | ${format(row.lensAfterChange)} | ${(row.lensAfterChange / row.parse).toFixed(2)}× |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
