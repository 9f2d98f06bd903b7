import { createServer } from 'node:net';

/** The only address the loop binds: nothing it starts is reachable from another machine. */
const LOOPBACK = '127.0.0.1';

/**
 * Asks the kernel for a free ephemeral TCP port on 127.0.0.1 (bind port 0, read it, close).
 * The loop hands these ports to Prometheus, Alertmanager and ho11y, which cannot report a port
 * they picked themselves; another process could take the port in between, which only makes that
 * process fail to start with a clear error.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Allocates `count` distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export { freePort, freePorts, LOOPBACK };
