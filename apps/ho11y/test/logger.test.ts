import { describe, expect, it } from 'vitest';
import { formatRfc3339Local, Ho11yLogger } from '../src/logger.js';

function collect(): { lines: string[]; logger: Ho11yLogger } {
  const lines: string[] = [];
  const logger = new Ho11yLogger({ sink: { write: (chunk: string) => lines.push(chunk) }, now: () => new Date('2021-04-26T17:07:31.789Z') });
  return { lines, logger };
}

describe('Class: Ho11yLogger', () => {
  it('writes logrus JSONFormatter lines: sorted keys, level, msg, RFC 3339 time, newline', () => {
    // Prepare
    const { lines, logger } = collect();

    // Act
    logger.info('ho11y was invoked', { traceID: '1-6086f35f-fdb81d0f3235709c09a86978', remote: '10.0.1.2:54321', event: 'invoke' });

    // Assess
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(line))).toEqual(['event', 'level', 'msg', 'remote', 'time', 'traceID']);
    expect(line).toBe(
      `{"event":"invoke","level":"info","msg":"ho11y was invoked","remote":"10.0.1.2:54321","time":"${formatRfc3339Local(new Date('2021-04-26T17:07:31.789Z'))}","traceID":"1-6086f35f-fdb81d0f3235709c09a86978"}\n`,
    );
  });

  it('spells levels as logrus does', () => {
    const { lines, logger } = collect();
    logger.warning('w');
    logger.error('e');
    logger.fatal('f');
    expect(lines.map((line) => JSON.parse(line).level)).toEqual(['warning', 'error', 'fatal']);
  });

  it("escapes HTML characters like Go's encoding/json", () => {
    const { lines, logger } = collect();
    logger.info('a <b> & c');
    expect(lines[0]).toContain('"msg":"a \\u003cb\\u003e \\u0026 c"');
    expect(JSON.parse(lines[0] as string).msg).toBe('a <b> & c');
  });

  it('keeps numbers as JSON numbers', () => {
    const { lines, logger } = collect();
    logger.info('ho11y invoked DUMMY:187kB:42ms', { event: 'downstream', body_bytes: 191488, duration_sec: 0.042 });
    expect(lines[0]).toMatch(/^\{"body_bytes":191488,"duration_sec":0\.042,"event":"downstream","level":"info","msg":"ho11y invoked DUMMY:187kB:42ms","time":"[^"]+"\}\n$/);
  });
});

describe('Function: formatRfc3339Local', () => {
  it('prints seconds precision and the local offset, or Z for UTC', () => {
    const formatted = formatRfc3339Local(new Date('2021-04-26T17:07:31.789Z'));
    expect(formatted).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    // The same instant, whatever the local zone.
    expect(new Date(formatted).getTime()).toBe(new Date('2021-04-26T17:07:31Z').getTime());
  });
});
