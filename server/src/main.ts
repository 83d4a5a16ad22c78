/**
 * Entry point of the language server (bundled to dist/server/server.js). The transport is chosen
 * by the command line: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { bindConnection } from './connection-binding';

// With --stdio, stdout carries the protocol, so stray console output goes to stderr instead.
console.log = console.error;
console.info = console.error;

const connection = createConnection(ProposedFeatures.all);

process.on('uncaughtException', (error) => {
  connection.console.error(`Unexpected error: ${error.stack ?? error.message}`);
});
process.on('unhandledRejection', (reason) => {
  connection.console.error(`Unhandled promise rejection: ${String(reason)}`);
});

bindConnection(connection);
connection.listen();
