/** Options of {@link TrafficGenerator}. */
interface TrafficGeneratorOptions {
  /** URL every request goes to (the frontend's `/`). */
  readonly url: string;
  /** Requests per second. @default 50 */
  readonly requestsPerSecond?: number;
  /** Requests allowed in flight at once; beyond that, ticks are skipped rather than queued. @default 32 */
  readonly maxInFlight?: number;
  /** Called with each response's status (0 when the request failed) and the time it arrived. */
  readonly onResponse?: (status: number, at: number) => void;
}

/**
 * Sends GET requests at a steady rate, like the blog's `kubectl exec ... curl frontend` loop but
 * without the process-per-request cost, and counts responses by status code.
 */
class TrafficGenerator {
  readonly #options: TrafficGeneratorOptions;
  readonly #counts = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();
  #credit = 0;

  public constructor(options: TrafficGeneratorOptions) {
    const rate = options.requestsPerSecond ?? 50;
    if (!Number.isFinite(rate) || rate <= 0) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${rate}`);
    }
    this.#options = options;
  }

  /** Responses so far by status code (0 = request failed). */
  public get counts(): ReadonlyMap<number, number> {
    return this.#counts;
  }

  public get running(): boolean {
    return this.#timer !== undefined;
  }

  public start(): void {
    if (this.#timer) return;
    const tickMs = 20;
    const perTick = ((this.#options.requestsPerSecond ?? 50) * tickMs) / 1000;
    this.#timer = setInterval(() => {
      this.#credit += perTick;
      while (this.#credit >= 1) {
        this.#credit -= 1;
        if (this.#inFlight.size >= (this.#options.maxInFlight ?? 32)) continue;
        this.#send();
      }
    }, tickMs);
  }

  /** Stops sending and waits for the requests in flight. */
  public async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#inFlight]);
  }

  #send(): void {
    const request = fetch(this.#options.url, { signal: AbortSignal.timeout(5000) })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0)
      .then((status) => {
        this.#counts.set(status, (this.#counts.get(status) ?? 0) + 1);
        this.#options.onResponse?.(status, Date.now());
      })
      .finally(() => this.#inFlight.delete(request));
    this.#inFlight.add(request);
  }
}

export { TrafficGenerator };
export type { TrafficGeneratorOptions };
