import { randomFillSync } from 'node:crypto';

/** Random bytes fetched per refill: one native call serves hundreds of ids. */
const POOL_BYTES = 4096;
const TRACE_RANDOM_BYTES = 12;
const SPAN_ID_BYTES = 8;
const INVALID_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);

/**
 * @internal X-Ray-format ids: a trace id is the epoch seconds (8 hex) and 24 random hex characters, a span id 16
 * random hex characters. Random bytes come from `crypto.randomFillSync` in batches, and the epoch prefix is
 * formatted once a second, so an id costs one hex slice of a buffer.
 */
class XRayIds {
  readonly #pool = Buffer.allocUnsafe(POOL_BYTES);
  #offset = POOL_BYTES;
  #epochSecond = -1;
  #epochHex = '';

  /** A new trace id (32 lower-case hex characters) stamped with the current time. */
  public traceId(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#epochSecond) {
      this.#epochSecond = second;
      this.#epochHex = second.toString(16).padStart(8, '0');
    }
    return this.#epochHex + this.#randomHex(TRACE_RANDOM_BYTES);
  }

  /** A new span id (16 lower-case hex characters, never all zeros). */
  public spanId(): string {
    let id = this.#randomHex(SPAN_ID_BYTES);
    while (id === INVALID_SPAN_ID) id = this.#randomHex(SPAN_ID_BYTES);
    return id;
  }

  #randomHex(bytes: number): string {
    if (this.#offset + bytes > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset = start + bytes;
    return this.#pool.toString('hex', start, start + bytes);
  }
}

export { XRayIds };
