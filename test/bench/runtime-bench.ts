/**
 * Runtime benchmark: throughput against bare Express, save-to-new-code latency, start-up time,
 * idle memory and memory growth over reloads. Every figure is measured in this one run on this
 * machine, and the throughput target is a ratio against the Express baseline measured alongside.
 * Load comes from autocannon running in this process, separate from both servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon = require('autocannon');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const cliPath = path.join(repoRoot, 'dist', 'runtime', 'cli.js');
const LOAD_SECONDS = 8;
const CONNECTIONS = 10;
const SAVE_ROUNDS = 25;
const RELOAD_ROUNDS = 200;

const HANDLER_SOURCE = `async (context, request) => ({ statusCode: 200, body: { status: 'ok', method: request.method } })`;

interface Server {
  child: ChildProcess;
  url: string;
  readyMs: number;
}

function startProcess(args: string[], readyPattern: RegExp): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ child, url: match[1], readyMs: performance.now() - started });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`Process exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function makeDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfd-bench-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

async function load(url: string): Promise<{ requestsPerSecond: number; p50: number; p99: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`Load run against ${url} had ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function throughput(): Promise<void> {
  const projectDir = makeDir({ 'function.js': `exports.status = ${HANDLER_SOURCE};\n` });
  const expressDir = makeDir({
    'server.js': `
      const express = require(${JSON.stringify(require.resolve('express'))});
      const handler = ${HANDLER_SOURCE};
      const app = express();
      app.all('/status', async (req, res) => {
        const result = await handler({}, req);
        res.status(result.statusCode).json(result.body);
      });
      const server = app.listen(0, '127.0.0.1', () => console.log('Listening on http://127.0.0.1:' + server.address().port));
    `,
  });

  const express = await startProcess([path.join(expressDir, 'server.js')], /Listening on (http:\/\/\S+)/);
  const runtime = await startProcess([cliPath, projectDir, '--port', '0'], /Listening on (http:\/\/\S+)/);
  try {
    // A short warm-up for each, so both are measured with optimised code.
    await autocannon({ url: `${express.url}/status`, connections: CONNECTIONS, duration: 2 });
    await autocannon({ url: `${runtime.url}/status`, connections: CONNECTIONS, duration: 2 });
    const bare = await load(`${express.url}/status`);
    const ours = await load(`${runtime.url}/status`);
    const row = (name: string, figures: typeof bare) =>
      `  ${name.padEnd(16)} ${figures.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${figures.p50} ms   p99 ${figures.p99} ms`;
    console.log(`Throughput, GET /status, ${CONNECTIONS} connections, ${LOAD_SECONDS} s each:`);
    console.log(row('bare Express', bare));
    console.log(row('our runtime', ours));
    console.log(`  ratio (ours / bare): ${(ours.requestsPerSecond / bare.requestsPerSecond).toFixed(2)} (target ≥ 0.80)`);
  } finally {
    await stop(express);
    await stop(runtime);
  }
}

function largeFunction(version: number): string {
  const lines = [`export const version = () => ({ version: ${version} });`];
  for (let index = 0; lines.length < 1000; index++) {
    lines.push(`export function helper${index}(input: { value: number }): number {`);
    lines.push(`  const doubled: number = input.value * 2 + ${index};`);
    lines.push(`  return doubled > 100 ? doubled - 100 : doubled;`);
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

async function waitForVersion(url: string, version: number): Promise<void> {
  for (let attempt = 0; attempt < 5000; attempt++) {
    const response = await fetch(`${url}/version`);
    const body = (await response.json()) as { version?: number };
    if (body.version === version) return;
  }
  throw new Error(`Version ${version} was never served`);
}

async function saveToNewCode(): Promise<void> {
  const dir = makeDir({ 'function.ts': largeFunction(0) });
  const runtime = await startProcess([cliPath, dir, '--port', '0'], /Listening on (http:\/\/\S+)/);
  try {
    await waitForVersion(runtime.url, 0);
    const samples: number[] = [];
    for (let version = 1; version <= SAVE_ROUNDS; version++) {
      const started = performance.now();
      fs.writeFileSync(path.join(dir, 'function.ts'), largeFunction(version));
      await waitForVersion(runtime.url, version);
      samples.push(performance.now() - started);
    }
    console.log(`Save to new code, 1,000-line function.ts, ${SAVE_ROUNDS} saves:`);
    console.log(`  median ${median(samples).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms (target: median ≤ 300 ms)`);
  } finally {
    await stop(runtime);
  }
}

async function startupAndMemory(): Promise<void> {
  const example = path.join(repoRoot, 'examples', 'voice-ivr');
  const readyTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const runtime = await startProcess([cliPath, example, '--port', '0'], /Listening on (http:\/\/\S+)/);
    readyTimes.push(runtime.readyMs);
    await stop(runtime);
  }
  console.log('Start to ready, examples/voice-ivr, 5 starts:');
  console.log(`  median ${median(readyTimes).toFixed(0)} ms (target ≤ 1000 ms)`);

  const dir = makeDir({ 'function.ts': `export const version = () => ({ version: 0 });\n` });
  const runtime = await startProcess([cliPath, dir, '--port', '0'], /Listening on (http:\/\/\S+)/);
  try {
    await waitForVersion(runtime.url, 0);
    const idle = rssMb(runtime.child.pid!);
    for (let version = 1; version <= RELOAD_ROUNDS; version++) {
      fs.writeFileSync(path.join(dir, 'function.ts'), `export const version = () => ({ version: ${version} });\n`);
      await waitForVersion(runtime.url, version);
    }
    const after = rssMb(runtime.child.pid!);
    console.log(`Memory (RSS) of the runtime serving a small function:`);
    console.log(`  idle ${idle.toFixed(1)} MB (target ≤ 80 MB)`);
    console.log(`  after ${RELOAD_ROUNDS} reloads ${after.toFixed(1)} MB, growth ${(after - idle).toFixed(1)} MB (target ≤ 20 MB)`);
  } finally {
    await stop(runtime);
  }
}

async function main(): Promise<void> {
  console.log(`Runtime benchmark on ${os.cpus().length} cores, Node ${process.version}\n`);
  await startupAndMemory();
  console.log();
  await saveToNewCode();
  console.log();
  await throughput();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
