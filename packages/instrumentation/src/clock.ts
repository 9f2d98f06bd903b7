import { performance } from 'node:perf_hooks';

/*
 * The request clock, read through the `node:perf_hooks` binding: Node defines the global `performance` as an
 * accessor, so every read of it calls a getter, and `timeOrigin` is another getter. Three reads a request
 * showed up in instruction counts of the hot path (docs/benchmarks/instrumentation.md).
 */

/** @internal Milliseconds since this thread's time origin, monotonic (`performance.now()`). */
const monotonicNow = (): number => performance.now();

// The time origin of a thread never changes.
const TIME_ORIGIN = performance.timeOrigin;

/** @internal Milliseconds since the epoch of a {@link monotonicNow} reading. */
const epochMillisOf = (monotonic: number): number => TIME_ORIGIN + monotonic;

export { epochMillisOf, monotonicNow };
