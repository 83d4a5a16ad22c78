import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  completeConfiguration,
  DEBUG_TYPE,
  resolveLaunch,
  type ResolveContext,
  type SinchLaunchConfiguration,
} from '../../client/src/debug/launch-config';
import { DEFAULT_SETTINGS } from '../../client/src/runtime/runtime-options';

const workspace = path.resolve('/work/space');
const context: ResolveContext = {
  runtimeCliPath: path.resolve('/ext/dist/runtime/cli.js'),
  workspaceFolder: workspace,
  settings: { ...DEFAULT_SETTINGS },
  statusFile: path.resolve('/tmp/status.json'),
};

function config(extra: Partial<SinchLaunchConfiguration> = {}): SinchLaunchConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Debug', ...extra };
}

describe('completeConfiguration', () => {
  it('fills an empty configuration (F5 without launch.json)', () => {
    const complete = completeConfiguration({});
    assert.equal(complete?.type, DEBUG_TYPE);
    assert.equal(complete?.request, 'launch');
    assert.equal(complete?.projectDir, '${workspaceFolder}');
  });

  it('keeps the user values of a partial configuration', () => {
    const complete = completeConfiguration({ type: DEBUG_TYPE, request: 'launch', name: 'Mine', port: 4000 });
    assert.equal(complete?.name, 'Mine');
    assert.equal(complete?.port, 4000);
    assert.equal(complete?.projectDir, '${workspaceFolder}');
  });

  it('fills the chosen type after Select debugger', () => {
    const complete = completeConfiguration({ type: DEBUG_TYPE, request: '', name: '' });
    assert.equal(complete?.request, 'launch');
    assert.equal(complete?.name, 'Debug Sinch Function');
    assert.equal(complete?.projectDir, '${workspaceFolder}');
    assert.ok(complete && resolveLaunch(complete, context).ok);
  });

  it('ignores configurations of other debug types', () => {
    assert.equal(completeConfiguration({ type: 'node', request: 'launch', name: 'x' }), undefined);
  });
});

describe('resolveLaunch', () => {
  it('maps to a js-debug launch of the runtime with source maps', () => {
    const result = resolveLaunch(config(), context);
    assert.ok(result.ok, result.ok ? '' : result.error);
    const launch = result.config;
    assert.equal(launch.type, 'node');
    assert.equal(launch.request, 'launch');
    assert.equal(launch.program, context.runtimeCliPath);
    assert.equal(launch.cwd, workspace);
    assert.equal(launch.sourceMaps, true);
    assert.equal(launch.autoAttachChildProcesses, true);
    assert.equal(launch.pauseForSourceMap, true);
    assert.deepEqual(launch.resolveSourceMapLocations, ['**', '!**/node_modules/**']);
    assert.ok(launch.outFiles.some((glob) => glob.startsWith(workspace)));
    assert.ok(launch.skipFiles.includes('<node_internals>/**'));
  });

  it('passes project, port, host and status file to the runtime', () => {
    const result = resolveLaunch(config({ port: 4321, host: '127.0.0.2', entry: 'src/fn.ts', timeout: 9 }), context);
    assert.ok(result.ok);
    assert.deepEqual(result.config.args, [
      workspace,
      '--port',
      '4321',
      '--host',
      '127.0.0.2',
      '--status-file',
      context.statusFile,
      '--log-format',
      'text',
      '--entry',
      'src/fn.ts',
      '--timeout',
      '9',
    ]);
    assert.equal(result.config.sinchPort, 4321);
    assert.equal(result.config.sinchHost, '127.0.0.2');
    assert.equal(result.config.sinchStatusFile, context.statusFile);
  });

  it('takes port and host from the settings by default', () => {
    const result = resolveLaunch(config(), { ...context, settings: { ...DEFAULT_SETTINGS, port: 3100 } });
    assert.ok(result.ok);
    assert.equal(result.config.sinchPort, 3100);
    assert.equal(result.config.args[result.config.args.indexOf('--port') + 1], '3100');
  });

  it('resolves a relative projectDir against the workspace folder', () => {
    const result = resolveLaunch(config({ projectDir: 'functions/ivr' }), context);
    assert.ok(result.ok);
    assert.equal(result.config.sinchProjectDir, path.join(workspace, 'functions', 'ivr'));
  });

  it('expands ${workspaceFolder} inside projectDir', () => {
    const result = resolveLaunch(config({ projectDir: '${workspaceFolder}/functions/ivr' }), context);
    assert.ok(result.ok);
    assert.equal(result.config.sinchProjectDir, path.join(workspace, 'functions', 'ivr'));
  });

  it('keeps env and runtimeExecutable', () => {
    const result = resolveLaunch(config({ env: { A: '1' }, runtimeExecutable: '/usr/bin/node' }), context);
    assert.ok(result.ok);
    assert.deepEqual(result.config.env, { A: '1' });
    assert.equal(result.config.runtimeExecutable, '/usr/bin/node');
  });

  it('rejects attach requests', () => {
    const result = resolveLaunch(config({ request: 'attach' }), context);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /supports "launch" only/);
  });

  it('rejects a missing project folder', () => {
    const result = resolveLaunch(config(), { ...context, workspaceFolder: undefined });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /projectDir/);
  });

  it('rejects an invalid port and names it', () => {
    const result = resolveLaunch(config({ port: 70000 }), context);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /70000/);
  });
});
