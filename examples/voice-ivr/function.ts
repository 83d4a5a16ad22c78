// An IVR: the caller hears a menu, picks sales or support, and is connected or told the hours.
// Call state lives in the cache under the call id, so every callback of one call sees it.
import type { FunctionContext, VoiceFunction } from '@sinch/functions-runtime';

interface CallState {
  caller: string;
  attempts: number;
  choice?: string;
}

const stateKey = (callid: string) => `call:${callid}`;

export default {
  async ice(context: FunctionContext, event: { callid: string; cli?: string }) {
    const company = context.env?.COMPANY_NAME ?? 'our company';
    const state: CallState = { caller: event.cli ?? 'unknown', attempts: 0 };
    await context.cache.set(stateKey(event.callid), state, 600);

    return {
      instructions: [
        { name: 'setCookie', key: 'step', value: 'main-menu' },
        { name: 'answer' },
      ],
      action: {
        name: 'runMenu',
        barge: true,
        mainMenu: 'main',
        menus: [
          {
            id: 'main',
            mainPrompt: `#tts[Welcome to ${company}. Press 1 for sales or 2 for support.]`,
            repeatPrompt: '#tts[Press 1 for sales or 2 for support.]',
            repeats: 2,
            maxDigits: 1,
            timeoutMills: 8000,
            options: [
              { dtmf: '1', action: 'return(sales)' },
              { dtmf: '2', action: 'return(support)' },
            ],
          },
        ],
      },
    };
  },

  async pie(context: FunctionContext, event: { callid: string; menuResult: { type: string; value: string } }) {
    const key = stateKey(event.callid);
    const state = (await context.cache.get<CallState>(key)) ?? { caller: 'unknown', attempts: 0 };
    state.attempts += 1;
    const { type, value } = event.menuResult;

    if (type === 'return' && value === 'sales') {
      state.choice = 'sales';
      await context.cache.set(key, state, 600);
      return {
        instructions: [{ name: 'say', text: 'Connecting you to sales.', locale: 'en-US' }],
        action: { name: 'connectPstn', number: context.env?.SALES_NUMBER ?? '+46700000456', cli: state.caller },
      };
    }
    if (type === 'return' && value === 'support') {
      state.choice = 'support';
      await context.cache.set(key, state, 600);
      return {
        instructions: [{ name: 'say', text: 'Support is open from 9 to 17. Goodbye.', locale: 'en-US' }],
        action: { name: 'hangup' },
      };
    }

    await context.cache.set(key, state, 600);
    return {
      instructions: [{ name: 'say', text: 'Sorry, we did not get that. Goodbye.', locale: 'en-US' }],
      action: { name: 'hangup' },
    };
  },

  async dice(context: FunctionContext, event: { callid: string; reason?: string }) {
    const key = stateKey(event.callid);
    const state = await context.cache.get<CallState>(key);
    console.log(`Call ${event.callid} ended (${event.reason ?? 'no reason'}); choice: ${state?.choice ?? 'none'}`);
    await context.cache.delete(key);
  },
} satisfies VoiceFunction;
