// Voice callbacks kept in their own module; function.ts re-exports them.
import type { FunctionContext } from '@sinch/functions-runtime';
import { greetingFor } from './greeting.js';

export async function ice(context: FunctionContext, event: { callid: string; cli?: string }) {
  return {
    instructions: [{ name: 'say', text: greetingFor(event.cli), locale: 'en-US' }],
    action: { name: 'hangup' },
  };
}
