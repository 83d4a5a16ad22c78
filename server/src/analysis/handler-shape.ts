/**
 * Guesses from its source what a handler was written to receive: an HTTP request (a custom
 * endpoint) or a Voice API callback. Reserved voice names are served as voice callbacks whatever
 * the code does, so this guess decides whether such a name gets a warning or only a note.
 */
// A plain require: an `import * as` namespace would put a getter in front of every ts.* call.
import ts = require('typescript');

export type HandlerShape = 'custom' | 'voice' | 'unclear';

const REQUEST_PARAMETER_NAMES = new Set(['request', 'req']);
const REQUEST_FIELDS = new Set(['body', 'method', 'headers', 'query', 'path']);
const REQUEST_TYPE = /\bFunctionRequest\b/;
const RESPONSE_TYPE = /\bFunctionResponse\b/;
const VOICE_TYPE = /\b(?:Ice|Ace|Pie|Dice|Notify)(?:Callback|Request|Event)\b|\bVoiceCallback\b/;
const VOICE_FIELDS = new Set(['callid', 'cli', 'menuResult', 'amd', 'callResourceUrl']);
const VOICE_BUILDERS = new Set([
  'IceSvamlBuilder',
  'AceSvamlBuilder',
  'PieSvamlBuilder',
  'createIceBuilder',
  'createAceBuilder',
  'createPieBuilder',
  'createMenu',
]);

/** Largest number of nodes inspected in one handler body; a bigger body is judged on what was seen. */
const MAX_INSPECTED_NODES = 5000;

type FunctionLike = ts.SignatureDeclaration & { body?: ts.Node };

interface Signals {
  custom: number;
  voice: number;
}

/**
 * Shapes by syntax node. The incremental parser reuses the nodes of unchanged code, with the same
 * text, so a shape computed once stays valid for as long as its node is alive.
 */
const shapeCache = new WeakMap<ts.Node, HandlerShape>();

/** Classifies a function, method, accessor or class by its parameters, types and body. */
export function handlerShapeOf(node: ts.Node, sourceFile: ts.SourceFile): HandlerShape {
  const cached = shapeCache.get(node);
  if (cached !== undefined) return cached;
  const shape = computeShape(node, sourceFile);
  shapeCache.set(node, shape);
  return shape;
}

function computeShape(node: ts.Node, sourceFile: ts.SourceFile): HandlerShape {
  const fn = functionOf(node);
  if (!fn) return 'unclear';
  const signals: Signals = { custom: 0, voice: 0 };
  const requestNames = new Set<string>();

  fn.parameters.forEach((parameter, index) => {
    const name = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
    if (name !== undefined && REQUEST_PARAMETER_NAMES.has(name)) signals.custom++;
    if (name !== undefined && (index === 1 || REQUEST_PARAMETER_NAMES.has(name))) requestNames.add(name);
    if (parameter.type) {
      const typeText = parameter.type.getText(sourceFile);
      if (REQUEST_TYPE.test(typeText)) signals.custom++;
      if (VOICE_TYPE.test(typeText)) signals.voice++;
    }
  });
  if (fn.type && RESPONSE_TYPE.test(fn.type.getText(sourceFile))) signals.custom++;
  if (fn.body) inspectBody(fn.body, requestNames, signals);

  if (signals.custom > 0 && signals.voice === 0) return 'custom';
  if (signals.voice > 0 && signals.custom === 0) return 'voice';
  return 'unclear';
}

/** The function a handler node stands for: itself, or the function a getter returns. */
function functionOf(node: ts.Node): FunctionLike | undefined {
  if (ts.isGetAccessorDeclaration(node)) {
    const returned = node.body?.statements.find(ts.isReturnStatement)?.expression;
    return returned && isFunctionLike(returned) ? returned : undefined;
  }
  if (isFunctionLike(node)) return node;
  return undefined;
}

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

function inspectBody(body: ts.Node, requestNames: ReadonlySet<string>, signals: Signals): void {
  let budget = MAX_INSPECTED_NODES;
  const visit = (node: ts.Node): void => {
    if (budget-- <= 0) return;
    if (ts.isPropertyAccessExpression(node)) {
      const field = node.name.text;
      if (
        REQUEST_FIELDS.has(field) &&
        ts.isIdentifier(node.expression) &&
        requestNames.has(node.expression.text)
      ) {
        signals.custom++;
      }
      if (VOICE_FIELDS.has(field)) signals.voice++;
    } else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      // Without parent pointers the walk cannot tell a returned object from a local one. An
      // object with `statusCode` inside a handler is almost always the response being built.
      if (ts.isIdentifier(node.name) && node.name.text === 'statusCode') signals.custom++;
    } else if (ts.isIdentifier(node) && VOICE_BUILDERS.has(node.text)) {
      signals.voice++;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
}


const bodyFieldsCache = new WeakMap<ts.Node, readonly string[] | null>();

/**
 * Returns the fields a handler reads from its request body, or undefined when it never reads
 * `request.body`. Seen forms: `request.body.x`, `request.body?.x`, a local set from
 * `request.body` (with or without a type assertion) and then read as `body.x`, and
 * `const { x } = request.body`. An empty array means the body is read as a whole.
 */
export function requestBodyFieldsOf(node: ts.Node): readonly string[] | undefined {
  const cached = bodyFieldsCache.get(node);
  if (cached !== undefined) return cached ?? undefined;
  const fields = computeBodyFields(node);
  bodyFieldsCache.set(node, fields ?? null);
  return fields;
}

function computeBodyFields(node: ts.Node): readonly string[] | undefined {
  const fn = functionOf(node);
  if (!fn?.body) return undefined;
  const requestNames = new Set<string>();
  fn.parameters.forEach((parameter, index) => {
    const name = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
    if (name !== undefined && (index === 1 || REQUEST_PARAMETER_NAMES.has(name))) requestNames.add(name);
  });
  if (requestNames.size === 0) return undefined;

  const isRequestBody = (expression: ts.Expression): boolean => {
    const value = skipAssertions(expression);
    return (
      ts.isPropertyAccessExpression(value) &&
      value.name.text === 'body' &&
      ts.isIdentifier(value.expression) &&
      requestNames.has(value.expression.text)
    );
  };
  let readsBody = false;
  const bodyNames = new Set<string>();
  const fields = new Set<string>();
  let budget = MAX_INSPECTED_NODES;
  const visit = (current: ts.Node): void => {
    if (budget-- <= 0) return;
    if (ts.isPropertyAccessExpression(current) && isRequestBody(current)) readsBody = true;
    if (ts.isVariableDeclaration(current) && current.initializer && isRequestBody(current.initializer)) {
      if (ts.isIdentifier(current.name)) bodyNames.add(current.name.text);
      else if (ts.isObjectBindingPattern(current.name)) {
        for (const element of current.name.elements) {
          const key = element.propertyName ?? element.name;
          if (!element.dotDotDotToken && (ts.isIdentifier(key) || ts.isStringLiteral(key))) fields.add(key.text);
        }
      }
    }
    if (ts.isPropertyAccessExpression(current)) {
      const target = skipAssertions(current.expression);
      if (isRequestBody(target) || (ts.isIdentifier(target) && bodyNames.has(target.text))) fields.add(current.name.text);
    }
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn.body, visit);
  return readsBody ? [...fields] : undefined;
}

/** Strips parentheses, `as T`, `<T>x` and `x!` around an expression. */
function skipAssertions(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (let depth = 0; depth < 16; depth++) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isSatisfiesExpression(current)
    ) {
      current = current.expression;
    } else {
      break;
    }
  }
  return current;
}
