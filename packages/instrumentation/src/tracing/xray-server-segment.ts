import { XRayClientSubsegment, type XRayCallParent, type XRayCallRequest } from './xray-client-subsegment.js';
import { flagStatus, type ServerSegmentStart, type XRayEntity, type XRayEntityFactory } from './xray-sdk.js';

/** @internal The `http.request` part of a server segment. */
interface XRayHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly user_agent: string | undefined;
  readonly client_ip: string | undefined;
  readonly x_forwarded_for?: true;
}

/** The response a segment ended with, kept while its calls are still open. */
interface SegmentEnd {
  readonly route: string;
  readonly statusCode: number;
  readonly contentLength: number | undefined;
}

/**
 * @internal The X-Ray segment of one sampled request. Most requests record nothing but their request, response and
 * outgoing calls: their document is written straight from these fields and the calls' subsegments
 * ({@link XRayClientSubsegment}) when the response and every call have ended, as the SDK sends a segment once its
 * subsegments have closed. A request whose handler annotates, adds metadata or records an exception gets an SDK
 * segment object, made the first time it needs one ({@link XRayServerSegment.entity}). Why: the SDK's objects and
 * methods are code that a sampled request runs once in twenty requests, cold each time
 * (docs/benchmarks/instrumentation.md).
 */
class XRayServerSegment implements ServerSegmentStart, XRayCallParent {
  readonly #factory: XRayEntityFactory;
  public readonly name: string;
  public readonly traceId: string;
  public readonly id: string;
  public readonly parentId: string | undefined;
  public readonly request: XRayHttpRequest;
  /** Epoch seconds, from the wall clock like every time the SDK writes (its subsegments' among them). */
  public readonly startTime = Date.now() / 1000;
  #entity: XRayEntity | undefined;
  #calls: XRayClientSubsegment[] | undefined;
  #openCalls = 0;
  #end: SegmentEnd | undefined;

  public constructor(
    factory: XRayEntityFactory,
    name: string,
    xrayTraceId: string,
    id: string,
    parentId: string | undefined,
    request: XRayHttpRequest,
  ) {
    this.#factory = factory;
    this.name = name;
    this.traceId = xrayTraceId;
    this.id = id;
    this.parentId = parentId;
    this.request = request;
  }

  /** The SDK segment, made on first use with the request's start time and `http.request`. */
  public get entity(): XRayEntity {
    if (this.#entity === undefined) {
      this.#entity = this.#factory.segment(this.name, this.traceId, this.id, this.parentId, this.startTime);
      this.#entity.http = { request: this.request };
    }
    return this.#entity;
  }

  /** The subsegment of an outgoing call made now. */
  public startCall(name: string, id: string, request: XRayCallRequest): XRayClientSubsegment {
    const call = new XRayClientSubsegment(this, name, id, request);
    (this.#calls ??= []).push(call);
    this.#openCalls += 1;
    return call;
  }

  /** {@link XRayCallParent}: sends the segment if its response ended before this, its last open call. */
  public callEnded(): void {
    this.#openCalls -= 1;
    if (this.#openCalls === 0 && this.#end !== undefined) this.#send(this.#end);
  }

  /** {@link XRayCallParent} */
  public remoteCause(error: Error): unknown {
    return this.#factory.remoteCause(error);
  }

  /**
   * Ends the segment with the response (status flags, `http_route` annotation) and sends it to the daemon, now or,
   * with calls still open, when the last of them ends.
   */
  public end(route: string, statusCode: number, contentLength: number | undefined): void {
    if (this.#end !== undefined) return;
    this.#end = { route, statusCode, contentLength };
    if (this.#openCalls === 0) this.#send(this.#end);
  }

  #send({ route, statusCode, contentLength }: SegmentEnd): void {
    const response = contentLength === undefined ? { status: statusCode } : { status: statusCode, content_length: contentLength };
    const segment = this.#entity;
    if (segment === undefined) {
      this.#factory.sendServerSegment(this, response, route, statusCode, this.#calls);
      return;
    }
    (segment.http as { response?: unknown }).response = response;
    segment.addAnnotation('http_route', route);
    flagStatus(segment, statusCode);
    // The calls' subsegments are plain documents: the SDK segment's document writes them as they are.
    if (this.#calls !== undefined) segment.subsegments = this.#calls;
    segment.close();
  }
}

export { XRayServerSegment };
export type { XRayHttpRequest };
