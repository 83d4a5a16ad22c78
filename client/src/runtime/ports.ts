/**
 * Port checks before a runtime starts, so a busy port gets a message that names it and offers a
 * free one instead of a runtime that exits with code 2.
 */
import * as net from 'node:net';

/** Resolves true when `host:port` can be bound now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** Returns a port that the system reports free on `host` (bind to 0, read, release). */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`No free port found on ${host}.`))));
    });
  });
}
