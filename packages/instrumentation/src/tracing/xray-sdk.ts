import { createRequire } from 'node:module';
import type { Diagnostics } from '../logging/diagnostics.js';

/** @internal The parts of an aws-xray-sdk-core segment or subsegment this package uses. */
interface XRayEntity {
  id: string;
  name: string;
  trace_id?: string;
  namespace?: string;
  http?: unknown;
  in_progress?: boolean;
  subsegments?: unknown[];
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown, namespace?: string): void;
  addError(error: Error | string, remote?: boolean): void;
  addErrorFlag(): void;
  addFaultFlag(): void;
  addThrottleFlag(): void;
  addNewSubsegment(name: string): XRayEntity;
  close(error?: Error | string | null, remote?: boolean): void;
  format(): string;
  flush(): void;
}

/** @internal The aws-xray-sdk-core module, as far as this package uses it. */
interface XRaySdk {
  Segment: new (name: string, rootId?: string, parentId?: string) => XRayEntity;
  Subsegment: new (name: string) => XRayEntity;
  setLogger(logger: { debug(...args: unknown[]): void; info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void }): void;
}

const SDK_MODULE = 'aws-xray-sdk-core';

/**
 * Requires the SDK in its manual mode unless the application loaded it already. In its default automatic mode the
 * SDK creates a cls-hooked namespace as it loads: process-wide async_hooks that every async operation of the
 * process pays for (a fifth of the CPU of a small Express request). This package passes segments explicitly and
 * never uses that context. An application that loaded the SDK first keeps the mode it chose.
 */
const requireInManualMode = (): XRaySdk => {
  const require = createRequire(import.meta.url);
  if (require.cache[require.resolve(SDK_MODULE)] !== undefined) return require(SDK_MODULE) as XRaySdk;
  const previous = process.env.AWS_XRAY_MANUAL_MODE;
  process.env.AWS_XRAY_MANUAL_MODE = 'true';
  try {
    return require(SDK_MODULE) as XRaySdk;
  } finally {
    if (previous === undefined) delete process.env.AWS_XRAY_MANUAL_MODE;
    else process.env.AWS_XRAY_MANUAL_MODE = previous;
  }
};

/**
 * @internal Loads the optional peer aws-xray-sdk-core synchronously (it is CommonJS). Returns undefined, after
 * reporting once, when it is missing or cannot load (a bad AWS_XRAY_DAEMON_ADDRESS makes it throw at load).
 */
const loadXRaySdk = (diagnostics: Diagnostics): XRaySdk | undefined => {
  try {
    const sdk = requireInManualMode();
    // The SDK logs through its own logger; route its errors into the once-per-problem diagnostics.
    sdk.setLogger({
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => diagnostics.problem(`xray-sdk:${String(args[0]).slice(0, 60)}`, `aws-xray-sdk-core: ${args.map(String).join(' ')}`),
      error: (...args: unknown[]) => diagnostics.problem(`xray-sdk:${String(args[0]).slice(0, 60)}`, `aws-xray-sdk-core: ${args.map(String).join(' ')}`),
    });
    return sdk;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    diagnostics.problem(
      'xray-sdk-load',
      missing
        ? 'The X-Ray backend needs the optional peer aws-xray-sdk-core: npm install aws-xray-sdk-core@^3.12.0. X-Ray segments are not recorded.'
        : 'aws-xray-sdk-core failed to load (check AWS_XRAY_DAEMON_ADDRESS, format "host:port"); X-Ray segments are not recorded.',
      error,
    );
    return undefined;
  }
};

/**
 * @internal Creates segments and subsegments of the SDK's model (its methods, its document format) with ids from
 * our generator. The SDK's constructors draw random ids with `crypto.randomBytes` (a system call each, two per
 * segment) that we would overwrite anyway: they are skipped, the fields they set are set here in the same order.
 * A closed segment's document is handed to `send` (instead of the SDK's global emitter) by a `flush` on a
 * prototype of its own, so a segment carries no closure of its own.
 */
