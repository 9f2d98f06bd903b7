import { flagStatus, type ServerSegmentStart, type XRayEntity, type XRayEntityFactory } from './xray-sdk.js';

/** @internal The `http.request` part of a server segment. */
interface XRayHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly user_agent: string | undefined;
  readonly client_ip: string | undefined;
  readonly x_forwarded_for?: true;
}

/**
 * @internal The X-Ray segment of one sampled request. Most requests record nothing but their request and response:
 * their document is written straight from these fields when the response ends. A request whose handler annotates,
 * adds metadata, records an exception or makes an outgoing call (a subsegment) gets an SDK segment object, made the
 * first time it needs one ({@link XRayServerSegment.entity}). Why: the SDK's objects and methods are code that a
 * sampled request runs once in twenty requests, cold each time (docs/benchmarks/instrumentation.md).
 */
class XRayServerSegment implements ServerSegmentStart {
  readonly #factory: XRayEntityFactory;
  public readonly name: string;
  public readonly traceId: string;
  public readonly id: string;
  public readonly parentId: string | undefined;
  public readonly request: XRayHttpRequest;
  /** Epoch seconds, from the wall clock like every time the SDK writes (its subsegments' among them). */
  public readonly startTime = Date.now() / 1000;
  #entity: XRayEntity | undefined;

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

  /** Ends the segment with the response (status flags, `http_route` annotation) and sends it to the daemon. */
  public end(route: string, statusCode: number, contentLength: number | undefined): void {
    const response = contentLength === undefined ? { status: statusCode } : { status: statusCode, content_length: contentLength };
    const segment = this.#entity;
    if (segment === undefined) {
      this.#factory.sendServerSegment(this, response, route, statusCode);
      return;
    }
    (segment.http as { response?: unknown }).response = response;
    segment.addAnnotation('http_route', route);
    flagStatus(segment, statusCode);
    segment.close();
  }
}

export { XRayServerSegment };
export type { XRayHttpRequest };
