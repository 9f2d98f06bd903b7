import { ROOT_CONTEXT, defaultTextMapGetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { describe, expect, it } from 'vitest';
import { fromXRayTraceId, toXRayTraceId } from '../src/index.js';
import { extractIncomingTraceContext, parseXRayTraceHeader } from '../src/tracing/incoming-trace-header.js';
import { propagationHeaders } from '../src/tracing/tracing.js';

const BOTH = { tracecontext: true, xray: true, baggage: false };

describe('Trace headers', () => {
  it('writes headers that OpenTelemetry\'s own X-Ray and W3C propagators read back to the same ids', () => {
    const headers = propagationHeaders('5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8', true, BOTH);
    for (const propagator of [new AWSXRayPropagator(), new W3CTraceContextPropagator()]) {
      const spanContext = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter))!;
      expect(spanContext).toMatchObject({ traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 1 });
    }
  });

  it('reads what OpenTelemetry\'s X-Ray propagator writes', () => {
    const carrier: Record<string, string> = {};
    const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: '6b01ff041a5e71ed81e88c619aaf6002', spanId: '9325bedcd0b69f77', traceFlags: 0 });
    new AWSXRayPropagator().inject(context, carrier, { set: (c, k, v) => (c[k] = v) });
    expect(extractIncomingTraceContext(carrier, BOTH)).toEqual({
      traceId: '6b01ff041a5e71ed81e88c619aaf6002',
      parentSpanId: '9325bedcd0b69f77',
      sampled: false,
    });
  });

  it('leaves the sampling decision to us for Sampled=? and for an ALB Root without Parent', () => {
    expect(parseXRayTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?')?.sampled).toBeUndefined();
    expect(parseXRayTraceHeader('Self=1-5759e989-000000000000000000000000;Root=1-5759e988-bd862e3fe1be46a994272793')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      parentSpanId: undefined,
      sampled: undefined,
    });
  });

  it('prefers a valid traceparent over X-Amzn-Trace-Id and ignores malformed headers', () => {
    expect(
      extractIncomingTraceContext({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      }, BOTH)?.traceId,
    ).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(extractIncomingTraceContext({ traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }, BOTH)).toBeUndefined();
    expect(extractIncomingTraceContext({ 'x-amzn-trace-id': 'Root=2-nothex' }, BOTH)).toBeUndefined();
  });

  it('converts between X-Ray and OpenTelemetry trace ids', () => {
    expect(toXRayTraceId('5759e988bd862e3fe1be46a994272793')).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(fromXRayTraceId('1-5759e988-bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
    expect(fromXRayTraceId('not-an-id')).toBeUndefined();
  });
});
