import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import type { FetchFunction } from '@slack/webhook';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

interface Transport {
  readonly request: typeof Http.request;
  readonly agent: Http.Agent;
}

const transports = new Map<string, Transport>();

/**
 * node:http or node:https with a keep-alive agent, loaded on first use with `require`: an ESM
 * `import 'node:http'` builds a facade that touches every export, including the lazy getters that
 * load undici (about 10 ms of a cold start for nothing). Kept alive across warm invocations, so the
 * next alert skips the TLS handshake.
 */
function transport(secure: boolean): Transport {
  const key = secure ? 'https' : 'http';
  let t = transports.get(key);
  if (!t) {
    const require = createRequire(import.meta.url);
    const mod = require(`node:${key}`) as typeof Http | typeof Https;
    t = { request: mod.request as typeof Http.request, agent: new mod.Agent({ keepAlive: true, maxSockets: 4 }) };
    transports.set(key, t);
  }
  return t;
}

/**
 * The small subset of `fetch` that @slack/webhook uses, on node:http/https. A cold Lambda posts one
 * message: global fetch would first load and initialise undici (tens of milliseconds and a few MB). Redirects are not followed (Slack does not
 * redirect webhooks; following one could leak the payload elsewhere).
 */
const nodeHttpFetch: FetchFunction = (input, init = {}) =>
  new Promise<FetchResponse>((resolve, reject) => {
    const url = new URL(String(input));
    const secure = url.protocol === 'https:';
    const body = typeof init.body === 'string' ? init.body : undefined;
    const signal = init.signal;
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const headers: Record<string, string | number> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const { request, agent } = transport(secure);
    const req = request(
      url,
      { method: init.method ?? 'GET', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const raw = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          const responseHeaders = new Map(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: res.statusMessage ?? '',
            url: url.toString(),
            headers: { get: (name: string) => responseHeaders.get(name.toLowerCase()) ?? null, entries: () => responseHeaders.entries() },
            text: async () => raw.toString('utf8'),
            json: async () => JSON.parse(raw.toString('utf8')) as unknown,
            arrayBuffer: async () => raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer,
          });
        });
      },
    );
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('The operation was aborted due to timeout'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    req.end(body);
  });

export { nodeHttpFetch };
