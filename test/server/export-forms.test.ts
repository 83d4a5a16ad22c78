/**
 * A table of the export forms users write, and what the analysis finds in each: the export
 * names, whether each is a handler, and how it is written.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeModule } from '../../server/src/analysis/module-analysis';

interface FormCase {
  form: string;
  file?: string;
  source: string;
  /** `name` for a handler, `name:value` for an export that is not one, `name@origin` to check the origin. */
  expected: string[];
}

const FORMS: FormCase[] = [
  { form: 'export function', source: 'export function status() {}', expected: ['status@named'] },
  { form: 'export async function', source: 'export async function status() {}', expected: ['status'] },
  { form: 'export const arrow', source: 'export const status = async () => 1;', expected: ['status'] },
  { form: 'export let function expression', source: 'export let status = function () {};', expected: ['status'] },
  { form: 'export class is not served', source: 'export class conversationWebhook {}', expected: ['conversationWebhook:value'] },
  { form: 'export const class expression is not served', source: 'export const status = class {};', expected: ['status:value'] },
  { form: 'export const wrapped call', source: 'export const voiceWebhook = onCall({});', expected: ['voiceWebhook'] },
  { form: 'export const with satisfies and as', source: 'export const status = ((() => 1) satisfies Handler) as Handler;', expected: ['status'] },
  { form: 'export const of a local function', source: 'function run() {}\nexport const status = run;', expected: ['status'] },
  { form: 'export { a as b }', source: 'function run() {}\nexport { run as status };', expected: ['status'] },
  { form: 'export { x } of a local', source: 'const status = () => 1;\nexport { status };', expected: ['status'] },
  { form: 'export { x } from', source: "export { status } from './other.js';", expected: ['status'] },
  { form: 'export { x as y } from', source: "export { status as health } from './other.js';", expected: ['health'] },
  { form: "export { x as 'string name' }", source: "const run = () => 1;\nexport { run as 'quoted-name' };", expected: ['quoted-name'] },
  { form: 'export of an import', source: "import { run } from './other.js';\nexport { run };", expected: ['run'] },
  { form: 'export * as namespace', source: "export * as voice from './voice.js';", expected: ['voice:value'] },
  { form: 'export default function', source: 'export default function () {}', expected: ['default@default'] },
  { form: 'export default named function', source: 'export default function root() {}', expected: ['default@default'] },
  { form: 'export default arrow', source: 'export default async () => 1;', expected: ['default@default'] },
  { form: 'export default class is not served', source: 'export default class Root {}', expected: ['default:value'] },
  {
    form: 'export default object',
    source: [
      'function pie() {}',
      'const more = { extra() {} };',
      'export default {',
      '  async ice() {},',
      '  ace: async () => 1,',
      '  dice: function () {},',
      '  pie,',
      "  'quoted-key': () => 1,",
      "  ['computed']: () => 1,",
      '  get lazy() { return () => 1; },',
      '  set ignored(value) {},',
      '  ...more,',
      "  label: 'text',",
      '  count: 3,',
      '};',
    ].join('\n'),
    expected: ['ice@default-member', 'ace', 'dice', 'pie', 'quoted-key', 'computed', 'lazy', 'extra', 'label:value', 'count:value'],
  },
  {
    form: 'export default object with satisfies and as',
    source: 'export default ({ ice: async () => 1 } satisfies VoiceFunction) as VoiceFunction;',
    expected: ['ice@default-member'],
  },
  { form: 'export default of a local object', source: 'const handlers = { status() {} };\nexport default handlers;', expected: ['status@default-member'] },
  { form: 'export = object', source: 'export = { status: () => 1 };', expected: ['status@default-member'] },
  { form: 'export = function', source: 'function root() {}\nexport = root;', expected: ['default@default'] },
  { form: 'exports.x', file: 'function.js', source: 'exports.status = async () => 1;', expected: ['status@commonjs'] },
  { form: 'module.exports.x', file: 'function.js', source: 'module.exports.status = function () {};', expected: ['status@commonjs'] },
  { form: "exports['x']", file: 'function.js', source: "exports['quoted'] = () => 1;", expected: ['quoted@commonjs'] },
  {
    form: 'module.exports = object',
    file: 'function.js',
    source: 'function ice() {}\nmodule.exports = { ice, status: () => 1, version: 2 };',
    expected: ['ice@commonjs', 'status', 'version:value'],
  },
  { form: 'module.exports = function', file: 'function.js', source: 'module.exports = function () {};', expected: ['default@default'] },
  { form: 'exports.x in a TypeScript file is not CommonJS', source: 'exports.status = () => 1;', expected: [] },
  { form: 'non-function constants', source: "export const port = 3000;\nexport const name = 'x';\nexport const list = [1];", expected: ['port:value', 'name:value', 'list:value'] },
  { form: 'require result', file: 'function.js', source: "const lib = require('lib');\nexports.lib = lib;", expected: ['lib:value'] },
  { form: 'types, interfaces and enums', source: 'export interface A {}\nexport type B = string;\nexport enum C { X }\nexport declare function d(): void;', expected: [] },
  { form: 'type-only exports', source: "export type { A } from './a.js';\nexport { type B } from './b.js';", expected: [] },
  { form: 'an exported type alias of a local', source: 'interface A {}\nexport { A };', expected: ['A:value'] },
  { form: 'overload signatures', source: 'export function status(a: string): void;\nexport function status(a: unknown) {}', expected: ['status'] },
  {
    form: 'names in comments and strings',
    source: "// export function commented() {}\nconst text = 'export function inString() {}';\n/* export const hidden = () => 1; */",
    expected: [],
  },
  { form: 'nested exports are not read', source: 'namespace N { export function inner() {} }', expected: [] },
];

