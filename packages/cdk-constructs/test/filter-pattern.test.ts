import { describe, expect, it } from 'vitest';
import { CompiledFilterPattern, evaluateMetricFilter, FilterPatternError, matchesFilterPattern } from '../src/filter-pattern/index.js';

describe('Function: matchesFilterPattern (JSON patterns)', () => {
  const event = {
    level: 'ERROR', latency: 1500, ok: false, user: null, tags: ['a', 'b'],
    request: { method: 'GET', path: '/cart/42' }, 'k8s.namespace.name': 'ho11y', code: '403',
  };

  it.each([
    ['{ $.level = "ERROR" }', true],
    ['{ $.level = ERROR }', true],
    ['{ $.level != "ERROR" }', false],
    ['{ $.latency > 1000 }', true],
    ['{ $.latency >= 1500 && $.latency <= 1500 }', true],
    ['{ $.latency < 1000 }', false],
    ['{ $.request.method = "GET" && $.request.path = "/cart/*" }', true],
    ['{ $.request.path = "/orders/*" }', false],
    ['{ $.tags[1] = "b" }', true],
    ['{ $.tags[5] = "b" }', false],
    ["{ $.['k8s.namespace.name'] = \"ho11y\" }", true],
    ['{ $.["k8s.namespace.name"] = "default" }', false],
    ['{ $.ok IS FALSE }', true],
    ['{ $.ok IS TRUE }', false],
    ['{ $.user IS NULL }', true],
    ['{ $.missing NOT EXISTS }', true],
    ['{ $.level NOT EXISTS }', false],
    ['{ $.level = * }', true],
    ['{ $.missing = "*" }', false],
    ['{ $.missing != "x" }', false],
    ['{ ($.level = "WARN" || $.latency > 1000) && $.request.method = "GET" }', true],
    ['{ $.level = "WARN" || $.latency > 1000 && $.request.method = "POST" }', false],
    ['{ $.code = 403 }', true],
    ['{ $.code = "403" }', true],
  ])('%s -> %s', (pattern, expected) => {
    expect(matchesFilterPattern(pattern, event)).toBe(expected);
  });

  it('reads a raw JSON line and never matches a line that is not a JSON object', () => {
    const pattern = new CompiledFilterPattern('{ $.level = "ERROR" }');
    expect(pattern.matches(JSON.stringify({ level: 'ERROR' }))).toBe(true);
    expect(pattern.matches('level=ERROR not json')).toBe(false);
    expect(pattern.matches('["ERROR"]')).toBe(false);
  });

  it('compares a number with the text of a JSON number, as the blog\'s quoted "403" filter does', () => {
    expect(matchesFilterPattern('{ $.responseStatus.code = "403" }', { responseStatus: { code: 403 } })).toBe(true);
    expect(matchesFilterPattern('{ $.responseStatus.code = 403 }', { responseStatus: { code: 200 } })).toBe(false);
  });
});

describe('Function: matchesFilterPattern (space-delimited and term patterns)', () => {
  const clf = '192.168.99.44 - - [14/Apr/2023:21:40:44 +0000] "GET / HTTP/1.1" 500 22';

  it("matches the blog's Common Log Format filter [host, logName, user, timestamp, request, statusCode>200, size]", () => {
    const pattern = '[host, logName, user, timestamp, request, statusCode>200, size]';
    expect(matchesFilterPattern(pattern, clf)).toBe(true);
    expect(matchesFilterPattern(pattern, clf.replace(' 500 ', ' 200 '))).toBe(false);
    expect(matchesFilterPattern(pattern, `${clf} extra`)).toBe(false);
  });

  it('supports ..., && and || in a column, and quoted values', () => {
    expect(matchesFilterPattern('[..., status >= 500 && status < 600, size]', clf)).toBe(true);
    expect(matchesFilterPattern('[host, ..., status = 404 || status = 500, size]', clf)).toBe(true);
    expect(matchesFilterPattern('[host, logName, user, timestamp, request = "GET *", ...]', clf)).toBe(true);
    expect(matchesFilterPattern('[host = 10.*, ...]', clf)).toBe(false);
  });

  it('matches plain terms case-sensitively, with phrases, alternatives and exclusions', () => {
    expect(matchesFilterPattern('ERROR Exception', '[ERROR] Caught IllegalArgumentException')).toBe(true);
    expect(matchesFilterPattern('ERROR Exception', '[ERROR] all good')).toBe(false);
    expect(matchesFilterPattern('"Failed to process"', 'WARN Failed to process the request')).toBe(true);
    expect(matchesFilterPattern('?ERROR ?WARN', 'WARN disk')).toBe(true);
    expect(matchesFilterPattern('ERROR -Retry', 'ERROR Retry scheduled')).toBe(false);
    expect(matchesFilterPattern('error', 'ERROR')).toBe(false);
    expect(matchesFilterPattern('', 'anything')).toBe(true);
  });
});

describe('Function: matchesFilterPattern (errors)', () => {
  it.each([
    ['{ $.message = %timeout% }', /regular expressions/],
    ['{ $.a.* = 1 }', /wildcard selectors/],
    ['{ $.level = "ERROR" ', /enclosed in \{ \}/],
    ['{ level = "ERROR" }', /selector/],
    ['{ $.level > "ERROR" }', /compares numbers/],
    ['{ $.level = "ERROR }', /unterminated string/],
    ['{ ($.a = 1 }', /expected "\)"/],
    ['{ $.a ~ 1 }', /expected a comparison/],
    ['[a, ..., b, ...]', /at most one "\.\.\."/],
    ['%ERROR%', /regular expressions/],
  ])('%s throws a FilterPatternError that says what is wrong', (pattern, message) => {
    const act = () => matchesFilterPattern(pattern, '{}');
    expect(act).toThrow(FilterPatternError);
    expect(act).toThrow(message);
  });

  it('reports where the problem is', () => {
    try {
      matchesFilterPattern('{ $.level = %x% }', '{}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FilterPatternError);
      expect((error as FilterPatternError).position).toBe(12);
      expect((error as FilterPatternError).pattern).toBe('{ $.level = %x% }');
    }
  });
});

describe('Function: evaluateMetricFilter', () => {
  it('returns the value and dimensions a JSON metric filter publishes', () => {
    const filter = { filterPattern: '{ $.latency > 0 }', metricValue: '$.latency', dimensions: { Path: '$.request.path', Missing: '$.nope' } };
    expect(evaluateMetricFilter(filter, { latency: 12, request: { path: '/a' } }))
      .toEqual({ value: 12, dimensions: { Path: '/a' }, missingDimensions: ['Missing'] });
    expect(evaluateMetricFilter(filter, { latency: 0 })).toBeUndefined();
  });

  it('counts events with a literal value and reads $column references of space-delimited filters', () => {
    const filter = { filterPattern: '[ip, user, status >= 400]', metricValue: '1', dimensions: { Status: '$status' } };
    expect(evaluateMetricFilter(filter, '10.0.0.1 bob 404')).toEqual({ value: 1, dimensions: { Status: '404' }, missingDimensions: [] });
  });

  it('refuses a reference in the wrong syntax for the pattern', () => {
    expect(() => evaluateMetricFilter({ filterPattern: '[a, b]', metricValue: '$.b' }, 'x y')).toThrow(/\$name/);
  });
});
