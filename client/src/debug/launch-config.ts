/**
 * Turns a `sinch-functions` debug configuration into the JavaScript debugger (js-debug) launch
 * that runs the runtime on the project. The source-map settings make breakpoints in the user's
 * `function.ts` and its imports bind: the runtime compiles TypeScript with source maps, and the
 * maps must be read wherever the compiled code lives, except in dependencies.
 * No `vscode` import, so the mapping is unit-testable.
 */
import * as path from 'node:path';
import { runtimeArgs, validateSettings, type RuntimeSettings } from '../runtime/runtime-options';

export const DEBUG_TYPE = 'sinch-functions';

/** The attributes a user writes in launch.json (see the `debuggers` contribution). */
export interface SinchLaunchConfiguration {
  type: string;
  request: string;
  name: string;
  /** The function project folder; defaults to the workspace folder. */
  projectDir?: string;
  port?: number;
  host?: string;
  entry?: string;
  /** Seconds a handler may run before the runtime answers 504. */
  timeout?: number;
  env?: Record<string, string>;
  /** Path or name of the Node.js executable; js-debug's default is `node` from PATH. */
  runtimeExecutable?: string;
  [key: string]: unknown;
}

export interface ResolveContext {
  /** Absolute path of the runtime's bundled command-line script. */
  runtimeCliPath: string;
  /** The workspace folder the configuration belongs to, if any. */
  workspaceFolder?: string;
  settings: RuntimeSettings;
  /** Path of the runtime's status document. */
  statusFile: string;
}

/** The launch configuration js-debug receives; the `sinch*` fields mark the extension's own sessions. */
export interface NodeLaunchConfiguration {
  type: 'node';
  request: 'launch';
  name: string;
  program: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  runtimeExecutable?: string;
  sourceMaps: true;
  pauseForSourceMap: true;
  autoAttachChildProcesses: true;
  resolveSourceMapLocations: string[];
  outFiles: string[];
  skipFiles: string[];
  console: 'internalConsole';
  outputCapture: 'std';
  sinchProjectDir: string;
  sinchStatusFile: string;
  sinchPort: number;
  sinchHost: string;
  [key: string]: unknown;
}

export type ResolveResult = { ok: true; config: NodeLaunchConfiguration } | { ok: false; error: string };

/** Returns the configuration that launch.json snippets and "F5 with no launch.json" start from. */
export function defaultSinchConfiguration(): SinchLaunchConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Debug Sinch Function',
    projectDir: '${workspaceFolder}',
  };
}

/**
 * Fills in an empty configuration (F5 with no launch.json) and the defaults of a partial one.
 * Returns undefined for a configuration of another debug type.
 */
export function completeConfiguration(config: Partial<SinchLaunchConfiguration>): SinchLaunchConfiguration | undefined {
  if (!config.type && !config.request && !config.name) return defaultSinchConfiguration();
  if (config.type !== DEBUG_TYPE) return undefined;
  // After "Select debugger" the editor passes the chosen type with an empty request and name.
  const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== '' && value !== undefined));
  return { ...defaultSinchConfiguration(), ...given } as SinchLaunchConfiguration;
}

/** True for the configuration of F5 with no launch.json: no request, whatever the type. */
export function isImplicitConfiguration(config: Partial<SinchLaunchConfiguration>): boolean {
  return !config.request;
}

/**
 * Maps a complete configuration to the js-debug launch. `${workspaceFolder}` in `projectDir` is
 * expanded here; the editor substitutes any other variable afterwards.
 */
export function resolveLaunch(config: SinchLaunchConfiguration, context: ResolveContext): ResolveResult {
  if (config.request !== 'launch') {
    return { ok: false, error: `Unsupported request "${config.request}" in "${config.name}": ${DEBUG_TYPE} supports "launch" only.` };
  }
  const projectDir = resolveProjectDir(config.projectDir, context.workspaceFolder);
  if (projectDir === undefined) {
    return {
      ok: false,
      error: `"${config.name}" has no projectDir and no workspace folder: set "projectDir" to the folder that holds function.ts.`,
    };
  }

  const settings: RuntimeSettings = {
    ...context.settings,
    port: config.port ?? context.settings.port,
    host: config.host ?? context.settings.host,
    entry: config.entry ?? context.settings.entry,
    requestTimeoutSeconds: config.timeout ?? context.settings.requestTimeoutSeconds,
  };
  const invalid = validateSettings(settings);
  if (invalid) return { ok: false, error: `${invalid} (in "${config.name}")` };

  const args = runtimeArgs({
    projectDir,
    port: settings.port,
    host: settings.host,
    entry: settings.entry,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    statusFile: context.statusFile,
  });

  const resolved: NodeLaunchConfiguration = {
    type: 'node',
    request: 'launch',
    name: config.name,
    program: context.runtimeCliPath,
    args,
    cwd: projectDir,
    sourceMaps: true,
    // Each compiled version of a user file is a new script whose URL the debugger cannot predict,
    // so it binds breakpoints through the inline source map. Pausing until that map is read stops
    // a request that arrives right after a load or reload from running past a breakpoint.
    pauseForSourceMap: true,
    autoAttachChildProcesses: true,
    // The runtime compiles user code in process with inline source maps. Maps are read
    // everywhere except in dependencies, whose maps are slow to load and rarely wanted.
    resolveSourceMapLocations: ['**', '!**/node_modules/**'],
    outFiles: [path.join(projectDir, '**', '*.js'), `!${path.join(projectDir, '**', 'node_modules', '**')}`],
    skipFiles: ['<node_internals>/**', `${path.dirname(context.runtimeCliPath)}/**`],
    console: 'internalConsole',
    outputCapture: 'std',
    sinchProjectDir: projectDir,
    sinchStatusFile: context.statusFile,
    sinchPort: settings.port,
    sinchHost: settings.host,
  };
  if (config.env) resolved.env = { ...config.env };
  if (config.runtimeExecutable) resolved.runtimeExecutable = config.runtimeExecutable;
  return { ok: true, config: resolved };
}

function resolveProjectDir(projectDir: string | undefined, workspaceFolder: string | undefined): string | undefined {
  if (projectDir === undefined || projectDir === '') return workspaceFolder;
  if (projectDir.includes('${workspaceFolder}') && workspaceFolder === undefined) return undefined;
  const value = projectDir.split('${workspaceFolder}').join(workspaceFolder ?? '');
  if (path.isAbsolute(value)) return path.normalize(value);
  return workspaceFolder ? path.resolve(workspaceFolder, value) : undefined;
}
