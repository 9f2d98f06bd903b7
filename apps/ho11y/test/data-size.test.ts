import { describe, expect, it } from 'vitest';
import { Ho11yParseError } from '../src/errors.js';
import { parseDataSize } from '../src/data-size.js';

describe('Function: parseDataSize (catalint/datasize semantics)', () => {
  it.each([
    ['187kB', 191_488],
    ['13kB', 13_312],
    ['0', 0],
    ['', 0],
    ['42', 42],
    ['42b', 42],
    ['42 byte', 42],
    ['1k', 1024],
    ['1KB', 1024],
    ['1kilobytes', 1024],
    ['2MB', 2 * 1024 ** 2],
    ['2 mega', 2 * 1024 ** 2],
    ['3GB', 3 * 1024 ** 3],
    ['1TB', 1024 ** 4],
    ['1 PB ', 1024 ** 5],
    ['7kb', 7 * 1024],
  ])('parses %j as %d bytes (1024-based)', (input, bytes) => {
    expect(parseDataSize(input)).toBe(bytes);
  });

  it.each([
    ['1Kb', /means bits/],
    ['1Mb', /means bits/],
    ['1Gb', /means bits/],
    ['1.5kB', /unknown unit "\.5kB"/],
    ['kB', /must start with a digit/],
    [' 5kB', /must start with a digit/],
    ['-5kB', /must start with a digit/],
    ['5 bits', /unknown unit/],
    ['5KiB', /unknown unit "KiB"/],
    ['99999999999999999999', /overflows 64 bits/],
    ['16EB', /overflows 64 bits/],
    ['8EB', /at most 9007199254740991 bytes/],
  ])('rejects %j with a reason', (input, reason) => {
    expect(() => parseDataSize(input)).toThrow(reason);
    expect(() => parseDataSize(input)).toThrow(Ho11yParseError);
  });
});
