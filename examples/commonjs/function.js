// A plain CommonJS function: every `exports.x = …` is an endpoint.
'use strict';

exports.hello = async (context, request) => {
  const name = (request.query && request.query.name) || 'world';
  return { message: `Hello, ${name}!` };
};

exports.echo = async (context, request) => ({
  statusCode: 200,
  body: { method: request.method, body: request.body === undefined ? null : request.body },
});
