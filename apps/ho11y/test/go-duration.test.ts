import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../src/go-duration.js';

describe('Function: parseGoDuration (Go time.ParseDuration semantics)', () => {
  it.each([
    ['42ms', 42_000_000n],
    ['2ms', 2_000_000n],
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['1.5s', 1_500_000_000n],
    ['.5s', 500_000_000n],
    ['1.s', 1_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['2h45m30.5s', 9_930_500_000_000n],
    ['300ns', 300n],
    ['7us', 7_000n],
    ['7µs', 7_000n],
    ['7μs', 7_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['1.0000000001s', 1_000_000_000n],
    ['0.3333333333333333333h', 1_200_000_000_000n],
    ['9223372036854775807ns', 9_223_372_036_854_775_807n],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
  ])('parses %j as %d ns', (input, nanoseconds) => {
    expect(parseGoDuration(input)).toBe(nanoseconds);
  });

  it.each([
    ['', /it is empty/],
    ['-', /it is empty/],
    ['42', /no unit/],
    ['1.5', /no unit/],
    ['.s', /no digits/],
    ['42MS', /unknown unit "MS"/],
    ['42 ms', /unknown unit " ms"/],
    ['3d', /unknown unit "d"/],
    ['s', /unexpected "s"/],
    ['9223372036854775808ns', /overflows/],
    ['3000000h', /overflows/],
  ])('rejects %j with a reason', (input, reason) => {
    expect(() => parseGoDuration(input)).toThrow(reason);
  });
});
