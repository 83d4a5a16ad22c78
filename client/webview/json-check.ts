/** Checks JSON as the user types and locates the first syntax error by line and column. */

export interface JsonProblem {
  message: string;
  line: number;
  column: number;
}

export function checkJsonText(text: string): JsonProblem | null {
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const lines = text.slice(0, offset).split('\n');
    const line = lines.length;
    const column = lines[lines.length - 1].length + 1;
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '');
    return { message: `Invalid JSON at line ${line}, column ${column}: ${reason}`, line, column };
  }
}
