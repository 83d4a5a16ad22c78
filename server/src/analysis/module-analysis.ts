/**
 * Finds every export of one source file from its syntax tree, in each form users write: ES
 * module exports, `export default` objects and functions, `export =`, and CommonJS assignments
 * in JavaScript files. Only top-level statements are read, so names in comments, strings and
 * nested code are never taken for exports.
 */
import ts = require('typescript');
import { readAuthConfig } from './auth-config';
import { handlerShapeOf, requestBodyFieldsOf } from './handler-shape';
import { collectBindings, classifyIdentifier, classifyValue, rangeOfNode, unwrapExpression, type LocalBinding } from './local-bindings';
import type { ExportDecl, ModuleAnalysis } from './module-types';
import { objectLiteralOf, readObjectMembers } from './object-members';

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (lower.endsWith('.js') || lower.endsWith('.mjs') || lower.endsWith('.cjs')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
}

/** True when the parser reported no syntax errors. */
export function parsedCleanly(sourceFile: ts.SourceFile): boolean {
  // NOTE: `parseDiagnostics` is internal to TypeScript 5.9 (no public accessor exists without a
  // Program); a missing field is treated as a clean parse.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return !diagnostics || diagnostics.length === 0;
}

/** The analysis of a text that the parser rejected. */
export const UNPARSABLE: ModuleAnalysis = Object.freeze({ exports: [], stars: [], hints: [], parsed: false });

export function analyzeModule(fileName: string, text: string): ModuleAnalysis {
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = parseSource(fileName, text);
  } catch {
    // NOTE: the TypeScript 5.9.3 parser throws a "Debug Failure" on a few malformed inputs (for
    // example `@e await`). Such a text is treated as one that does not parse.
    return UNPARSABLE;
  }
  return analyzeSourceFile(sourceFile);
}

export function analyzeSourceFile(sourceFile: ts.SourceFile): ModuleAnalysis {
  const analysis: ModuleAnalysis = { exports: [], stars: [], hints: [], parsed: parsedCleanly(sourceFile) };
  const bindings = collectBindings(sourceFile);
  const commonJs = scriptKindOf(sourceFile.fileName) === ts.ScriptKind.JS;

  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      readDeclarationExport(statement, sourceFile, analysis);
    } else if (ts.isVariableStatement(statement)) {
      readVariableExport(statement, sourceFile, bindings, analysis);
    } else if (ts.isExportDeclaration(statement)) {
      readExportDeclaration(statement, sourceFile, bindings, analysis);
    } else if (ts.isExportAssignment(statement)) {
      readExportAssignment(statement, sourceFile, bindings, analysis);
    } else if (commonJs && ts.isExpressionStatement(statement)) {
      readCommonJsAssignment(statement.expression, sourceFile, bindings, analysis);
    }
  }
  return analysis;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}

