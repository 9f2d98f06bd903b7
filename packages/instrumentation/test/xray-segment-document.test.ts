import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { XRayEntityFactory, type XRayEntity, type XRaySdk } from '../src/tracing/xray-sdk.js';
import { XRayServerSegment } from '../src/tracing/xray-server-segment.js';

const sdk = createRequire(import.meta.url)('aws-xray-sdk-core') as XRaySdk;

/** A closed segment with every kind of document field, and the documents it was sent as. */
const recordedSegment = (fill: (segment: XRayEntity, factory: XRayEntityFactory) => void): { segment: XRayEntity; sent: string[] } => {
  const sent: string[] = [];
  const factory = new XRayEntityFactory(sdk, 'checkout', (document) => sent.push(document));
  const segment = factory.segment('checkout', '1-5759e988-bd862e3fe1be46a994272793', '53995c3f42cd8ad8', 'a1b2c3d4e5f60718');
  fill(segment, factory);
  segment.close();
  return { segment, sent };
};

describe('the X-Ray segment document', () => {
  it('has the fields and values of the SDK’s own format(), without its bookkeeping', () => {
    const { segment, sent } = recordedSegment((segment, factory) => {
      segment.http = { request: { method: 'GET', url: 'http://shop/products/42', client_ip: '10.0.0.1' }, response: { status: 503 } };
      segment.addAnnotation('UserID', 'user-7');
      segment.addAnnotation('attempt', 2);
      segment.addMetadata('order', { items: 3, note: 'Grüße "quoted"' });
      segment.addFaultFlag();
      segment.addError(new Error('inventory unavailable'));
      const call = factory.subsegment(segment, 'inventory', '0123456789abcdef');
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
    const { segment, sent } = recordedSegment((segment, factory) => {
      // A subsegment the SDK took off again (as it does when it streams them): the list is left empty.
      const call = factory.subsegment(segment, 'inventory', '0123456789abcdef');
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

  it('falls back to the SDK’s format() for metadata plain JSON cannot write', () => {
    const { sent } = recordedSegment((segment) => segment.addMetadata('big', BigInt(2) ** BigInt(70)));

    expect(JSON.parse(sent[0]!)).toHaveProperty('metadata');
  });
});
