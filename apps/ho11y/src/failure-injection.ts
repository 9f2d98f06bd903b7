/** The status codes an injected failure answers with, picked uniformly, as in the original. */
const INJECTED_FAILURE_CODES = [400, 403, 301, 404, 501] as const;
/** An injected failure's status code. */
type InjectedFailureCode = (typeof INJECTED_FAILURE_CODES)[number];

/** A source of uniform random numbers in [0, 1), like `Math.random`. */
type RandomSource = () => number;

/**
 * ho11y's failure injection: draw `level` uniformly from 0..99 and fail when `level > 50`, so 49 of
 * 100 requests fail (not half, whatever the original's log line says); the code is then drawn
 * uniformly from {@link INJECTED_FAILURE_CODES}, about 9.8% of requests each.
 *
 * @example
 * ```ts
 * const injector = new FailureInjector();
 * const code = injector.pick(); // undefined (go on) or 400, 403, 301, 404, 501
 * ```
 */
class FailureInjector {
  private readonly random: RandomSource;

  /**
   * @param random - uniform source in [0, 1)
   * @default random Math.random
   */
  public constructor(random: RandomSource = Math.random) {
    this.random = random;
  }

  /** Returns the status code to fail this request with, or undefined to serve it. */
  public pick(): InjectedFailureCode | undefined {
    const level = Math.floor(this.random() * 100);
    if (level <= 50) {
      return undefined;
    }
    const index = Math.floor(this.random() * INJECTED_FAILURE_CODES.length);
    return INJECTED_FAILURE_CODES[Math.min(index, INJECTED_FAILURE_CODES.length - 1)];
  }
}

export { FailureInjector, INJECTED_FAILURE_CODES };
export type { InjectedFailureCode, RandomSource };
