import { isXRayError, isXRayFault, isXRayThrottle } from './xray-sdk.js';

/** @internal The `http.request` of an outgoing call's subsegment. */
interface XRayCallRequest {
  readonly url: string;
  readonly method: string;
}

/** @internal What a client subsegment tells the segment it belongs to. */
interface XRayCallParent {
  /** The call ended: the segment may be sent once its response has ended too. */
  callEnded(): void;
  /** The `cause` X-Ray's SDK records for an exception from a remote call. */
  remoteCause(error: Error): unknown;
}

/**
 * @internal The subsegment of one outgoing call of a sampled request: a plain object whose fields are its document,
 * written into its segment's document as it is. It has the fields and values the SDK's subsegment would send
 * (namespace `remote`, `http`, X-Ray's status flags, the cause of a failed call), without the SDK object's
 * bookkeeping, its `close` (which deletes a field and so makes the object a dictionary) and its `toJSON` copy. The
 * segment's own document waits for its open calls, as the SDK's does.
 */
class XRayClientSubsegment {
  readonly #parent: XRayCallParent;
  public readonly id: string;
  public readonly name: string;
  /** Epoch seconds, from the wall clock like every time the SDK writes. */
  public readonly start_time = Date.now() / 1000;
  public end_time: number | undefined = undefined;
  public readonly namespace = 'remote';
  public readonly http: { readonly request: XRayCallRequest; response: { readonly status: number } | undefined };
  public error: true | undefined = undefined;
  public throttle: true | undefined = undefined;
  public fault: true | undefined = undefined;
  public cause: unknown = undefined;

  public constructor(parent: XRayCallParent, name: string, id: string, request: XRayCallRequest) {
    this.#parent = parent;
    this.name = name;
    this.id = id;
    this.http = { request, response: undefined };
  }

  /** Ends the call with its response's status: 4xx is an error, 429 also a throttle, 5xx a fault. */
  public end(statusCode: number): void {
    if (this.end_time !== undefined) return;
    this.end_time = Date.now() / 1000;
    this.http.response = { status: statusCode };
    if (isXRayError(statusCode)) this.error = true;
    if (isXRayThrottle(statusCode)) this.throttle = true;
    if (isXRayFault(statusCode)) this.fault = true;
    this.#parent.callEnded();
  }

  /** Ends a call that got no response: a fault, with the exception as its cause. */
  public fail(error: Error): void {
    if (this.end_time !== undefined) return;
    this.end_time = Date.now() / 1000;
    this.fault = true;
    this.cause = this.#parent.remoteCause(error);
    this.#parent.callEnded();
  }
}

export { XRayClientSubsegment };
export type { XRayCallParent, XRayCallRequest };
