// Custom HTTP endpoints: the last path segment picks the export, so GET /status reaches
// `status` and POST /api/v1/inbound reaches `inbound`. `admin` is protected by Basic auth.
import type { FunctionContext, FunctionRequest } from '@sinch/functions-runtime';

export const auth = ['admin'];

export async function status(context: FunctionContext, request: FunctionRequest) {
  return {
    statusCode: 200,
    body: {
      status: 'ok',
      function: context.config?.functionName ?? 'unknown',
      environment: context.config?.environment ?? 'unknown',
      method: request.method,
    },
  };
}

export async function inbound(context: FunctionContext, request: FunctionRequest) {
  const body = request.body as { message?: string } | undefined;
  if (!body?.message) {
    return { statusCode: 400, body: { error: 'Missing message' } };
  }
  return { statusCode: 200, body: { received: body.message, length: body.message.length } };
}

export async function admin(context: FunctionContext, request: FunctionRequest) {
  return { statusCode: 200, body: { admin: true, path: request.path } };
}
