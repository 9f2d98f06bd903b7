/** The window over which ho11y counts requests, hard-coded to 500 ms as in the original. */
const THROTTLE_PERIOD_MS = 500;

/** What {@link Throttle.admit} decided for one request. */
interface ThrottleDecision {
  /** True when the request must be answered with 429. */
  readonly throttled: boolean;
  /** The rate measured over the previous window, in requests per second (steps of 2). */
  readonly tps: number;
}

/**
 * ho11y's throttle, with the original's semantics: requests are counted per 500 ms window; at each
 * window's end the rate becomes `count / 0.5` (so it moves in steps of 2) and the count restarts.
 * A request is throttled while the rate of the previous window is strictly above the cutoff.
 * Throttled requests count too, so a sustained overload stays throttled.
 *
 * @example
 * ```ts
 * const throttle = new Throttle(1).start();
 * throttle.admit(); // { throttled: false, tps: 0 } in the first window
 * ```
 */
class Throttle {
  /** The cutoff in requests per second (`HO11Y_CUTOFF_TPS`). */
  public readonly cutoffTps: number;
  private invocationsInPeriod = 0;
  private tps = 0;
  private timer: NodeJS.Timeout | undefined;

  public constructor(cutoffTps: number) {
    this.cutoffTps = cutoffTps;
  }

  /** Starts closing a window every 500 ms; the timer does not keep the process alive. */
  public start(): this {
    this.timer ??= setInterval(() => this.closeWindow(), THROTTLE_PERIOD_MS).unref();
    return this;
  }

  /** Stops the window timer. */
  public stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Ends the current window: the rate becomes its count / 0.5 s, and counting restarts. */
  public closeWindow(): void {
    this.tps = this.invocationsInPeriod / (THROTTLE_PERIOD_MS / 1000);
    this.invocationsInPeriod = 0;
  }

  /** Counts one request and tells whether to throttle it. */
  public admit(): ThrottleDecision {
    this.invocationsInPeriod += 1;
    return { throttled: this.tps > this.cutoffTps, tps: this.tps };
  }
}

export { Throttle, THROTTLE_PERIOD_MS };
export type { ThrottleDecision };
