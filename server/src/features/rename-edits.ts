/**
 * Computes the edits that rename one export in its file: the export name, and when the name is
 * also a top-level binding, every use of that binding that is not shadowed by a nested
 * declaration. Property names (`x.name`, `{ name: … }`) are not uses and stay as they are.
 */
import ts = require('typescript');
import type { OffsetRange } from '../text/line-index';

export interface OffsetTextEdit {
  range: OffsetRange;
  newText: string;
}

/** Returns the edits, or an empty list when nothing at `nameStart` can be renamed. */
export function renameExportEdits(sourceFile: ts.SourceFile, nameStart: number, newName: string): OffsetTextEdit[] {
  const found = findWithParent(sourceFile, nameStart);
  if (!found) return [];
  const { node, parent } = found;

  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    // A quoted key, `exports['x']`, or a string export name: keep the quotes.
    const start = node.getStart(sourceFile);
    const end = node.getEnd();
    // An unterminated literal has no closing quote to keep.
    const closed = end - start >= 2 && sourceFile.text.charAt(end - 1) === sourceFile.text.charAt(start);
    return [{ range: { start: start + 1, end: closed ? end - 1 : end }, newText: newName }];
  }
  if (!ts.isIdentifier(node) || !parent) return [];
  const oldName = node.text;

  if (ts.isExportSpecifier(parent) && parent.propertyName && parent.name === node) {
    return [replace(node, sourceFile, newName)];
  }
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    return exportsMemberEdits(sourceFile, oldName, newName);
  }
  if (
    (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessorDeclaration(parent)) &&
    parent.name === node
  ) {
    return [replace(node, sourceFile, newName)];
  }
  if (ts.isShorthandPropertyAssignment(parent)) {
    return bindingEdits(sourceFile, oldName, newName, parent);
  }
  return bindingEdits(sourceFile, oldName, newName, undefined);
}

function replace(node: ts.Node, sourceFile: ts.SourceFile, newText: string): OffsetTextEdit {
  return { range: { start: node.getStart(sourceFile), end: node.getEnd() }, newText };
}

function findWithParent(sourceFile: ts.SourceFile, offset: number): { node: ts.Node; parent: ts.Node | undefined } | undefined {
  let result: { node: ts.Node; parent: ts.Node | undefined } | undefined;
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    if (result) return;
    const start = node.getStart(sourceFile);
    if (offset < node.pos || offset > node.getEnd()) return;
    if (start === offset && (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      result = { node, parent };
      return;
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  ts.forEachChild(sourceFile, (child) => visit(child, sourceFile));
  return result;
}

/** Renames `exports.x` and `module.exports.x` everywhere in the file. */
function exportsMemberEdits(sourceFile: ts.SourceFile, oldName: string, newName: string): OffsetTextEdit[] {
  const edits: OffsetTextEdit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === oldName && isExportsObject(node.expression)) {
      edits.push(replace(node.name, sourceFile, newName));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return edits;
}

function isExportsObject(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'exports';
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

/**
 * Renames a top-level binding and its uses. A shorthand property `{ name }` keeps its key
 * (`{ name: newName }`) unless it is the export being renamed, whose key is the export name.
 */
function bindingEdits(
  sourceFile: ts.SourceFile,
  oldName: string,
  newName: string,
  exportedShorthand: ts.ShorthandPropertyAssignment | undefined,
): OffsetTextEdit[] {
  const edits: OffsetTextEdit[] = [];
  const visit = (node: ts.Node, parent: ts.Node): void => {
    if (node !== sourceFile && declaresLocally(node, oldName, parent)) return;

    if (ts.isShorthandPropertyAssignment(node) && node.name.text === oldName) {
      const text = node === exportedShorthand ? newName : `${oldName}: ${newName}`;
      edits.push(replace(node.name, sourceFile, text));
      if (node.objectAssignmentInitializer) visit(node.objectAssignmentInitializer, node);
      return;
    }
    if (ts.isIdentifier(node) && node.text === oldName && isUse(node, parent)) {
      edits.push(replace(node, sourceFile, newName));
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  ts.forEachChild(sourceFile, (child) => visit(child, sourceFile));
  return edits;
}

/** False for identifiers in name positions that do not refer to a binding. */
function isUse(node: ts.Identifier, parent: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  if (ts.isExportSpecifier(parent) && parent.propertyName && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) && parent.propertyName === node) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isJsxAttribute(parent)) return false;
  return true;
}

/**
 * True when a nested function, block, class or catch clause declares its own binding of the name,
 * so that the uses inside it refer to that binding and not to the top-level one.
 */
function declaresLocally(node: ts.Node, name: string, parent: ts.Node): boolean {
  if (ts.isFunctionLike(node)) {
    const fn = node as ts.SignatureDeclaration & { body?: ts.Node };
    if (fn.parameters.some((parameter) => bindsName(parameter.name, name))) return true;
    if (fn.body && ts.isBlock(fn.body) && blockDeclares(fn.body, name, true)) return true;
    // A named function expression's own name is visible inside it only.
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name?.text === name) return true;
    return false;
  }
  if (ts.isBlock(node) && !ts.isFunctionLike(parent)) return blockDeclares(node, name, false);
  if (ts.isCatchClause(node)) return node.variableDeclaration !== undefined && bindsName(node.variableDeclaration.name, name);
  if ((ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    return node.initializer.declarations.some((declaration) => bindsName(declaration.name, name));
  }
  return false;
}

function blockDeclares(block: ts.Block, name: string, includeVar: boolean): boolean {
  return block.statements.some((statement) => {
    if (ts.isVariableStatement(statement)) {
      const isVar = (statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0;
      if (isVar && !includeVar) return false;
      return statement.declarationList.declarations.some((declaration) => bindsName(declaration.name, name));
    }
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name?.text === name;
    return false;
  });
}

function bindsName(binding: ts.BindingName | undefined, name: string): boolean {
  // Error recovery can leave a declaration without a name.
  if (!binding) return false;
  if (ts.isIdentifier(binding)) return binding.text === name;
  if (!ts.isObjectBindingPattern(binding) && !ts.isArrayBindingPattern(binding)) return false;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name));
}
