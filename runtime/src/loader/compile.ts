/**
 * Compiles user TypeScript and JavaScript to CommonJS in process, with inline source maps that
 * point at the original file, so that a debugger binds breakpoints in the `.ts` source.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TypeScript from 'typescript';

/** A syntax or load error located in a user file. */
export class LoadError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** `file:line:column message`, the form editors and terminals link. */
  get location(): string {
    return this.line === undefined ? this.file : `${this.file}:${this.line}:${this.column ?? 1}`;
  }
}

/** The exports key under which a module with top-level await keeps its completion promise. */
export const TOP_LEVEL_AWAIT = Symbol.for('sinch-functions-dev.topLevelAwait');

let typescript: typeof TypeScript | undefined;

/** Loads the TypeScript compiler that ships with this runtime, never the user's copy. */
function ts(): typeof TypeScript {
  typescript ??= require('typescript') as typeof TypeScript;
  return typescript;
}

function hasTopLevelAwait(source: string, fileName: string): boolean {
  if (!source.includes('await')) return false;
  const api = ts();
  const sourceFile = api.createSourceFile(fileName, source, api.ScriptTarget.Latest, false);
  let found = false;
  const visit = (node: TypeScript.Node): void => {
    if (found || api.isFunctionLike(node) || api.isClassLike(node)) return;
    if (api.isAwaitExpression(node) || (api.isForOfStatement(node) && node.awaitModifier !== undefined)) {
      found = true;
      return;
    }
    api.forEachChild(node, visit);
  };
  api.forEachChild(sourceFile, visit);
  return found;
}

/**
 * Compiles one file to CommonJS. Throws a `LoadError` with the first syntax error's position.
 * A module with top-level await is wrapped in an async function whose promise is stored under
 * `TOP_LEVEL_AWAIT` on its exports; the loader awaits it before serving.
 */
export function compileModule(source: string, fileName: string): string {
  const api = ts();
  const output = api.transpileModule(source.replace(/^\uFEFF/, ''), {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: api.ModuleKind.CommonJS,
      target: api.ScriptTarget.ES2022,
      esModuleInterop: true,
      allowJs: true,
      inlineSourceMap: true,
      inlineSources: true,
      sourceMap: false,
      verbatimModuleSyntax: false,
      isolatedModules: true,
    },
  });

  const error = output.diagnostics?.find((diagnostic) => diagnostic.category === api.DiagnosticCategory.Error);
  if (error) {
    const message = api.flattenDiagnosticMessageText(error.messageText, '\n');
    if (error.file && error.start !== undefined) {
      const { line, character } = error.file.getLineAndCharacterOfPosition(error.start);
      throw new LoadError(`Syntax error: ${message}`, fileName, line + 1, character + 1);
    }
    throw new LoadError(`Syntax error: ${message}`, fileName);
  }

  // The source map names the original file by URL so that paths with spaces or non-ASCII
  // characters survive, and the debugger maps the compiled script back to it.
  const mapPattern = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
  const match = mapPattern.exec(output.outputText);
  let body = match ? output.outputText.slice(0, match.index) : output.outputText;
  let mapComment = '';
  if (match) {
    const map = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'));
    map.sources = [pathToFileURL(fileName).href];
    map.file = path.basename(fileName);
    mapComment = `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
  }

  if (hasTopLevelAwait(source, fileName)) {
    // The prefix stays on the first line, so every later line keeps its number and the source
    // map stays right for all of them.
    body = `exports[Symbol.for('sinch-functions-dev.topLevelAwait')] = (async () => {${body}\n})();`;
  }
  const code = `${body}\n${mapComment}`;
  return code;
}
