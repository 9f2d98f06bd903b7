import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
const server = (): Server => {
  const created = createServer((_req, res) => res.end('ok'));
  servers.push(created);
  return created;
};

describe('Function: listen', () => {
  it('resolves with the origin it listens on', async () => {
    const { origin, port } = await listen(server());
    expect(origin).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(origin)).text()).toBe('ok');
  });

  it('rejects when the port is taken, instead of throwing an unhandled error event', async () => {
    const { port } = await listen(server());
    await expect(listen(server(), port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('leaves later server errors to the caller instead of swallowing them', async () => {
    const listening = server();
    await listen(listening);
    expect(() => listening.emit('error', new Error('accept failed: EMFILE'))).toThrow('EMFILE');
  });
});
