import type { PropagatorSet } from '../config.js';
import { TRACEPARENT_HEADER, XRAY_HEADER } from '../constants.js';

/** @internal The trace context a request arrived with. */
interface IncomingTraceContext {
  /** 32 lower-case hex characters. */
  readonly traceId: string;
  /** Caller's span/segment id; absent when a load balancer started the trace (`Root=` only). */
  readonly parentSpanId: string | undefined;
  /** The caller's sampling decision; undefined when the caller left it to us (`Sampled=?` or absent). */
  readonly sampled: boolean | undefined;
  /** `Sampled=?`: the caller asks to be told our decision in the response's `X-Amzn-Trace-Id` (X-Ray protocol). */
  readonly samplingRequested?: boolean;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** @internal Parses a W3C `traceparent` header. */
const parseTraceparent = (value: string): IncomingTraceContext | undefined => {
  const match = TRACEPARENT.exec(value.trim());
  if (!match || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN || value.startsWith('ff')) return undefined;
  return { traceId: match[1]!, parentSpanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 };
};

/**
 * @internal Parses `X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`.
 * Unlike OpenTelemetry's X-Ray propagator it keeps a `Root` without `Parent`, which is what an Application Load
 * Balancer sends when it starts a trace, so the service's segment joins the load balancer's trace.
 */
const parseXRayTraceHeader = (value: string): IncomingTraceContext | undefined => {
  let traceId: string | undefined;
  let parentSpanId: string | undefined;
  let sampled: boolean | undefined;
  let samplingRequested = false;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const field = part.slice(eq + 1).trim();
    if (key === 'root') {
      const match = ROOT.exec(field.toLowerCase());
      if (match) traceId = `${match[1]}${match[2]}`;
    } else if (key === 'parent') {
      if (/^[0-9a-f]{16}$/i.test(field) && field !== ZERO_SPAN) parentSpanId = field.toLowerCase();
    } else if (key === 'sampled') {
      sampled = field === '1' ? true : field === '0' ? false : undefined;
      samplingRequested = field === '?';
    }
  }
  if (traceId === undefined || traceId === ZERO_TRACE) return undefined;
  return samplingRequested ? { traceId, parentSpanId, sampled, samplingRequested } : { traceId, parentSpanId, sampled };
};

/**
 * @internal The trace context of an incoming request, from the headers of the propagators in use. A valid
 * `traceparent` wins over `X-Amzn-Trace-Id` (the order of the ADOT default `xray,tracecontext`): an OpenTelemetry
 * caller sets both to the same ids, while a load balancer adds only `X-Amzn-Trace-Id`.
 */
const extractIncomingTraceContext = (
  headers: Readonly<Record<string, string | string[] | undefined>>,
  propagators: PropagatorSet,
): IncomingTraceContext | undefined => {
  const traceparent = propagators.tracecontext ? headers[TRACEPARENT_HEADER] : undefined;
  if (typeof traceparent === 'string') {
    const parsed = parseTraceparent(traceparent);
    if (parsed) return parsed;
  }
  const xray = propagators.xray ? headers[XRAY_HEADER] : undefined;
  return typeof xray === 'string' ? parseXRayTraceHeader(xray) : undefined;
};

export { extractIncomingTraceContext, parseTraceparent, parseXRayTraceHeader };
export type { IncomingTraceContext };
