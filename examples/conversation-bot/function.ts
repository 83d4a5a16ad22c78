// A Conversation API bot: POST /webhook/conversation reaches `conversationWebhook` with the
// Conversation callback envelope, and the bot answers the inbound text with an echo.
import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';

interface InboundMessage {
  app_id?: string;
  message?: {
    id?: string;
    direction?: string;
    conversation_id?: string;
    contact_id?: string;
    contact_message?: { text_message?: { text?: string } };
    channel_identity?: { channel?: string; identity?: string };
  };
}

export async function conversationWebhook(context: FunctionContext, request: FunctionRequest) {
  const envelope = request.body as InboundMessage | undefined;
  const message = envelope?.message;
  if (!message) {
    return { statusCode: 200, body: { handled: false, reason: 'not a message event' } };
  }
  const text = message.contact_message?.text_message?.text ?? '';
  const reply = text.trim() === '' ? 'Send me some text and I will echo it.' : `You said: ${text}`;
  return {
    statusCode: 200,
    body: {
      handled: true,
      reply,
      to: message.channel_identity ?? null,
      conversationId: message.conversation_id ?? null,
    },
  };
}
