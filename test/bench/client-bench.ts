/**
 * Extension benchmark: activation time of the bundled extension, and the time from "Run
 * endpoint" to the response in the Request view's state with the runtime already started.
 *
 * Both run the real bundle (`dist/client/extension.js`) in plain Node with a stand-in `vscode`
 * module (`test/client/fake-vscode.ts`), so no editor is needed. Activation is measured in a
 * fresh process per sample (require of the bundle plus `activate`), because module loading is
 * cached within a process. Run goes through the extension's own command path: it resolves the
 * request, sends it to a real runtime on a free port, records history and builds the view state.
 * The webview's rendering is not included.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createFakeVscode, fakeExtensionContext, installFakeVscode } from '../client/fake-vscode';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const bundlePath = path.join(repoRoot, 'dist', 'client', 'extension.js');
const ACTIVATION_SAMPLES = 15;
const RUN_SAMPLES = 30;
const ACTIVATION_TARGET_MS = 100;
const RUN_TARGET_MS = 500;

interface ExtensionModule {
  activate(context: unknown): {
    runtimes: { ensureRunning(dir: string): Promise<{ status: { url: string } }>; stopAll(): Promise<void> };
    requests: {
      runEndpoint(dir: string, exportName: string, mode: 'run'): Promise<{ response?: { status: number }; error?: string }>;
      viewState: { response?: { status: number } };
    };
  };
  deactivate(): Promise<void>;
}

/** Measures one activation in this child process and prints `{ loadMs, activateMs }`. */
function measureActivationInThisProcess(): void {
  const fake = createFakeVscode();
  installFakeVscode(fake);
  const started = performance.now();
  const extension = require(bundlePath) as ExtensionModule;
  const loaded = performance.now();
  extension.activate(fakeExtensionContext(repoRoot, fake));
  const activated = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded }));
  // The language client starts after activation; it is not part of this figure.
  process.exit(0);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function format(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  if (process.argv.includes('--activation-sample')) return measureActivationInThisProcess();

  const totals: number[] = [];
  const loads: number[] = [];
  const activates: number[] = [];
  for (let sample = 0; sample < ACTIVATION_SAMPLES; sample++) {
    const output = execFileSync(process.execPath, [__filename, '--activation-sample'], { encoding: 'utf8' });
    const { loadMs, activateMs } = JSON.parse(output) as { loadMs: number; activateMs: number };
    loads.push(loadMs);
    activates.push(activateMs);
    totals.push(loadMs + activateMs);
  }

  const fake = createFakeVscode({ 'runtime.port': 0 });
  installFakeVscode(fake);
  const extension = require(bundlePath) as ExtensionModule;
  const api = extension.activate(fakeExtensionContext(repoRoot, fake));
  const project = path.join(repoRoot, 'examples', 'custom-endpoints');
  const startedAt = performance.now();
  const started = await api.runtimes.ensureRunning(project);
  const startMs = performance.now() - startedAt;

  const runs: number[] = [];
  try {
    for (let sample = 0; sample < RUN_SAMPLES; sample++) {
      const before = performance.now();
      const outcome = await api.requests.runEndpoint(project, 'status', 'run');
      runs.push(performance.now() - before);
      if (outcome.response?.status !== 200 || api.requests.viewState.response?.status !== 200) {
        throw new Error(`Run on GET /status did not show 200: ${outcome.error ?? outcome.response?.status}`);
      }
    }
  } finally {
    await api.runtimes.stopAll();
  }

  const activationMedian = percentile(totals, 0.5);
  const runMedian = percentile(runs, 0.5);
  console.log('Extension benchmark (bundled extension, stand-in vscode module, Node ' + process.version + ')');
  console.log(`Activation, require + activate, median of ${ACTIVATION_SAMPLES} fresh processes: ${format(activationMedian)} ` +
    `(p90 ${format(percentile(totals, 0.9))}; require ${format(percentile(loads, 0.5))}, activate ${format(percentile(activates, 0.5))}) ` +
    `target < ${ACTIVATION_TARGET_MS} ms: ${activationMedian < ACTIVATION_TARGET_MS ? 'met' : 'missed'}`);
  console.log(`Runtime start for examples/custom-endpoints (first Run, not a target): ${format(startMs)} at ${started.status.url}`);
  console.log(`Run endpoint to response, GET /status, runtime started, median of ${RUN_SAMPLES}: ${format(runMedian)} ` +
    `(p90 ${format(percentile(runs, 0.9))}, max ${format(Math.max(...runs))}) ` +
    `target < ${RUN_TARGET_MS} ms: ${runMedian < RUN_TARGET_MS ? 'met' : 'missed'}`);
  await extension.deactivate().catch(() => undefined);
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
