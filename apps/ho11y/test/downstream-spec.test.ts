import { describe, expect, it } from 'vitest';
import { parseDownstream } from '../src/downstream-spec.js';

describe('Function: parseDownstream', () => {
  it("parses the blog's DUMMY downstreams", () => {
    expect(parseDownstream('DUMMY:187kB:42ms')).toEqual({ kind: 'dummy', raw: 'DUMMY:187kB:42ms', sizeBytes: 191_488, durationMs: 42 });
    expect(parseDownstream('DUMMY:13kB:2ms')).toEqual({ kind: 'dummy', raw: 'DUMMY:13kB:2ms', sizeBytes: 13_312, durationMs: 2 });
    expect(parseDownstream('DUMMY:1kB:1500us')).toMatchObject({ durationMs: 1.5 });
    expect(parseDownstream('DUMMY::0')).toMatchObject({ sizeBytes: 0, durationMs: 0 });
  });

  it('parses http and https URLs', () => {
    const spec = parseDownstream('http://downstream0');
    expect(spec).toMatchObject({ kind: 'url', raw: 'http://downstream0' });
    expect(spec.kind === 'url' && spec.url.href).toBe('http://downstream0/');
    expect(parseDownstream('https://example.com/x?y=1')).toMatchObject({ kind: 'url' });
  });

  it.each([
    ['DUMMY:1kB', /write DUMMY:<size>:<duration>/],
    ['DUMMY', /write DUMMY:<size>:<duration>/],
    ['DUMMY:1kB:1ms:extra', /write DUMMY:<size>:<duration>/],
    ['DUMMYX:1kB:1ms', /write DUMMY:<size>:<duration>/],
    ['DUMMY:1Kb:1ms', /means bits/],
    ['DUMMY:1.5kB:1ms', /unknown unit/],
    ['DUMMY:1kB:42', /no unit/],
    ['DUMMY:1kB:-1s', /negative duration/],
    ['DUMMY:1kB:720h', /longest timer/],
    ['downstream0', /neither a URL nor DUMMY/],
    ['ftp://example.com/', /http: or https: only/],
  ])('rejects %j with the reason', (input, reason) => {
    expect(() => parseDownstream(input)).toThrow(reason);
  });
});
