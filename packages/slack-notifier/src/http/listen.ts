import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a server ended up listening. */
interface ListeningAddress {
  /** `http://<host>:<port>`, with IPv6 hosts in brackets. */
  readonly origin: string;
  readonly port: number;
}

/**
 * Starts `server` and resolves once it listens; a bind failure (port in use) rejects instead of being
 * thrown later as an unhandled `error` event. Errors after that are the caller's to handle (`server.on('error')`):
 * listen() keeps no listener that would swallow them.
 *
 * @param port - `0` (the default) picks a free port
 * @param host - defaults to loopback: nothing here is meant to be reachable from other machines
 */
async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<ListeningAddress> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { origin: `http://${hostPart}:${address.port}`, port: address.port };
}

export { listen };
export type { ListeningAddress };
