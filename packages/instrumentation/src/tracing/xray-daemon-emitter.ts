import { Buffer } from 'node:buffer';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { monotonicNow } from '../clock.js';
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

/** A socket connected to the daemon's IP, with the connection while it is still being made. */
interface DaemonConnection {
  readonly socket: Socket;
  readonly ip: string;
  /** Settles with whether the connection was made. */
  connecting: Promise<boolean> | undefined;
  /** Replaced by a connection to another IP (its socket closes once it is no longer connecting). */
  closed: boolean;
}

/** The largest UDP payload over IPv4; a larger segment cannot be sent at all. */
const MAX_DATAGRAM_BYTES = 65_507;

/**
 * @internal Sends segment documents to the X-Ray daemon over UDP, in bursts (see {@link XRayDaemonEmitter.send}),
 * from one unreferenced socket (it never keeps the process alive) connected to the daemon. Connecting resolves the
 * address once instead of per datagram, and lets the socket hear the "port unreachable" a host answers when no
 * daemon listens, which an unconnected socket never reports. A host name is resolved once, and again after a
 * refusal or a send error (the daemon pod may have moved). Every failure is reported once through
 * {@link Diagnostics}, and its end once; segments are dropped, requests never wait.
 */
class XRayDaemonEmitter {
  readonly #diagnostics: Diagnostics;
  readonly #address: DaemonAddress | undefined;
  #connection: DaemonConnection | undefined;
  #ip: string | undefined;
  #resolving: Promise<void> | undefined;
  #queue: Buffer[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** {@link monotonicNow} of the first burst sent since the daemon host last refused one (ICMP port unreachable). */
  #unrefusedSince: number | undefined;
  /** DNS lookups, connections and bursts not yet completed. */
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
    const message = Buffer.from(DAEMON_PROTOCOL_HEADER + document);
    if (message.length > MAX_DATAGRAM_BYTES) {
      this.#diagnostics.problem(
        'xray-segment-too-large',
        `An X-Ray segment of ${message.length} bytes exceeds the UDP datagram limit and was dropped; keep metadata small.`,
      );
      return;
    }
    this.#queue.push(message);
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
    // A refusal arrives within a millisecond or so: bursts sent for longer than FLUSH_MILLIS without one mean the daemon listens.
    const now = monotonicNow();
    if (this.#unrefusedSince !== undefined && now - this.#unrefusedSince >= FLUSH_MILLIS) {
      this.#diagnostics.recovered('xray-daemon-unreachable', 'The X-Ray daemon listens again; segments are sent.');
    }
    this.#unrefusedSince ??= now;
    if (this.#ip !== undefined) {
      this.#sendBurst(messages, this.#ip);
      return;
    }
    const address = this.#address!;
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
        if (this.#ip !== undefined) this.#sendBurst(messages, this.#ip);
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

  /** Sends `messages` from the socket connected to `ip`. */
  #sendBurst(messages: Buffer[], ip: string): void {
    this.#sendOn(this.#connectTo(ip), messages);
  }

  /** Sends `messages` on `connection` once it is connected; one tracked promise for the whole burst. */
  #sendOn(connection: DaemonConnection, messages: Buffer[]): void {
    if (connection.connecting !== undefined) {
      this.#track(
        connection.connecting.then((connected) => {
          if (connected && !connection.closed) this.#sendOn(connection, messages);
        }),
      );
      return;
    }
    let unsent = messages.length;
    let sent: () => void = () => undefined;
    this.#track(new Promise<void>((resolve) => (sent = resolve)));
    const afterSend = (error: Error | null): void => {
      if (error) this.#sendFailed(error);
      else this.#diagnostics.recovered('xray-daemon-send', 'Sending X-Ray segments to the daemon works again.');
      unsent -= 1;
      if (unsent === 0) sent();
    };
    for (const message of messages) connection.socket.send(message, afterSend);
  }

  /** The socket connected to `ip`: the current one, or a new one (the daemon moved, or none yet). */
  #connectTo(ip: string): DaemonConnection {
    if (this.#connection?.ip === ip) return this.#connection;
    this.#disconnect();
    const socket = createSocket('udp4');
    socket.unref();
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.#refused();
      else this.#diagnostics.problem('xray-daemon-socket', 'The X-Ray UDP socket failed.', error);
    });
    const connection: DaemonConnection = { socket, ip, connecting: undefined, closed: false };
    connection.connecting = new Promise<boolean>((resolve) => {
      socket.connect(this.#address!.port, ip, (error?: Error) => {
        connection.connecting = undefined;
        if (error) {
          if (this.#connection === connection) this.#disconnect();
          this.#sendFailed(error);
        }
        resolve(!error);
      });
    });
    this.#connection = connection;
    return connection;
  }

  #disconnect(): void {
    const connection = this.#connection;
    if (connection === undefined) return;
    this.#connection = undefined;
    connection.closed = true;
    // A socket closed while connecting would never call back, and a burst waiting for it would never settle.
    if (connection.connecting === undefined) connection.socket.close();
    else void connection.connecting.then(() => connection.socket.close());
  }

  /** The daemon host answered "port unreachable": nothing listens there (yet), or the daemon pod moved. */
  #refused(): void {
    this.#unrefusedSince = undefined;
    const { host, port } = this.#address!;
    this.#diagnostics.problem(
      'xray-daemon-unreachable',
      `Nothing listens for X-Ray segments at ${host}:${port} (the host answers "port unreachable"); segments are ` +
        'dropped until the daemon runs there. Check AWS_XRAY_DAEMON_ADDRESS and the daemon.',
    );
    this.#resolveAgain();
  }

  #sendFailed(error: Error): void {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
      this.#refused();
      return;
    }
    this.#resolveAgain();
    this.#diagnostics.problem('xray-daemon-send', 'Sending an X-Ray segment to the daemon failed; segments are dropped.', error);
  }

  /** Forgets the daemon host's IP, so the next burst looks it up again: the daemon pod may have moved. */
  #resolveAgain(): void {
    if (isIP(this.#address!.host) === 0) this.#ip = undefined;
  }

  /** Sends what is queued and resolves once every send in flight has completed. */
  public async drain(): Promise<void> {
    this.flush();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Drains, then closes the socket; later sends open a new one. */
  public async close(): Promise<void> {
    await this.drain();
    this.#disconnect();
  }
}

export { XRayDaemonEmitter, parseDaemonAddress, DAEMON_PROTOCOL_HEADER };
export type { DaemonAddress };
