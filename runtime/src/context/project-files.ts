/**
 * Reads the project's `sinch.json` and `.env`. A missing file is not an error. A file that cannot
 * be parsed yields a problem message naming the file and the fix, and its values are left out, so
 * the runtime keeps serving.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';

export interface ProjectFiles {
  /** `name` from `sinch.json`, or the project folder's name. */
  functionName: string;
  /** `variables` from `sinch.json`, every value as a string. */
  variables: Record<string, string>;
  /** Keys and values from `.env`, in file order. */
  dotenv: Record<string, string>;
  /** Messages about files that could not be read or parsed. */
  problems: string[];
}

function readOptionalFile(file: string, problems: string[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`Could not read ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Turns "… at position N" in a JSON.parse message into "line L, column C" of `text`. */
function describeJsonError(message: string, text: string): string {
  const match = /at position (\d+)/.exec(message);
  if (!match) return message;
  const before = text.slice(0, Number(match[1])).split('\n');
  return `${message.slice(0, match.index).trimEnd()} at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

type SinchJsonValues = Pick<ProjectFiles, 'functionName' | 'variables'>;

/**
 * Reads `name` and `variables`. When the file does not parse, as it often does halfway through an
 * edit, `previous` (the last values that did) stay in use, so one bad save does not drop every
 * variable.
 */
function readSinchJson(projectDir: string, problems: string[], previous?: SinchJsonValues): SinchJsonValues {
  const file = path.join(projectDir, 'sinch.json');
  const fallback = { functionName: path.basename(projectDir), variables: {} };
  const text = readOptionalFile(file, problems);
  if (text === undefined) return fallback;

  const keeping = previous ? ' The previous name and variables stay in use until it parses.' : '';
  let manifest: unknown;
  try {
    manifest = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push(`${file} is not valid JSON (${describeJsonError((error as Error).message, text)}); fix the file and save it.${keeping}`);
    return previous ?? fallback;
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    problems.push(`${file} must contain a JSON object such as {"name": "my-function"}.${keeping}`);
    return previous ?? fallback;
  }

  const record = manifest as Record<string, unknown>;
  const functionName = typeof record.name === 'string' && record.name.length > 0 ? record.name : fallback.functionName;
  const variables: Record<string, string> = {};
  const declared = record.variables;
  if (declared !== undefined) {
    if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) {
      problems.push(`"variables" in ${file} must be an object of names to string values.`);
    } else {
      for (const [name, value] of Object.entries(declared)) {
        if (typeof value === 'string') {
          variables[name] = value;
        } else if (typeof value === 'number' || typeof value === 'boolean') {
          variables[name] = String(value);
        } else {
          problems.push(`Variable "${name}" in ${file} must be a string; it was left out.`);
        }
      }
    }
  }
  return { functionName, variables };
}

function readDotEnv(projectDir: string, problems: string[]): Record<string, string> {
  const file = path.join(projectDir, '.env');
  const text = readOptionalFile(file, problems);
  if (text === undefined) return {};
  // util.parseEnv follows the dotenv format: comments, quotes, `export` prefixes and
  // multi-line quoted values.
  return { ...parseEnv(text) } as Record<string, string>;
}

/** Reads both files; `previous` is the last result, whose `sinch.json` values survive a bad save. */
export function readProjectFiles(projectDir: string, previous?: ProjectFiles): ProjectFiles {
  const problems: string[] = [];
  const { functionName, variables } = readSinchJson(projectDir, problems, previous);
  const dotenv = readDotEnv(projectDir, problems);
  return { functionName, variables, dotenv, problems };
}

/**
 * Merges the three sources of `context.env`. The process environment wins over `.env`, which
 * wins over the `sinch.json` variables, so a value exported in the shell overrides a file.
 */
export function mergeEnvironment(
  processEnv: Record<string, string | undefined>,
  files: Pick<ProjectFiles, 'dotenv' | 'variables'>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...files.variables, ...files.dotenv };
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}
