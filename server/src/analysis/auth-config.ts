/** Reads the value of `export const auth`: `'*'` or an array of handler names. */
import ts = require('typescript');
import { rangeOfNode, unwrapExpression } from './local-bindings';
import type { AuthConfig, AuthEntry } from './module-types';

export function readAuthConfig(expression: ts.Expression, sourceFile: ts.SourceFile): AuthConfig {
  const value = unwrapExpression(expression);
  const range = rangeOfNode(value, sourceFile);
  if ((ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && value.text === '*') {
    return { kind: 'all', range };
  }
  if (!ts.isArrayLiteralExpression(value)) return { kind: 'invalid', range };

  const entries: AuthEntry[] = [];
  const elements = value.elements;
  elements.forEach((element, index) => {
    // Entries that are not literals (constants, spreads) cannot be checked and are left alone.
    if (!ts.isStringLiteral(element) && !ts.isNoSubstitutionTemplateLiteral(element)) return;
    const elementRange = rangeOfNode(element, sourceFile);
    let removalRange = elementRange;
    if (index + 1 < elements.length) {
      removalRange = { start: elementRange.start, end: elements[index + 1].getStart(sourceFile) };
    } else if (index > 0) {
      removalRange = { start: elements[index - 1].getEnd(), end: elementRange.end };
    }
    entries.push({ value: element.text, range: elementRange, removalRange });
  });
  return { kind: 'list', range, entries };
}
