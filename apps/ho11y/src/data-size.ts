import { Ho11yParseError } from './errors.js';

const KIB = 1024n;
const UNIT_MULTIPLIERS: ReadonlyMap<string, bigint> = new Map([
  ...['', 'b', 'byte'].map((unit) => [unit, 1n] as const),
  ...['k', 'kb', 'kilo', 'kilobyte', 'kilobytes'].map((unit) => [unit, KIB] as const),
  ...['m', 'mb', 'mega', 'megabyte', 'megabytes'].map((unit) => [unit, KIB ** 2n] as const),
  ...['g', 'gb', 'giga', 'gigabyte', 'gigabytes'].map((unit) => [unit, KIB ** 3n] as const),
  ...['t', 'tb', 'tera', 'terabyte', 'terabytes'].map((unit) => [unit, KIB ** 4n] as const),
  ...['p', 'pb', 'peta', 'petabyte', 'petabytes'].map((unit) => [unit, KIB ** 5n] as const),
  ...['e', 'eb'].map((unit) => [unit, KIB ** 6n] as const),
]);
/** Capital prefix with a lower-case `b` reads as bits; the Go parser refuses these exact spellings. */
const BIT_UNITS: ReadonlySet<string> = new Set(['Kb', 'Mb', 'Gb', 'Tb', 'Pb', 'Eb']);
const MAX_UINT64 = 2n ** 64n - 1n;
const UNITS_HELP = 'use an integer with an optional 1024-based unit: B, kB, MB, GB, TB, PB or EB (e.g. 187kB)';

/**
 * Parses a data size the way ho11y's Go original did (`catalint/datasize` `ByteSize.UnmarshalText`),
 * so `DUMMY:<size>:<duration>` values keep their meaning:
 *
 * - leading decimal digits (no sign, no fraction: `1.5kB` is rejected), then an optional unit,
 *   surrounding blanks trimmed, matched case-insensitively;
 * - every unit is 1024-based: `k|kb|kilo|kilobyte|kilobytes` = 1024, `m|mb|mega…` = 1024², up to
 *   `e|eb` = 1024⁶; no unit, `b` or `byte` means bytes;
 * - the exact spellings `Kb`, `Mb`, `Gb`, `Tb`, `Pb`, `Eb` are rejected as bits;
 * - the empty string is 0.
 *
 * @example
 * ```ts
 * parseDataSize('187kB'); // 191488
 * parseDataSize('13kB'); // 13312
 * ```
 * @param text - the size, e.g. `187kB`
 * @returns the size in bytes
 * @throws {@link Ho11yParseError} with what is wrong and the accepted syntax
 */
function parseDataSize(text: string): number {
  let digits = 0;
  while (digits < text.length && text.charCodeAt(digits) >= 48 && text.charCodeAt(digits) <= 57) {
    digits += 1;
  }
  if (digits === 0 && text.length > 0) {
    throw new Ho11yParseError(`Invalid data size "${text}": it must start with a digit; ${UNITS_HELP}`, text);
  }
  const value = digits === 0 ? 0n : BigInt(text.slice(0, digits));
  const rawUnit = text.slice(digits).trim();
  if (BIT_UNITS.has(rawUnit)) {
    throw new Ho11yParseError(
      `Invalid data size "${text}": "${rawUnit}" means bits, ho11y counts bytes; write "${rawUnit.slice(0, 1)}B" instead`,
      text,
    );
  }
  const multiplier = UNIT_MULTIPLIERS.get(rawUnit.toLowerCase());
  if (multiplier === undefined) {
    throw new Ho11yParseError(`Invalid data size "${text}": unknown unit "${rawUnit}"; ${UNITS_HELP}`, text);
  }
  const bytes = value * multiplier;
  if (bytes > MAX_UINT64) {
    throw new Ho11yParseError(`Invalid data size "${text}": it overflows 64 bits`, text);
  }
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    // Go kept a uint64; a JavaScript number is exact only up to 2^53 - 1 bytes (8 PiB).
    throw new Ho11yParseError(`Invalid data size "${text}": ho11y supports at most ${Number.MAX_SAFE_INTEGER} bytes (8 PiB)`, text);
  }
  return Number(bytes);
}

export { parseDataSize };
