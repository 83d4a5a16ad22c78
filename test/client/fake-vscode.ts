/**
 * A small stand-in for the `vscode` module, enough to load the bundled extension and call
 * `activate` outside the editor (for the activation benchmark). Members the extension only
 * passes through are generic stubs; the ones whose results activation reads are real enough:
 * events, disposables, configuration defaults, URIs and a recording command registry.
 */
import Module = require('node:module');
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

type Listener<T> = (value: T) => void;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Disposable {
  constructor(private readonly callback: () => void = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.callback();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    readonly fragment = '',
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(fsPath: string): Uri {
    return new Uri('file', path.resolve(fsPath));
  }
  static parse(value: string): Uri {
    return value.startsWith('file:') ? new Uri('file', fileURLToPath(value)) : new Uri(value.split(':')[0], value);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...parts));
  }
  with(change: { fragment?: string }): Uri {
    return new Uri(this.scheme, this.fsPath, change.fragment ?? this.fragment);
  }
  toString(): string {
    return this.scheme === 'file' ? pathToFileURL(this.fsPath).toString() : this.fsPath;
  }
}

/** A class that can be constructed, extended and called, for members that are passed through. */
function stubClass(name: string): unknown {
  const Stub = function (this: Record<string, unknown>, ...args: unknown[]) {
    if (this) Object.assign(this, { args });
  } as unknown as { new (...args: unknown[]): unknown };
  Object.defineProperty(Stub, 'name', { value: name });
  return Stub;
}

function logChannel(name: string) {
  const lines: string[] = [];
  const write = (level: string) => (message: string) => lines.push(`[${level}] ${message}`);
  return {
    name,
    lines,
    logLevel: 2,
    onDidChangeLogLevel: new EventEmitter<number>().event,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warning'),
    error: (message: unknown) => lines.push(`[error] ${String(message)}`),
    append: (value: string) => lines.push(value),
    appendLine: (value: string) => lines.push(value),
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

export interface ShownMessage {
  severity: 'error' | 'warning' | 'information';
  message: string;
  items: string[];
}

export interface FakeOptions {
  /** `workspace.isTrusted`; true unless set. */
  trusted?: boolean;
  /** Picks the button the "user" clicks on a message; undefined dismisses it. */
  answer?: (message: ShownMessage) => string | undefined | Promise<string | undefined>;
}

export interface FakeVscode {
  module: Record<string, unknown>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  channels: Map<string, ReturnType<typeof logChannel>>;
  /** Every message shown, in order. */
  messages: ShownMessage[];
  /** The last text written to the clipboard. */
  clipboard: { text: string };
}

/** `settings` overrides configuration values by key, such as `{ 'runtime.port': 0 }`. */
export function createFakeVscode(settings: Record<string, unknown> = {}, options: FakeOptions = {}): FakeVscode {
  const messages: ShownMessage[] = [];
  const clipboard = { text: '' };
  const show = (severity: ShownMessage['severity']) => async (message: string, ...items: unknown[]) => {
    const shown = { severity, message, items: items.filter((item): item is string => typeof item === 'string') };
    messages.push(shown);
    return options.answer?.(shown);
  };
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const channels = new Map<string, ReturnType<typeof logChannel>>();
  const disposable = () => new Disposable();
  const event = () => new EventEmitter<unknown>().event;

  const api: Record<string, unknown> = {
    EventEmitter,
    Disposable,
    Uri,
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5, 0: 'Off', 1: 'Trace', 2: 'Debug', 3: 'Info', 4: 'Warning', 5: 'Error' },
    StatusBarAlignment: { Left: 1, Right: 2 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
    version: '1.100.3',
    env: { uiKind: 1, clipboard: { writeText: async (text: string) => void (clipboard.text = text) } },
    window: {
      createOutputChannel: (name: string) => {
        const channel = logChannel(name);
        channels.set(name, channel);
        return channel;
      },
      createTreeView: () => ({ description: undefined, dispose: () => undefined }),
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      registerTreeDataProvider: disposable,
      registerWebviewViewProvider: disposable,
      showErrorMessage: show('error'),
      showWarningMessage: show('warning'),
      showInformationMessage: show('information'),
      activeTextEditor: undefined,
      onDidChangeActiveTextEditor: event(),
      onDidChangeVisibleTextEditors: event(),
      visibleTextEditors: [],
      tabGroups: { all: [], onDidChangeTabs: event(), onDidChangeTabGroups: event() },
    },
    commands: {
      registerCommand: (id: string, callback: (...args: unknown[]) => unknown) => {
        commands.set(id, callback);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    workspace: {
      isTrusted: options.trusted ?? true,
      workspaceFolders: [],
      textDocuments: [],
      getConfiguration: () => ({ get: <T>(key: string, fallback?: T) => (key in settings ? (settings[key] as T) : fallback), has: () => false, inspect: () => undefined, update: async () => undefined }),
      createFileSystemWatcher: () => ({ onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose: () => undefined }),
      onDidChangeConfiguration: event(),
      onDidOpenTextDocument: event(),
      onDidCloseTextDocument: event(),
      onDidChangeTextDocument: event(),
      onDidSaveTextDocument: event(),
      onWillSaveTextDocument: event(),
      onDidChangeWorkspaceFolders: event(),
      onDidGrantWorkspaceTrust: event(),
      findFiles: async () => [],
      getWorkspaceFolder: () => undefined,
    },
    languages: { registerDocumentLinkProvider: disposable, createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined }) },
    debug: {
      registerDebugConfigurationProvider: disposable,
      registerDebugAdapterTrackerFactory: disposable,
      onDidStartDebugSession: event(),
      onDidTerminateDebugSession: event(),
      startDebugging: async () => false,
      stopDebugging: async () => undefined,
    },
    extensions: { getExtension: () => undefined, all: [], onDidChange: event() },
  };
  // Unknown namespace members: `on*` are events, anything else a function returning a disposable.
  for (const name of ['window', 'workspace', 'languages', 'debug', 'commands', 'env', 'extensions']) {
    api[name] = new Proxy(api[name] as Record<string, unknown>, {
      get(target, key: string) {
        if (!(key in target)) target[key] = key.startsWith('on') ? event() : () => new Disposable();
        return target[key];
      },
    });
  }
  const module = new Proxy(api, {
    get(target, key: string) {
      if (!(key in target)) target[key] = stubClass(String(key));
      return target[key];
    },
  });
  return { module, commands, channels, messages, clipboard };
}

/** Makes `require('vscode')` return the fake for the rest of this process. */
export function installFakeVscode(fake: FakeVscode): void {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return fake.module;
    return original.call(this, request, parent, isMain);
  };
}

export function fakeExtensionContext(extensionPath: string, fake: FakeVscode) {
  const state = new Map<string, unknown>();
  const memento = {
    get: <T>(key: string, fallback?: T) => (state.has(key) ? (state.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void state.set(key, value),
    keys: () => [...state.keys()],
  };
  return {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    extensionUri: (fake.module.Uri as typeof Uri).file(extensionPath),
    extensionPath,
    workspaceState: memento,
    globalState: { ...memento, setKeysForSync: () => undefined },
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: new EventEmitter<unknown>().event },
    extensionMode: 1,
    logUri: (fake.module.Uri as typeof Uri).file(path.join(extensionPath, 'out', 'logs')),
  };
}
