/**
 * Exports a built request as a curl command line for a POSIX shell, so a user can replay it in a
 * terminal or share it. Arguments that need it are single-quoted, which keeps `$`, backticks and
 * `!` literal.
 */
import type { BuiltRequest } from './request-spec';

/** Quotes one argument for sh, bash and zsh. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@,+%][A-Za-z0-9_\-./:=@,+%]*$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Writes the request as a curl command, one option per line when there is more than the URL. */
export function toCurl(request: BuiltRequest): string {
  const hasBody = request.body !== undefined;
  // curl sends GET without a body and POST with --data-raw; spell out any other method.
  const impliedMethod = hasBody ? 'POST' : 'GET';
  const first = ['curl'];
  if (request.method !== impliedMethod) first.push('-X', request.method);
  first.push(shellQuote(request.url));

  const options: string[] = [];
  for (const [name, value] of request.headers) {
    if (request.basicAuth && name.toLowerCase() === 'authorization') continue;
    options.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.basicAuth) {
    options.push(`-u ${shellQuote(`${request.basicAuth.username}:${request.basicAuth.password}`)}`);
  }
  if (hasBody) options.push(`--data-raw ${shellQuote(request.body ?? '')}`);

  return [first.join(' '), ...options.map((option) => `  ${option}`)].join(' \\\n');
}