function readDeclarationExport(
  statement: ts.FunctionDeclaration | ts.ClassDeclaration,
  sourceFile: ts.SourceFile,
  analysis: ModuleAnalysis,
): void {
  if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return;
  if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return;
  const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
  const defaultKeyword = ts.getModifiers(statement)?.find((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);
  const nameNode = isDefault ? defaultKeyword : statement.name;
  if (!nameNode) return;
  // An overload signature without a body is not a value.
  if (ts.isFunctionDeclaration(statement) && !statement.body) return;
  analysis.exports.push({
    name: isDefault ? 'default' : (statement.name as ts.Identifier).text,
    nameRange: rangeOfNode(nameNode, sourceFile),
    origin: isDefault ? 'default' : 'named',
    // The runtime calls handlers without `new`, so it does not serve classes.
    isHandler: ts.isFunctionDeclaration(statement),
    shape: ts.isFunctionDeclaration(statement) ? handlerShapeOf(statement, sourceFile) : 'unclear',
    bodyFields: ts.isFunctionDeclaration(statement) ? requestBodyFieldsOf(statement) : undefined,
    localName: statement.name?.text,
  });
}

function readVariableExport(
  statement: ts.VariableStatement,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  analysis: ModuleAnalysis,
): void {
  if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return;
  if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return;
  for (const declaration of statement.declarationList.declarations) {
    if (!ts.isIdentifier(declaration.name)) continue;
    const name = declaration.name.text;
    if (name === 'auth' && declaration.initializer) {
      analysis.auth = readAuthConfig(declaration.initializer, sourceFile);
    }
    const value = classifyValue(declaration.initializer, sourceFile, bindings);
    analysis.exports.push({
      name,
      nameRange: rangeOfNode(declaration.name, sourceFile),
      origin: 'named',
      isHandler: value.isHandler,
      shape: value.shape,
      bodyFields: value.bodyFields,
      localName: name,
      source: value.source,
    });
  }
}

function readExportDeclaration(
  statement: ts.ExportDeclaration,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  analysis: ModuleAnalysis,
): void {
  if (statement.isTypeOnly) return;
  const specifierNode = statement.moduleSpecifier;
  const specifier = specifierNode && ts.isStringLiteral(specifierNode) ? specifierNode.text : undefined;
  const clause = statement.exportClause;

  if (!clause) {
    if (specifier !== undefined && specifierNode) {
      analysis.stars.push({ specifier, range: rangeOfNode(specifierNode, sourceFile) });
    }
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    // `export * as ns from` exports one namespace object, which is never a handler.
    analysis.exports.push({
      name: moduleExportNameText(clause.name),
      nameRange: rangeOfNode(clause.name, sourceFile),
      origin: 'named',
      isHandler: false,
      shape: 'unclear',
    });
    return;
  }

  for (const element of clause.elements) {
    if (element.isTypeOnly) continue;
    const exportedName = moduleExportNameText(element.name);
    const localName = moduleExportNameText(element.propertyName ?? element.name);
    const nameRange = rangeOfNode(element.name, sourceFile);
    if (specifier !== undefined && specifierNode) {
      analysis.exports.push({
        name: exportedName,
        nameRange,
        origin: 'named',
        isHandler: true,
        shape: 'unclear',
        source: { specifier, importedName: localName, range: rangeOfNode(specifierNode, sourceFile) },
      });
      continue;
    }
    const value = classifyIdentifier(localName, sourceFile, bindings);
    if (localName === 'auth' && exportedName === 'auth') {
      const binding = bindings.get('auth');
      if (binding?.kind === 'variable' && binding.initializer) {
        analysis.auth = readAuthConfig(binding.initializer, sourceFile);
      }
    }
    analysis.exports.push({
      name: exportedName,
      nameRange,
      origin: 'named',
      isHandler: value.isHandler,
      shape: value.shape,
      bodyFields: value.bodyFields,
      localName,
      source: value.source,
    });
  }
}

function moduleExportNameText(name: ts.ModuleExportName): string {
  return name.text;
}

/** `export default <expression>` and `export = <expression>`. */
function readExportAssignment(
  statement: ts.ExportAssignment,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  analysis: ModuleAnalysis,
): void {
  readModuleValue(statement.expression, statement.isExportEquals ? 'export =' : 'default', sourceFile, bindings, analysis, statement);
}

/**
 * Reads the value a module gives as a whole. An object's members become exports of their own; any
 * other value is the `default` export, which serves `/` when it is a function.
 */
function readModuleValue(
  expression: ts.Expression,
  form: 'default' | 'export =' | 'module.exports',
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  analysis: ModuleAnalysis,
  nameNode: ts.Node,
): void {
  const literal = objectLiteralOf(expression, bindings);
  if (literal) {
    const members = readObjectMembers(literal, form === 'module.exports' ? 'commonjs' : 'default-member', sourceFile, bindings);
    analysis.exports.push(...members.exports);
    analysis.hints.push(...members.hints);
    if (members.authValue && !analysis.auth) analysis.auth = readAuthConfig(members.authValue, sourceFile);
    return;
  }
  const value = classifyValue(expression, sourceFile, bindings);
  const unwrapped = unwrapExpression(expression);
  const keywordRange = defaultNameRange(nameNode, sourceFile);
  analysis.exports.push({
    name: 'default',
    nameRange: keywordRange,
    origin: 'default',
    isHandler: value.isHandler,
    shape: value.shape,
    bodyFields: value.bodyFields,
    localName: ts.isIdentifier(unwrapped) ? unwrapped.text : undefined,
    source: value.source,
  });
}

/** Returns the range of the `default` or `=` token of a default export, or of the whole node. */
function defaultNameRange(node: ts.Node, sourceFile: ts.SourceFile): { start: number; end: number } {
  if (ts.isExportAssignment(node)) {
    const start = node.getStart(sourceFile);
    const text = sourceFile.text;
    const keyword = node.isExportEquals ? '=' : 'default';
    const index = text.indexOf(keyword, start + 'export'.length);
    if (index >= 0 && index < node.expression.getStart(sourceFile)) {
      return { start: index, end: index + keyword.length };
    }
  }
  return rangeOfNode(node, sourceFile);
}

/** `exports.x = …`, `module.exports.x = …`, `exports['x'] = …` and `module.exports = …`. */
function readCommonJsAssignment(
  expression: ts.Expression,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  analysis: ModuleAnalysis,
): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left;
  if (isModuleExports(target)) {
    readModuleValue(expression.right, 'module.exports', sourceFile, bindings, analysis, target);
    return;
  }
  const member = exportsMember(target);
  if (!member) return;
  if (member.name === 'auth') analysis.auth = readAuthConfig(expression.right, sourceFile);
  // `exports.x = helpers.x` is how CommonJS modules pass handlers on, so property reads count.
  const value = classifyValue(expression.right, sourceFile, bindings, true);
  const right = unwrapExpression(expression.right);
  analysis.exports.push({
    name: member.name,
    nameRange: rangeOfNode(member.node, sourceFile),
    origin: 'commonjs',
    isHandler: value.isHandler,
    shape: value.shape,
    bodyFields: value.bodyFields,
    localName: ts.isIdentifier(right) ? right.text : undefined,
    source: value.source,
  });
}

function isModuleExports(node: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports'
  );
}

/** Returns the member name of `exports.x`, `module.exports.x` or `exports['x']`. */
function exportsMember(node: ts.Expression): { name: string; node: ts.Node } | undefined {
  let object: ts.Expression;
  let name: string;
  let nameNode: ts.Node;
  if (ts.isPropertyAccessExpression(node)) {
    object = node.expression;
    name = node.name.text;
    nameNode = node.name;
  } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    object = node.expression;
    name = node.argumentExpression.text;
    nameNode = node.argumentExpression;
  } else {
    return undefined;
  }
  const isExportsObject = (ts.isIdentifier(object) && object.text === 'exports') || isModuleExports(object);
  return isExportsObject ? { name, node: nameNode } : undefined;
}

export type { ExportDecl };
