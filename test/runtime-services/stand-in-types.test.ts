// The stand-in package's declarations, as built into dist/runtime/functions-runtime/, must let
// an editor type-check real function code: every TypeScript example compiles against them in
// strict NodeNext mode, and a wrong call is reported.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { examplesDir, repoRoot } from '../runtime/helpers';

const packageDir = path.join(repoRoot, 'dist', 'runtime', 'functions-runtime');

function typeCheck(files: string[], overrides: ts.CompilerOptions = {}): string[] {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    // Resolves the package the way a project with it in node_modules would, through its exports.
    paths: {
      '@sinch/functions-runtime': [path.join(packageDir, 'index.d.ts')],
      '@sinch/functions-runtime/voice': [path.join(packageDir, 'voice.d.ts')],
    },
    ...overrides,
  };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${path.relative(repoRoot, diagnostic.file.fileName)}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

function exampleSources(): string[] {
  const files: string[] = [];
  for (const example of fs.readdirSync(examplesDir)) {
    const folder = path.join(examplesDir, example);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const name of fs.readdirSync(folder)) {
      if (name.endsWith('.ts')) files.push(path.join(folder, name));
    }
  }
  return files;
}

describe('stand-in type declarations', () => {
  it('package folder has its manifest and declarations', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      name: string;
      types: string;
      exports: Record<string, { types: string; default: string }>;
    };
    assert.equal(manifest.name, '@sinch/functions-runtime');
    for (const entry of ['.', './voice']) {
      assert.ok(fs.existsSync(path.join(packageDir, manifest.exports[entry].types)), `${entry} types`);
      assert.ok(fs.existsSync(path.join(packageDir, manifest.exports[entry].default)), `${entry} code`);
    }
  });

  it('every TypeScript example type-checks', () => {
    const files = exampleSources();
    assert.ok(files.some((file) => file.endsWith(path.join('voice-ivr', 'function.ts'))));
    assert.deepEqual(typeCheck(files), []);
  });

  it('needs no @types/node', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-types-'));
    try {
      const file = path.join(folder, 'function.ts');
      fs.writeFileSync(
        file,
        `import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';
import { onCall } from '@sinch/functions-runtime/voice';
export async function report(context: FunctionContext, request: FunctionRequest) {
  const bytes = await context.storage.read('report.txt');
  return { text: bytes.toString('utf8'), raw: request.rawBody?.length ?? 0 };
}
export const voiceWebhook = onCall({ completed: () => undefined });
`,
      );
      assert.deepEqual(typeCheck([file], { types: [] }), []);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reports a wrong call in user code', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-types-'));
    try {
      const file = path.join(folder, 'function.ts');
      fs.writeFileSync(
        file,
        `import { createIceBuilder, type VoiceFunction } from '@sinch/functions-runtime';
import { onCall } from '@sinch/functions-runtime/voice';
export default {
  async ice(context, event) {
    await context.cache.set('call:' + event.callid, { step: 1 });
    return createIceBuilder().say(42).hangup().build();
  },
} satisfies VoiceFunction;
export const voiceWebhook = onCall({ incoming: (call, builder) => builder.dialPhone(call.nope) });
`,
      );
      const problems = typeCheck([file]);
      assert.equal(problems.length, 2, problems.join('\n'));
      assert.match(problems[0], /Argument of type 'number' is not assignable to parameter of type 'string'/);
      assert.match(problems[1], /Property 'nope' does not exist on type 'CallInfo'/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
