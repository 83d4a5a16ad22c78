/**
 * The top-level bindings of a module (functions, classes, variables, imports and types), and the
 * classification of an exported value: is it a handler the runtime would serve, and what does it
 * look like it receives.
 */
import ts = require('typescript');
import type { OffsetRange } from '../text/line-index';
import { handlerShapeOf, requestBodyFieldsOf, type HandlerShape } from './handler-shape';
import type { ExportSource } from './module-types';

export type LocalBinding =
  | { kind: 'function'; node: ts.FunctionDeclaration | ts.ClassDeclaration }
  | { kind: 'variable'; initializer: ts.Expression | undefined }
  | { kind: 'import'; specifier: string; importedName: string; range: OffsetRange; typeOnly: boolean }
  | { kind: 'type' };

export interface ValueClass {
  isHandler: boolean;
  shape: HandlerShape;
  bodyFields?: readonly string[];
  source?: ExportSource;
}

const NOT_A_HANDLER: ValueClass = { isHandler: false, shape: 'unclear' };
const UNCLEAR_HANDLER: ValueClass = { isHandler: true, shape: 'unclear' };
const MAX_DEPTH = 16;

export function rangeOfNode(node: ts.Node, sourceFile: ts.SourceFile): OffsetRange {
  return { start: node.getStart(sourceFile), end: node.getEnd() };
}

/** Collects the module's top-level bindings by name. */
export function collectBindings(sourceFile: ts.SourceFile): Map<string, LocalBinding> {
  const bindings = new Map<string, LocalBinding>();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      if (statement.name) bindings.set(statement.name.text, { kind: 'function', node: statement });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) {
          bindings.set(declaration.name.text, { kind: 'variable', initializer: declaration.initializer });
        }
      }
    } else if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)
    ) {
      bindings.set(statement.name.text, { kind: 'type' });
    } else if (ts.isImportDeclaration(statement)) {
      collectImportBindings(statement, sourceFile, bindings);
    }
  }
  return bindings;
}

function collectImportBindings(
  statement: ts.ImportDeclaration,
  sourceFile: ts.SourceFile,
  bindings: Map<string, LocalBinding>,
): void {
  const clause = statement.importClause;
  if (!clause || !ts.isStringLiteral(statement.moduleSpecifier)) return;
  const specifier = statement.moduleSpecifier.text;
  const range = rangeOfNode(statement.moduleSpecifier, sourceFile);
  const clauseTypeOnly = clause.isTypeOnly;
  if (clause.name) {
    bindings.set(clause.name.text, { kind: 'import', specifier, importedName: 'default', range, typeOnly: clauseTypeOnly });
  }
  const named = clause.namedBindings;
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements) {
      const importedName = (element.propertyName ?? element.name).text;
      bindings.set(element.name.text, {
        kind: 'import',
        specifier,
        importedName,
        range,
        typeOnly: clauseTypeOnly || element.isTypeOnly,
      });
    }
  } else if (named && ts.isNamespaceImport(named)) {
    // A namespace object is never a function.
    bindings.set(named.name.text, { kind: 'type' });
  }
}

/** Strips parentheses and `as`, `satisfies`, `!` and `<T>` wrappers. */
export function unwrapExpression(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (let depth = 0; depth < 64; depth++) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else {
      break;
    }
  }
  return current;
}

/**
 * Classifies an exported value. Function and arrow expressions are handlers; calls are
 * handlers of unknown shape (wrappers such as `onCall(...)` return functions); identifiers are
 * followed to their binding. `looseMembers` is set for members of the default export object,
 * where property reads such as `handlers.ice` are almost always functions.
 */
export function classifyValue(
  expression: ts.Expression | undefined,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  looseMembers = false,
  depth = 0,
): ValueClass {
  if (!expression || depth > MAX_DEPTH) return NOT_A_HANDLER;
  const value = unwrapExpression(expression);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
    return { isHandler: true, shape: handlerShapeOf(value, sourceFile), bodyFields: requestBodyFieldsOf(value) };
  }
  // The runtime calls handlers without `new`, so it does not serve classes.
  if (ts.isClassExpression(value)) return NOT_A_HANDLER;
  if (ts.isCallExpression(value)) return isRequireCall(value) ? NOT_A_HANDLER : UNCLEAR_HANDLER;
  if (ts.isConditionalExpression(value)) {
    const whenTrue = classifyValue(value.whenTrue, sourceFile, bindings, looseMembers, depth + 1);
    return whenTrue.isHandler ? whenTrue : classifyValue(value.whenFalse, sourceFile, bindings, looseMembers, depth + 1);
  }
  if (ts.isIdentifier(value)) return classifyIdentifier(value.text, sourceFile, bindings, looseMembers, depth);
  if (looseMembers && (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value))) {
    return UNCLEAR_HANDLER;
  }
  return NOT_A_HANDLER;
}

export function classifyIdentifier(
  name: string,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  looseMembers = false,
  depth = 0,
): ValueClass {
  const binding = bindings.get(name);
  if (!binding) return looseMembers ? UNCLEAR_HANDLER : NOT_A_HANDLER;
  switch (binding.kind) {
    case 'function':
      if (!ts.isFunctionDeclaration(binding.node)) return NOT_A_HANDLER; // A class.
      return { isHandler: true, shape: handlerShapeOf(binding.node, sourceFile), bodyFields: requestBodyFieldsOf(binding.node) };
    case 'variable':
      return classifyValue(binding.initializer, sourceFile, bindings, looseMembers, depth + 1);
    case 'import':
      if (binding.typeOnly) return NOT_A_HANDLER;
      return {
        isHandler: true,
        shape: 'unclear',
        source: { specifier: binding.specifier, importedName: binding.importedName, range: binding.range },
      };
    case 'type':
      return NOT_A_HANDLER;
  }
}

function isRequireCall(call: ts.CallExpression): boolean {
  return ts.isIdentifier(call.expression) && call.expression.text === 'require';
}
