import { Ho11yParseError } from './errors.js';

/** Nanoseconds per unit, as Go's `time.ParseDuration` spells them (units are case-sensitive). */
const UNIT_NANOSECONDS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
const MAX_INT64 = 2n ** 63n - 1n;
const SYNTAX_HELP = 'write a sequence of decimal numbers, each with a unit (ns, us, µs, ms, s, m, h), e.g. "42ms", "1.5s" or "1h30m"';

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/**
 * Parses a duration with the syntax and semantics of Go's `time.ParseDuration`, which ho11y's
 * original used for the `<duration>` of `DUMMY:<size>:<duration>`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`,
 * units `ns`, `us` (or `µs`/`μs`), `ms`, `s`, `m`, `h`; a lone `0` needs no unit; fractions are
 * truncated to whole nanoseconds; the total must fit in a signed 64-bit count of nanoseconds.
 *
 * @example
 * ```ts
 * parseGoDuration('42ms'); // 42_000_000n
 * parseGoDuration('1h30m'); // 5_400_000_000_000n
 * ```
 * @param text - the duration, e.g. `42ms`
 * @returns the duration in nanoseconds (negative for a leading `-`)
 * @throws {@link Ho11yParseError} with what is wrong and the accepted syntax
 */
function parseGoDuration(text: string): bigint {
  const fail = (why: string): never => {
    throw new Ho11yParseError(`Invalid duration "${text}": ${why}; ${SYNTAX_HELP}`, text);
  };
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0n;
  }
  if (rest === '') {
    fail('it is empty');
  }
  let total = 0n;
  while (rest !== '') {
    if (!(rest[0] === '.' || isDigit(rest[0]))) {
      fail(`unexpected "${rest[0]}"`);
    }
    let index = 0;
    let whole = 0n;
    while (isDigit(rest[index])) {
      whole = whole * 10n + BigInt(Number(rest[index]));
      if (whole > MAX_INT64 + 1n) {
        fail('it overflows 64 bits');
      }
      index += 1;
    }
    const hasWhole = index > 0;
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (rest[index] === '.') {
      index += 1;
      const fractionStart = index;
      let overflowed = false;
      while (isDigit(rest[index])) {
        // Like Go, digits beyond 63-bit precision are read but ignored.
        if (!overflowed) {
          const next = fraction * 10n + BigInt(Number(rest[index]));
          if (fraction > MAX_INT64 / 10n || next > MAX_INT64 + 1n) {
            overflowed = true;
          } else {
            fraction = next;
            scale *= 10;
          }
        }
        index += 1;
      }
      hasFraction = index > fractionStart;
    }
    if (!hasWhole && !hasFraction) {
      fail('a number has no digits');
    }
    const unitStart = index;
    while (index < rest.length && rest[index] !== '.' && !isDigit(rest[index])) {
      index += 1;
    }
    const unit = rest.slice(unitStart, index);
    if (unit === '') {
      fail('a number has no unit');
    }
    const unitNanoseconds = UNIT_NANOSECONDS.get(unit);
    if (unitNanoseconds === undefined) {
      fail(`unknown unit "${unit}"`);
    }
    let component = whole * (unitNanoseconds as bigint);
    if (fraction > 0n) {
      // Go computes fractions in float64 too: exact to the nanosecond for every unit up to hours.
      component += BigInt(Math.trunc(Number(fraction) * (Number(unitNanoseconds) / scale)));
    }
    total += component;
    if (total > MAX_INT64 + 1n) {
      fail('it overflows 64 bits');
    }
    rest = rest.slice(index);
  }
  if (negative) {
    return -total;
  }
  if (total > MAX_INT64) {
    fail('it overflows 64 bits');
  }
  return total;
}

export { parseGoDuration };
