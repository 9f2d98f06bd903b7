import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Diagnostics } from '../logging/diagnostics.js';

/** The X-Ray daemon's UDP protocol: every datagram starts with this header line, then one segment document. */
const DAEMON_PROTOCOL_HEADER = '{"format": "json", "version": 1}\n';

/** Longest a segment waits in the queue: X-Ray shows a trace seconds after it ends anyway. */
const FLUSH_MILLIS = 100;
/** Segments sent in one burst at most (well below a default 208 KB socket receive buffer at ~1 KB each). */
const MAX_QUEUED = 64;

/** @internal A parsed daemon address. */
interface DaemonAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * @internal Parses `host:port` or `udp:host:port tcp:host:port` (the X-Ray SDK and daemon formats).
 * Returns an error message instead of throwing so a bad address fails open.
 */
const parseDaemonAddress = (address: string): DaemonAddress | string => {
  const parts = address.trim().split(/\s+/);
  let udp = parts.length === 1 ? parts[0]! : parts.find((part) => part.startsWith('udp:'))?.slice(4);
  if (udp === undefined) return `"${address}" names no udp: address; write "host:port" or "udp:host:port tcp:host:port".`;
  if (udp.startsWith('udp:') || udp.startsWith('tcp:')) udp = udp.slice(4);
  const colon = udp.lastIndexOf(':');
  const host = udp.slice(0, colon);
  const port = Number(udp.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    return `"${address}" is not a daemon address; write "host:port", for example "127.0.0.1:2000" or "xray-service.default:2000".`;
  }
  return { host, port };
};

/**
 * @internal Sends segment documents to the X-Ray daemon over UDP from one unreferenced socket (it never keeps
 * the process alive), in bursts (see {@link XRayDaemonEmitter.send}). A host name is resolved once and again after a
 * send error, not per segment. Every failure is reported once through {@link Diagnostics}; segments are dropped,
 * requests never wait.
 */
class XRayDaemonEmitter {
  readonly #diagnostics: Diagnostics;
  readonly #address: DaemonAddress | undefined;
  #socket: Socket | undefined;
  #ip: string | undefined;
  #resolving: Promise<void> | undefined;
  #queue: Buffer[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** DNS lookups and UDP sends not yet completed. */
  readonly #pending = new Set<Promise<void>>();

  public constructor(address: string, diagnostics: Diagnostics) {
    this.#diagnostics = diagnostics;
    const parsed = parseDaemonAddress(address);
    if (typeof parsed === 'string') {
      diagnostics.problem('xray-daemon-address', `X-Ray daemon address ${parsed} X-Ray segments are not sent.`);
      return;
    }
    this.#address = parsed;
    if (isIP(parsed.host) === 4) this.#ip = parsed.host;
  }

  /** The daemon address in use, or undefined when the configured one is unusable. */
  public get address(): DaemonAddress | undefined {
    return this.#address;
  }

  /**
   * Queues one segment document; the queue is sent within {@link FLUSH_MILLIS}, or at once when it holds
   * {@link MAX_QUEUED} documents. Still one datagram per segment (the daemon's protocol), but sent in bursts: a UDP
   * send to a sleeping receiver costs a wake-up on the other CPU, the largest single cost of a sampled request in profiles.
   */
  public send(document: string): void {
    if (this.#address === undefined) return;
    this.#queue.push(Buffer.from(DAEMON_PROTOCOL_HEADER + document));
    if (this.#queue.length >= MAX_QUEUED) {
      this.flush();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#flushOnTimer, FLUSH_MILLIS).unref();
      process.once('beforeExit', this.#flushOnTimer);
    }
  }

  /** Sends the queued segments now (tests, before a freeze or shutdown). */
  public flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      process.removeListener('beforeExit', this.#flushOnTimer);
      this.#timer = undefined;
    }
    const messages = this.#queue;
    if (messages.length === 0) return;
    this.#queue = [];
    const address = this.#address!;
    const sendAll = (ip: string): void => {
      for (const message of messages) this.#sendTo(message, ip, address.port);
    };
    if (this.#ip !== undefined) {
      sendAll(this.#ip);
      return;
    }
    this.#resolving ??= lookup(address.host, { family: 4 }).then(
      ({ address: resolved }) => {
        this.#ip = resolved;
        this.#resolving = undefined;
      },
      (error: unknown) => {
        this.#resolving = undefined;
        this.#diagnostics.problem(
          'xray-daemon-dns',
          `X-Ray daemon host "${address.host}" does not resolve; segments are dropped until it does.`,
          error,
        );
      },
    );
    this.#track(
      this.#resolving.then(() => {
        if (this.#ip !== undefined) sendAll(this.#ip);
      }),
    );
  }

  /** One function for the flush timer and 'beforeExit', so it can be removed again. */
  readonly #flushOnTimer = (): void => this.flush();

  /** Keeps `work` until it settles, so {@link close} can wait for it. */
  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  #sendTo(message: Buffer, ip: string, port: number): void {
    const socket = this.#ensureSocket();
    let sent: () => void = () => undefined;
    this.#track(new Promise<void>((resolve) => (sent = resolve)));
    socket.send(message, port, ip, (error) => {
      sent();
      if (!error) {
        this.#diagnostics.recovered('xray-daemon-send', 'Sending X-Ray segments to the daemon works again.');
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'EMSGSIZE') {
        this.#diagnostics.problem(
          'xray-segment-too-large',
          `An X-Ray segment of ${message.length} bytes exceeds the UDP datagram limit and was dropped; keep metadata small.`,
        );
        return;
      }
      if (isIP(this.#address?.host ?? '') === 0) this.#ip = undefined; // resolve again: the daemon pod may have moved
      this.#diagnostics.problem('xray-daemon-send', 'Sending an X-Ray segment to the daemon failed; segments are dropped.', error);
    });
  }

  #ensureSocket(): Socket {
    if (this.#socket === undefined) {
      const socket = createSocket('udp4');
      socket.unref();
      socket.on('error', (error) => this.#diagnostics.problem('xray-daemon-socket', 'The X-Ray UDP socket failed.', error));
      this.#socket = socket;
    }
    return this.#socket;
  }

  /** Sends what is queued and resolves once every send in flight has completed. */
  public async drain(): Promise<void> {
    this.flush();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Drains, then closes the socket; later sends open a new one. */
  public async close(): Promise<void> {
    await this.drain();
    this.#socket?.close();
    this.#socket = undefined;
  }
}

export { XRayDaemonEmitter, parseDaemonAddress, DAEMON_PROTOCOL_HEADER };
export type { DaemonAddress };
