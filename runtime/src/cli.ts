#!/usr/bin/env node
/**
 * `sinch-functions-dev`: serves a function project on localhost and reloads it on save.
 * Exit codes: 0 after a clean stop, 1 when the start fails (busy port, missing project),
 * 2 for invalid command-line arguments.
 */
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { HELP_TEXT, parseArgs, UsageError, type CliOptions } from './args';
import { Runtime, type RuntimeStatus } from './app';
import { describeThrownValue } from './http-error';
import { ProcessExitError } from './loader/generation';
import { createLogger, type Logger } from './log';
import { redactConsole } from './context/redact';
import { ProjectError } from './project';
import { SetupError } from './setup-hook';
import { runSimulateCommand } from './simulator/terminal';

function formatRouteTable(status: RuntimeStatus): string {
  const rows = status.routes.map((route) => [route.method, route.path, route.exportName, route.kind]);
  if (!status.routes.some((route) => route.exportName === 'health')) rows.push(['GET', '/health', '(built-in)', 'health']);
  const header = ['METHOD', 'PATH', 'EXPORT', 'KIND'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [format(header), ...rows.map(format)].map((line) => `  ${line}`).join('\n');
}

/** Writes the status document atomically, so a reader never sees half a file. */
function writeStatusFile(file: string, status: RuntimeStatus): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(temporary, `${JSON.stringify(status, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function listen(runtime: Runtime, options: CliOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = runtime.app.listen(options.port, options.host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function describeListenError(error: NodeJS.ErrnoException, options: CliOptions): string {
  if (error.code === 'EADDRINUSE') {
    return (
      `Port ${options.port} on ${options.host} is already in use. Stop the program that uses it, ` +
      `or choose another port with --port <n> (--port 0 picks a free one).`
    );
  }
  if (error.code === 'EACCES') {
    return `Permission denied to listen on port ${options.port}. Choose a port above 1023 with --port <n>.`;
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return `Cannot listen on host "${options.host}": the address is not on this machine. Check --host.`;
  }
  return `Cannot listen on ${options.host}:${options.port}: ${error.message}`;
}

/**
 * Keeps the runtime alive when user code fails outside a request (a throwing timer, a rejected
 * promise nobody awaited, `process.exit` in a callback) and says what happened in plain words.
 */
function guardProcess(logger: Logger): void {
  // A throwing interval fails on every tick, so a message that repeats the previous one is
  // logged only at its 10th, 100th, 1000th… occurrence, with the count.
  let lastMessage = '';
  let repeats = 0;
  const report = (message: string, stack: string | undefined): void => {
    repeats = message === lastMessage ? repeats + 1 : 1;
    lastMessage = message;
    if (repeats === 1) logger.error(message, { stack });
    else if (/^10+$/.test(String(repeats))) logger.error(`${message} (${repeats} times in a row)`);
  };

  // Any value can be thrown (`throw null` in a timer), so the handlers read it without
  // assuming an Error: a listener that throws here would end the process.
  process.on('uncaughtException', (error: unknown) => {
    if (error instanceof ProcessExitError) {
      report(error.message, undefined);
      return;
    }
    const { message, stack } = describeThrownValue(error);
    report(`The function threw ${message} outside any request; the runtime keeps serving`, stack);
  });
  process.on('unhandledRejection', (reason: unknown) => {
    const { message, stack } = describeThrownValue(reason);
    report(`A promise rejected with ${message} and nothing handled it; the runtime keeps serving`, stack);
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'simulate') return runSimulateCommand(argv.slice(1), __filename);
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }

  // Stack traces of user code point at the .ts lines, through the inline source maps.
  process.setSourceMapsEnabled(true);
  // DEBUG=1 shows debug records (file changes, context.log.debug), as the platform's dev server does.
  const logger = createLogger({ format: options.logFormat, minLevel: process.env.DEBUG ? 'debug' : 'info' });
  guardProcess(logger);

  if (options.inspect) {
    const { host, port } = options.inspect;
    try {
      inspector.open(port, host);
    } catch (error) {
      process.stderr.write(`Cannot start the Node inspector on ${host}:${port}: ${(error as Error).message}\n`);
      return 1;
    }
    // Node 20 reports a busy port or an unknown host on stderr instead of throwing, and leaves
    // the inspector closed.
    if (inspector.url() === undefined) {
      process.stderr.write(
        `Cannot start the Node inspector on ${host}:${port} (see the message above). ` +
          'Stop the program that uses the port, or choose another with --inspect=<port>.\n',
      );
      return 1;
    }
    logger.info(`Debugger listening on ${inspector.url()}`);
  }

  let runtime: Runtime;
  try {
    runtime = new Runtime({
      projectDir: options.projectDir,
      entry: options.entry,
      logger,
      timeoutSeconds: options.timeoutSeconds,
      bodyLimitBytes: options.bodyLimitBytes,
    });
  } catch (error) {
    if (error instanceof ProjectError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }

  // The status file is written once before the start, so a path that cannot be written stops
  // the start with a message; a later failure (the folder was removed) is logged each time.
  if (options.statusFile) {
    try {
      writeStatusFile(options.statusFile, runtime.status());
    } catch (error) {
      process.stderr.write(
        `Cannot write the status file ${path.resolve(options.statusFile)}: ${(error as Error).message}. ` +
          `Choose a writable path with --status-file.\n`,
      );
      return 1;
    }
  }
  // After start, a reload that changes the routes prints the new table, so the terminal never
  // shows a stale one.
  let printedRoutes: string | undefined;
  const publish = (status: RuntimeStatus): void => {
    const routes = JSON.stringify(status.routes);
    if (printedRoutes !== undefined && status.state === 'ready' && routes !== printedRoutes) {
      printedRoutes = routes;
      process.stdout.write(`Routes changed:\n${formatRouteTable(status)}\n`);
    }
    if (options.statusFile) {
      try {
        writeStatusFile(options.statusFile, status);
      } catch (error) {
        logger.error(`Cannot write the status file ${options.statusFile}: ${(error as Error).message}`);
      }
    }
    process.send?.({ type: 'sinch-runtime:state', ...status });
  };
  runtime.on('state', publish);
  // Handlers print with console.log into the same output as the runtime's log, so both are redacted.
  redactConsole((text) => runtime.contexts.redact(text));
  // The platform puts `.env` and `sinch.json` values into process.env before the code loads.
  runtime.contexts.exportToProcessEnv(process.env);
  try {
    await runtime.start();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    logger.error(`The start was stopped: ${error.message}`);
    process.stderr.write(`The start was stopped: ${error.message}\n`);
    await runtime.close();
    return 1;
  }

  let server: Server;
  try {
    server = await listen(runtime, options);
  } catch (error) {
    process.stderr.write(`${describeListenError(error as NodeJS.ErrnoException, options)}\n`);
    await runtime.close();
    return 1;
  }
  runtime.webSockets.attach(server);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  runtime.setAddress(options.host, port);

  // Signal handlers go in before the ready line, because a tool may stop the runtime as soon as
  // it reads that line.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`Stopping on ${signal}`);
      server.close();
      server.closeAllConnections();
      void runtime.close().then(() => resolve(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('disconnect', () => stop('disconnect'));
  });

  const status = runtime.status();
  logger.info('Runtime started', { url: status.url, project: runtime.project.dir, pid: process.pid });
  process.stdout.write(`Listening on ${status.url}\n${formatRouteTable(status)}\n`);
  printedRoutes = JSON.stringify(status.routes);
  return stopped;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`Unexpected error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