class XRayEntityFactory {
  readonly #segmentPrototype: object;
  readonly #subsegmentPrototype: object;
  readonly #send: (document: string) => void;
  readonly #service: unknown;
  readonly #aws: unknown;
  readonly #origin: unknown;

  public constructor(sdk: XRaySdk, serviceName: string, send: (document: string) => void) {
    this.#send = send;
    this.#segmentPrototype = Object.create(sdk.Segment.prototype as object, {
      flush: {
        value: function flush(this: XRayEntity): void {
          send(serializeSegment(this));
        },
      },
      close: { value: closeSegment },
    }) as object;
    this.#subsegmentPrototype = sdk.Subsegment.prototype as object;
    const template = new sdk.Segment(serviceName) as XRayEntity & { service?: unknown; aws?: unknown; origin?: unknown };
    this.#service = template.service;
    this.#aws = template.aws;
    this.#origin = template.origin;
  }

  /** A segment started at `startTime` (epoch seconds); closing it sends its document. */
  public segment(name: string, xrayTraceId: string, id: string, parentId: string | undefined, startTime: number): XRayEntity {
    const segment = Object.create(this.#segmentPrototype) as Record<string, unknown>;
    segment.trace_id = xrayTraceId;
    segment.id = id;
    segment.start_time = startTime;
    segment.name = name;
    segment.in_progress = true;
    segment.counter = 0;
    if (parentId !== undefined) segment.parent_id = parentId;
    if (this.#service !== undefined) segment.service = this.#service;
    if (this.#aws !== undefined) segment.aws = this.#aws;
    if (this.#origin !== undefined) segment.origin = this.#origin;
    return segment as unknown as XRayEntity;
  }

  /**
   * Sends, ending now, the document of a server segment that recorded only its request, response and calls (their
   * subsegments' documents): what {@link XRayEntityFactory.segment} would send once given `http`, the `http_route`
   * annotation, the status flags and the subsegments and closed, written without a segment object.
   */
  public sendServerSegment(
    start: ServerSegmentStart,
    response: unknown,
    route: string,
    statusCode: number,
    subsegments: readonly object[] | undefined,
  ): void {
    this.#send(
      JSON.stringify({
        trace_id: start.traceId,
        id: start.id,
        start_time: start.startTime,
        end_time: Date.now() / 1000,
        name: start.name,
        parent_id: start.parentId,
        origin: this.#origin,
        service: this.#service,
        aws: this.#aws,
        http: { request: start.request, response },
        annotations: { http_route: route },
        error: isXRayError(statusCode) || undefined,
        fault: isXRayFault(statusCode) || undefined,
        throttle: isXRayThrottle(statusCode) || undefined,
        subsegments,
      }),
    );
  }

  /** The `cause` the SDK's subsegment records for an exception of a remote call (its stack frames parsed). */
  public remoteCause(error: Error): unknown {
    const scratch = Object.create(this.#subsegmentPrototype) as XRayEntity & { cause?: unknown };
    scratch.addError(withFilePaths(error), true);
    return scratch.cause;
  }
}

/**
 * @internal `error`, with the `file://` URLs of an ES module's stack frames written as paths: the SDK splits a frame
 * on ':', so `file:///app/handler.js:8:51` became path "file" with no line. A copy that inherits the rest.
 */
const withFilePaths = (error: Error): Error => {
  const { stack } = error;
  if (typeof stack !== 'string' || !stack.includes('file:///')) return error;
  const copy = Object.create(error) as Error;
  Object.defineProperty(copy, 'stack', { value: stack.replaceAll('file:///', '/') });
  return copy;
};

/** @internal What a server segment knows from its request's start (see {@link XRayEntityFactory.sendServerSegment}). */
interface ServerSegmentStart {
  readonly name: string;
  /** X-Ray format, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | undefined;
  /** Epoch seconds. */
  readonly startTime: number;
  /** The document's `http.request`. */
  readonly request: unknown;
}

/* X-Ray's semantics of a response's status: every 4xx, 429 included, is an error, 429 also a throttle, every 5xx a fault. */
const isXRayError = (statusCode: number): boolean => statusCode >= 400 && statusCode < 500;
const isXRayThrottle = (statusCode: number): boolean => statusCode === 429;
const isXRayFault = (statusCode: number): boolean => statusCode >= 500;

/** @internal Flags a segment or subsegment by its response's status code, with X-Ray's semantics. */
const flagStatus = (entity: XRayEntity, statusCode: number): void => {
  if (isXRayThrottle(statusCode)) entity.addThrottleFlag();
  if (isXRayError(statusCode)) entity.addErrorFlag();
  if (isXRayFault(statusCode)) entity.addFaultFlag();
};

/**
 * The SDK's `Segment.close` without its `delete`s: deleting `in_progress`, a property in the middle of the segment's
 * shape, turns the segment into a dictionary-mode object, and every field the document then reads is a hash lookup.
 * `in_progress` and `exception` (the SDK's bookkeeping of causes) are set to undefined instead: documents leave
 * undefined fields out, and `isClosed()` reads an undefined `in_progress` as closed.
 */
function closeSegment(
  this: XRayEntity & { end_time?: number; exception?: unknown; counter: number },
  error?: Error | string | null,
  remote?: boolean,
): void {
  this.end_time ||= Date.now() / 1000;
  if (error !== undefined && error !== null) this.addError(error, remote);
  this.in_progress = undefined;
  if (this.exception !== undefined) this.exception = undefined;
  if (this.counter <= 0) this.flush();
}

/**
 * The segment document, as `segment.format()` writes it (the same fields, in the SDK's order) but without
 * its deep copy and per-key replacer (most of the X-Ray backend's cost). The document is one object literal, so
 * every document has the same hidden class: filling an empty object field by field, as before, turned it into a
 * dictionary past a dozen fields, which made each access and JSON.stringify's walk slow. Fields left undefined are
 * not written. Falls back to `format()` for values plain JSON cannot write (BigInt metadata).
 */
const serializeSegment = (segment: XRayEntity): string => {
  const source = segment as unknown as SegmentFields;
  const subsegments = source.subsegments;
  const document: SegmentFields = {
    trace_id: source.trace_id,
    id: source.id,
    start_time: source.start_time,
    end_time: source.end_time,
    name: source.name,
    in_progress: source.in_progress,
    parent_id: source.parent_id,
    origin: source.origin,
    service: source.service,
    aws: source.aws,
    user: source.user,
    http: source.http,
    annotations: source.annotations,
    metadata: source.metadata,
    error: source.error,
    fault: source.fault,
    throttle: source.throttle,
    cause: source.cause,
    subsegments: subsegments !== undefined && subsegments.length > 0 ? subsegments : undefined,
  };
  try {
    return JSON.stringify(document);
  } catch {
    return segment.format();
  }
};

/** The fields of a segment document; everything else on a segment object is the SDK's bookkeeping. */
interface SegmentFields {
  trace_id: unknown;
  id: unknown;
  start_time: unknown;
  end_time: unknown;
  name: unknown;
  in_progress: unknown;
  parent_id: unknown;
  origin: unknown;
  service: unknown;
  aws: unknown;
  user: unknown;
  http: unknown;
  annotations: unknown;
  metadata: unknown;
  error: unknown;
  fault: unknown;
  throttle: unknown;
  cause: unknown;
  subsegments: unknown[] | undefined;
}

export { loadXRaySdk, XRayEntityFactory, flagStatus, isXRayError, isXRayFault, isXRayThrottle, withFilePaths };
export type { XRayEntity, XRaySdk, ServerSegmentStart };
