import { parseDataSize } from './data-size.js';
import { Ho11yParseError } from './errors.js';
import { parseGoDuration } from './go-duration.js';

/** The longest DUMMY sleep a Node.js timer can hold (2^31 - 1 ms, about 24.8 days). */
const MAX_DUMMY_DURATION_MS = 2 ** 31 - 1;

/** A downstream that ho11y calls over HTTP(S) with a traced `GET`. */
interface UrlDownstream {
  readonly kind: 'url';
  /** The environment value as written; it is the `downstream` label of `ho11y_downstream_payload_bytes`. */
  readonly raw: string;
  /** The parsed URL. */
  readonly url: URL;
}

/** A simulated downstream: ho11y sleeps for `durationMs` and reports `sizeBytes` as the body size. */
interface DummyDownstream {
  readonly kind: 'dummy';
  /** The environment value as written (`DUMMY:187kB:42ms`). */
  readonly raw: string;
  /** Reported body size in bytes (1024-based units: `187kB` = 191488). */
  readonly sizeBytes: number;
  /** Sleep in milliseconds (fractions kept: `1500us` = 1.5). */
  readonly durationMs: number;
}

/** One configured downstream (`DOWNSTREAM0`..`DOWNSTREAM4`). */
type DownstreamSpec = UrlDownstream | DummyDownstream;

/**
 * Parses a `DOWNSTREAMn` value: an `http://` or `https://` URL, or `DUMMY:<size>:<duration>` where
 * `<size>` follows {@link parseDataSize} and `<duration>` Go's `time.ParseDuration`.
 *
 * Unlike the Go original, a malformed value is rejected here, at startup, with the reason: the
 * original panicked on every request for `DUMMY:1kB` (missing part) and silently used 0 for a size or
 * duration it could not parse.
 *
 * @example
 * ```ts
 * parseDownstream('DUMMY:187kB:42ms'); // { kind: 'dummy', sizeBytes: 191488, durationMs: 42, ... }
 * parseDownstream('http://downstream0'); // { kind: 'url', url: new URL('http://downstream0'), ... }
 * ```
 * @throws {@link Ho11yParseError} naming the problem and the accepted forms
 */
function parseDownstream(raw: string): DownstreamSpec {
  if (raw.startsWith('DUMMY')) {
    const parts = raw.split(':');
    if (parts[0] !== 'DUMMY' || parts.length !== 3) {
      throw new Ho11yParseError(
        `"${raw}" is not a valid dummy downstream: write DUMMY:<size>:<duration>, e.g. DUMMY:187kB:42ms`,
        raw,
      );
    }
    const sizeBytes = parseDataSize(parts[1] as string);
    const nanoseconds = parseGoDuration(parts[2] as string);
    if (nanoseconds < 0n) {
      throw new Ho11yParseError(`"${raw}" has a negative duration: a dummy downstream cannot answer before it is called`, raw);
    }
    const durationMs = Number(nanoseconds) / 1e6;
    if (durationMs > MAX_DUMMY_DURATION_MS) {
      throw new Ho11yParseError(`"${raw}" sleeps longer than ${MAX_DUMMY_DURATION_MS} ms, the longest timer Node.js supports`, raw);
    }
    return { kind: 'dummy', raw, sizeBytes, durationMs };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new Ho11yParseError(
      `"${raw}" is neither a URL nor DUMMY:<size>:<duration>: write e.g. http://downstream0 or DUMMY:13kB:2ms`,
      raw,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Ho11yParseError(`"${raw}" uses ${url.protocol} ; ho11y calls downstreams over http: or https: only`, raw);
  }
  return { kind: 'url', raw, url };
}

export { parseDownstream, MAX_DUMMY_DURATION_MS };
export type { DownstreamSpec, UrlDownstream, DummyDownstream };
