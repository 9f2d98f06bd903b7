import { createRequire } from 'node:module';

/** The part of autocannon's result the benchmarks read (autocannon ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  non2xx: number;
}

/** autocannon, the HTTP load generator every throughput benchmark here uses. */
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

export { autocannon };
export type { AutocannonResult };