describe('export forms', () => {
  for (const testCase of FORMS) {
    it(testCase.form, () => {
      const analysis = analyzeModule(`/project/${testCase.file ?? 'function.ts'}`, testCase.source);
      const found = analysis.exports.map((decl) => ({ decl, key: decl.isHandler ? decl.name : `${decl.name}:value` }));
      assert.deepEqual(
        found.map((item) => item.key),
        testCase.expected.map((item) => item.replace(/@.*$/, '')),
      );
      testCase.expected.forEach((item, index) => {
        const origin = /@(.*)$/.exec(item)?.[1];
        if (origin) assert.equal(found[index].decl.origin, origin, `origin of ${item}`);
      });
    });
  }

  it('survives input that makes the TypeScript parser throw', () => {
    const analysis = analyzeModule('/project/function.ts', '@e await');
    assert.equal(analysis.parsed, false);
    assert.deepEqual(analysis.exports, []);
  });

  it('finds export * statements', () => {
    const analysis = analyzeModule('/project/function.ts', "export * from './voice.js';\nexport * from \"./more\";");
    assert.deepEqual(analysis.stars.map((star) => star.specifier), ['./voice.js', './more']);
  });

  it('hints at a spread it cannot see', () => {
    const analysis = analyzeModule('/project/function.ts', "import { more } from './more.js';\nexport default { ...more };");
    assert.deepEqual(analysis.hints.map((hint) => hint.code), ['unresolved-spread']);
  });

  it('reads auth as a list, as all, and as invalid', () => {
    const list = analyzeModule('/project/function.ts', "export const auth = ['a', 'b'] as const;").auth;
    assert.equal(list?.kind, 'list');
    assert.deepEqual(list?.kind === 'list' ? list.entries.map((entry) => entry.value) : [], ['a', 'b']);
    assert.equal(analyzeModule('/project/function.ts', "export const auth = '*';").auth?.kind, 'all');
    assert.equal(analyzeModule('/project/function.ts', 'export const auth = 42;').auth?.kind, 'invalid');
    assert.equal(analyzeModule('/project/function.js', "exports.auth = ['a'];").auth?.kind, 'list');
    assert.equal(analyzeModule('/project/function.ts', "export default { auth: '*', status() {} };").auth?.kind, 'all');
  });

  it('guesses the handler shape', () => {
    const shapes = analyzeModule(
      '/project/function.ts',
      [
        'export function a(context, request: FunctionRequest) {}',
        'export function b(context, req) { return req.body; }',
        'export function c() { return { statusCode: 200 }; }',
        'export function d(context, data: IceCallback) {}',
        'export function e(context, data) { return data.callid; }',
        'export function f(context, data) {}',
      ].join('\n'),
    ).exports.map((decl) => `${decl.name}:${decl.shape}`);
    assert.deepEqual(shapes, ['a:custom', 'b:custom', 'c:custom', 'd:voice', 'e:voice', 'f:unclear']);
  });
});
