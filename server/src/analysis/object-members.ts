/**
 * Reads the members of the object that `export default`, `export =` or `module.exports =` gives:
 * methods, function and arrow properties, shorthand properties, quoted and computed string keys,
 * getters, and spreads of local objects. Each member is an export of its own to the runtime.
 */
import ts = require('typescript');
import { handlerShapeOf, requestBodyFieldsOf } from './handler-shape';
import {
  classifyIdentifier,
  classifyValue,
  rangeOfNode,
  unwrapExpression,
  type LocalBinding,
  type ValueClass,
} from './local-bindings';
import type { AnalysisHint, ExportDecl, ExportOrigin } from './module-types';

const MAX_SPREAD_DEPTH = 8;

export interface ObjectMembers {
  exports: ExportDecl[];
  hints: AnalysisHint[];
  /** The value of an `auth` member, if the object has one. */
  authValue?: ts.Expression;
}

/** Returns the object literal an expression stands for: itself, or a local constant's initializer. */
export function objectLiteralOf(
  expression: ts.Expression,
  bindings: ReadonlyMap<string, LocalBinding>,
): ts.ObjectLiteralExpression | undefined {
  let value = unwrapExpression(expression);
  for (let depth = 0; depth < MAX_SPREAD_DEPTH && ts.isIdentifier(value); depth++) {
    const binding = bindings.get(value.text);
    if (binding?.kind !== 'variable' || !binding.initializer) return undefined;
    value = unwrapExpression(binding.initializer);
  }
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

export function readObjectMembers(
  literal: ts.ObjectLiteralExpression,
  origin: ExportOrigin,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
): ObjectMembers {
  const result: ObjectMembers = { exports: [], hints: [] };
  readInto(literal, origin, sourceFile, bindings, result, new Set(), 0);
  return result;
}

function readInto(
  literal: ts.ObjectLiteralExpression,
  origin: ExportOrigin,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  result: ObjectMembers,
  visited: Set<ts.Node>,
  depth: number,
): void {
  if (visited.has(literal) || depth > MAX_SPREAD_DEPTH) return;
  visited.add(literal);

  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      readSpread(property, origin, sourceFile, bindings, result, visited, depth);
      continue;
    }
    if (ts.isSetAccessorDeclaration(property)) continue;

    const key = memberKey(property.name);
    if (key === undefined) {
      result.hints.push({
        code: 'computed-key',
        message: 'This member has a computed key that is not a string literal, so the editor cannot tell which route it serves.',
        range: rangeOfNode(property.name, sourceFile),
      });
      continue;
    }

    let value: ValueClass;
    let localName: string | undefined;
    if (ts.isPropertyAssignment(property)) {
      if (key === 'auth') result.authValue = property.initializer;
      value = classifyValue(property.initializer, sourceFile, bindings, true);
      const initializer = unwrapExpression(property.initializer);
      if (ts.isIdentifier(initializer)) localName = initializer.text;
    } else if (ts.isShorthandPropertyAssignment(property)) {
      if (key === 'auth') result.authValue = property.name;
      value = classifyIdentifier(property.name.text, sourceFile, bindings, true);
      localName = property.name.text;
    } else {
      // Methods and getters.
      value = { isHandler: true, shape: handlerShapeOf(property, sourceFile), bodyFields: requestBodyFieldsOf(property) };
    }

    result.exports.push({
      name: key,
      nameRange: rangeOfNode(property.name, sourceFile),
      origin,
      isHandler: value.isHandler,
      shape: value.shape,
      bodyFields: value.bodyFields,
      localName,
      source: value.source,
    });
  }
}

function readSpread(
  spread: ts.SpreadAssignment,
  origin: ExportOrigin,
  sourceFile: ts.SourceFile,
  bindings: ReadonlyMap<string, LocalBinding>,
  result: ObjectMembers,
  visited: Set<ts.Node>,
  depth: number,
): void {
  const target = objectLiteralOf(spread.expression, bindings);
  if (target) {
    readInto(target, origin, sourceFile, bindings, result, visited, depth + 1);
    return;
  }
  result.hints.push({
    code: 'unresolved-spread',
    message:
      'The members of this spread are not visible to the editor, so the endpoints it adds have no lenses or checks. Spread a local object literal, or list the handlers here.',
    range: rangeOfNode(spread, sourceFile),
  });
}

/** Returns the key of a member as the runtime reads it, or undefined when it is computed at run time. */
function memberKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  if (ts.isComputedPropertyName(name)) {
    const expression = unwrapExpression(name.expression);
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
    if (ts.isNumericLiteral(expression)) return expression.text;
  }
  return undefined;
}
