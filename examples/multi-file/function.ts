// The entry file: re-exports the voice callbacks from ./voice.js (NodeNext resolves it to
// voice.ts) and adds a custom endpoint that uses the same helper.
import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';
import { greetingFor } from './greeting.js';

export { ice } from './voice.js';

export async function greet(context: FunctionContext, request: FunctionRequest) {
  const name = typeof request.query.name === 'string' ? request.query.name : undefined;
  return { greeting: greetingFor(name) };
}
