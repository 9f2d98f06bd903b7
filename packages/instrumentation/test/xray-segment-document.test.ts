import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { XRayClientSubsegment } from '../src/tracing/xray-client-subsegment.js';
import { flagStatus, withFilePaths, XRayEntityFactory, type XRayEntity, type XRaySdk } from '../src/tracing/xray-sdk.js';
import { XRayServerSegment } from '../src/tracing/xray-server-segment.js';

const sdk = createRequire(import.meta.url)('aws-xray-sdk-core') as XRaySdk;

/** A closed segment with every kind of document field, and the documents it was sent as. */
const recordedSegment = (fill: (segment: XRayEntity) => void): { segment: XRayEntity; sent: string[] } => {
  const sent: string[] = [];
  const factory = new XRayEntityFactory(sdk, 'checkout', (document) => sent.push(document));
  const segment = factory.segment('checkout', '1-5759e988-bd862e3fe1be46a994272793', '53995c3f42cd8ad8', 'a1b2c3d4e5f60718', Date.now() / 1000);
  fill(segment);
  segment.close();
  return { segment, sent };
};

describe('the X-Ray segment document', () => {
  it('has the fields and values of the SDK’s own format(), without its bookkeeping', () => {
    const { segment, sent } = recordedSegment((segment) => {
      segment.http = { request: { method: 'GET', url: 'http://shop/products/42', client_ip: '10.0.0.1' }, response: { status: 503 } };
      segment.addAnnotation('UserID', 'user-7');
      segment.addAnnotation('attempt', 2);
      segment.addMetadata('order', { items: 3, note: 'Grüße "quoted"' });
      segment.addFaultFlag();
      segment.addError(new Error('inventory unavailable'));
      const call = segment.addNewSubsegment('inventory');
      call.namespace = 'remote';
      call.close();
    });

    expect(sent).toHaveLength(1);
    const document = JSON.parse(sent[0]!) as Record<string, unknown>;
    expect(document).toEqual(JSON.parse(segment.format()));
    expect(document).toMatchObject({ trace_id: '1-5759e988-bd862e3fe1be46a994272793', id: '53995c3f42cd8ad8', parent_id: 'a1b2c3d4e5f60718', fault: true });
    expect(document).not.toHaveProperty('counter');
    expect((document.subsegments as { name: string }[]).map((subsegment) => subsegment.name)).toEqual(['inventory']);
  });

  it('leaves out the fields a segment does not have, and an empty subsegment list', () => {
    const { segment, sent } = recordedSegment((segment) => {
      // A subsegment the SDK took off again (as it does when it streams them): the list is left empty.
      const call = segment.addNewSubsegment('inventory');
      call.close();
      (segment as unknown as { removeSubsegment(subsegment: XRayEntity): void }).removeSubsegment(call);
    });

    const document = JSON.parse(sent[0]!) as Record<string, unknown>;

    expect(document).toEqual(JSON.parse(segment.format()));
    expect(Object.keys(document)).not.toContain('subsegments');
    expect(Object.keys(document)).not.toContain('annotations');
  });

  it('stays a fast-properties object when it closes (the SDK’s close() deletes fields, which makes it a dictionary)', () => {
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (object: object) => boolean;
    const { segment } = recordedSegment((segment) => {
      segment.http = { request: { method: 'GET', url: 'http://shop/products/42' }, response: { status: 200 } };
      segment.addAnnotation('http_route', '/products/:id');
    });

    expect(segment.in_progress).toBeUndefined();
    expect(hasFastProperties(segment)).toBe(true);
  });

  it.each([
    [200, 'a1b2c3d4e5f60718'],
    [404, undefined],
    [429, undefined],
    [503, 'a1b2c3d4e5f60718'],
  ])('of a request that recorded only its request and response (%i, parent %s) is the one its SDK segment would send', (status, parentId) => {
    const sent: string[] = [];
    const factory = new XRayEntityFactory(sdk, 'checkout', (document) => sent.push(document));
    const request = { method: 'GET', url: 'http://shop/products/42', user_agent: 'curl/8.5.0', client_ip: '10.0.0.1', x_forwarded_for: true as const };
    const serverSegment = (): XRayServerSegment =>
      new XRayServerSegment(factory, 'checkout', '1-5759e988-bd862e3fe1be46a994272793', '53995c3f42cd8ad8', parentId, request);

    const throughSdk = serverSegment();
    expect(throughSdk.entity.in_progress).toBe(true);
    throughSdk.end('/products/:id', status, 27);
    serverSegment().end('/products/:id', status, 27);

    expect(sent).toHaveLength(2);
    const [viaSdk, direct] = sent.map((document) => JSON.parse(document) as Record<string, number>);
    const withoutTimes = ({ start_time: _start, end_time: _end, ...rest }: Record<string, number>): object => rest;
    expect(withoutTimes(direct!)).toEqual(withoutTimes(viaSdk!));
    expect(direct).toMatchObject({ http: { request, response: { status, content_length: 27 } }, annotations: { http_route: '/products/:id' } });
    expect(direct!.end_time).toBeGreaterThanOrEqual(direct!.start_time!);
  });

  it.each([200, 404, 429, 503, 'refused'] as const)('of a call (%s) is the subsegment document the SDK would write', (outcome) => {
    const factory = new XRayEntityFactory(sdk, 'checkout', () => undefined);
    const request = { url: 'http://inventory/stock/42', method: 'GET' };
    const failure = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:80'), { code: 'ECONNREFUSED' });
    const viaSdk = new sdk.Segment('checkout').addNewSubsegment('inventory');
    viaSdk.namespace = 'remote';
    viaSdk.http = { request };
    const call = new XRayClientSubsegment({ callEnded: () => undefined, remoteCause: (error) => factory.remoteCause(error) }, 'inventory', viaSdk.id, request);
    if (outcome === 'refused') {
      // The SDK given the error as ours gives it: stack frames that are file:// URLs written as paths.
      viaSdk.close(withFilePaths(failure), true);
      call.fail(failure);
    } else {
      (viaSdk.http as { response?: unknown }).response = { status: outcome };
      flagStatus(viaSdk, outcome);
      viaSdk.close();
      call.end(outcome);
    }

    // Leaves out the times, the SDK's bookkeeping field and each exception's random id.
    const leftOut = (key: string, value: unknown): boolean =>
      ['start_time', 'end_time', 'notTraced'].includes(key) || (key === 'id' && value !== call.id);
    const withoutTimes = (document: string): object =>
      JSON.parse(document, (key, value: unknown) => (leftOut(key, value) ? undefined : value)) as object;
    expect(withoutTimes(JSON.stringify(call))).toEqual(withoutTimes(JSON.stringify(viaSdk)));
    expect(call.end_time).toBeGreaterThanOrEqual(call.start_time);
  });

  it('of a request that made calls has their subsegments, and is sent when the last call ends', () => {
    const sent: string[] = [];
    const factory = new XRayEntityFactory(sdk, 'checkout', (document) => sent.push(document));
    const request = { method: 'GET', url: 'http://shop/checkout/42', user_agent: undefined, client_ip: '10.0.0.1' };
    const segments = [true, false].map((annotated) => {
      const segment = new XRayServerSegment(factory, 'checkout', '1-5759e988-bd862e3fe1be46a994272793', '53995c3f42cd8ad8', undefined, request);
      if (annotated) segment.entity.addAnnotation('UserID', 'user-7'); // the SDK segment, made before the calls
      const stock = segment.startCall('inventory', '0123456789abcdef', { url: 'http://inventory/stock/42', method: 'GET' });
      const price = segment.startCall('pricing', '1123456789abcdef', { url: 'http://pricing/42', method: 'GET' });
      stock.end(200);
      segment.end('/checkout/:id', 200, 27);
      expect(sent).toHaveLength(annotated ? 0 : 1); // the pricing call is still open
      price.end(503);
      return segment;
    });

    expect(segments).toHaveLength(2);
    expect(sent).toHaveLength(2);
    const [viaSdk, direct] = sent.map((document) => JSON.parse(document) as Record<string, unknown>);
    const withoutTimes = ({ start_time: _start, end_time: _end, annotations, subsegments, ...rest }: Record<string, unknown>) => ({
      ...rest,
      annotations: { ...(annotations as object), UserID: undefined },
      subsegments: (subsegments as Record<string, unknown>[]).map(({ start_time: _s, end_time: _e, ...sub }) => sub),
    });
    expect(withoutTimes(direct!)).toEqual(withoutTimes(viaSdk!));
    expect(direct!.subsegments).toMatchObject([
      { name: 'inventory', namespace: 'remote', http: { response: { status: 200 } } },
      { name: 'pricing', namespace: 'remote', fault: true, http: { response: { status: 503 } } },
    ]);
  });

  it('falls back to the SDK’s format() for metadata plain JSON cannot write', () => {
    const { sent } = recordedSegment((segment) => segment.addMetadata('big', BigInt(2) ** BigInt(70)));

    expect(JSON.parse(sent[0]!)).toHaveProperty('metadata');
  });
});
