import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnHo11y, type Ho11yProcess } from './helpers/ho11y-process.js';
import { parsePrometheusText, sampleValue, type MetricFamily } from './helpers/prometheus-text.js';

/**
 * The blog's topology as three real processes of the built CLI on 127.0.0.1:
 * frontend (failure injection) -> downstream0, downstream1 (-> two DUMMY downstreams).
 */
const REQUESTS = 2000;
const CONCURRENCY = 16;
const CODES = [400, 403, 301, 404, 501] as const;
/** Every 200 body is `{"traceId":"1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy"}`: 12 + 35 + 2 bytes. */
const TRACE_BODY_BYTES = '{"traceId":"1-6086f35f-fdb81d0f3235709c09a86978"}'.length;

/**
 * Bounds for a binomial count: mean n*p, standard deviation sqrt(n*p*(1-p)); 5 sigma either side.
 * With n = 2000 that is 980 +- 112 failures (p = 0.49) and 196 +- 66 per code (p = 0.49/5 = 0.098).
 * A correct ho11y falls outside with probability below 1e-6 per bound (normal approximation), so a
 * failure means the rate or the mix is wrong, not bad luck.
 */
function binomialBounds(n: number, p: number, sigmas = 5): [number, number] {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  return [mean - sigmas * sd, mean + sigmas * sd];
}

let downstream0: Ho11yProcess;
let downstream1: Ho11yProcess;
let frontend: Ho11yProcess;
const statuses: number[] = [];
const bodies: string[] = [];
const failureBodies: string[] = [];
let frontendMetrics: Map<string, MetricFamily>;
let downstream0Metrics: Map<string, MetricFamily>;
let downstream1Metrics: Map<string, MetricFamily>;

async function scrape(process: Ho11yProcess): Promise<Map<string, MetricFamily>> {
  return parsePrometheusText(await (await fetch(`${process.url}/metrics`)).text());
}

beforeAll(async () => {
  [downstream0, downstream1] = await Promise.all([
    spawnHo11y({ OTEL_RESOURCE_ATTRIB: 'downstream0' }),
    spawnHo11y({ OTEL_RESOURCE_ATTRIB: 'downstream1', DOWNSTREAM0: 'DUMMY:187kB:1ms', DOWNSTREAM1: 'DUMMY:13kB:0' }),
  ]);
  frontend = await spawnHo11y({
    OTEL_RESOURCE_ATTRIB: 'frontend',
    HO11Y_INJECT_FAILURE: 'enabled',
    DOWNSTREAM0: downstream0.url,
    DOWNSTREAM1: downstream1.url,
  });

  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const response = await fetch(`${frontend.url}/`, { redirect: 'manual' });
        const body = await response.text();
        statuses.push(response.status);
        (response.status === 200 ? bodies : failureBodies).push(body);
      }
    }),
  );
  [frontendMetrics, downstream0Metrics, downstream1Metrics] = await Promise.all([scrape(frontend), scrape(downstream0), scrape(downstream1)]);
  // The last requests' log lines may still be in the pipes: wait for as many as the responses imply.
  await Promise.all([
    frontend.waitForLines('stderr', (line) => line.event === 'downstream', 2 * bodies.length),
    ...[downstream0, downstream1].map((downstream) => downstream.waitForLines('stderr', (line) => line.event === 'invoke', bodies.length)),
  ]);
}, 120_000);

afterAll(async () => {
  const codes = await Promise.all([frontend, downstream0, downstream1].filter(Boolean).map((p) => p.stop()));
  expect(codes).toEqual([0, 0, 0]);
});

describe('three ho11y processes under traffic: frontend -> downstream0, downstream1', () => {
  it('counts in ho11y_total exactly what the client received, code by code', () => {
    expect(statuses).toHaveLength(REQUESTS);
    const received = new Map<string, number>();
    for (const status of statuses) received.set(String(status), (received.get(String(status)) ?? 0) + 1);
    const exposed = new Map((frontendMetrics.get('ho11y_total')?.samples ?? []).map((s) => [s.labels.http_status_code as string, s.value]));
    expect(exposed).toEqual(received);
    expect([...received.keys()].every((code) => ['200', ...CODES.map(String)].includes(code))).toBe(true);
  });

  it('fails about 49% of requests, each code about 9.8%, within 5-sigma binomial bounds', () => {
    const failures = statuses.filter((status) => status !== 200).length;
    const [low, high] = binomialBounds(REQUESTS, 0.49);
    expect(failures).toBeGreaterThan(low);
    expect(failures).toBeLessThan(high);
    const [codeLow, codeHigh] = binomialBounds(REQUESTS, 0.49 / CODES.length);
    for (const code of CODES) {
      const count = statuses.filter((status) => status === code).length;
      expect(count, `HTTP ${code}`).toBeGreaterThan(codeLow);
      expect(count, `HTTP ${code}`).toBeLessThan(codeHigh);
    }
    expect(failureBodies.every((body) => body === '')).toBe(true);
  });

  it('returns a distinct X-Ray trace id in every 200 response', () => {
    const traceIds = bodies.map((body) => (JSON.parse(body) as { traceId: string }).traceId);
    expect(traceIds.every((id) => /^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(id))).toBe(true);
    expect(new Set(traceIds).size).toBe(traceIds.length);
  });

  it('propagates each trace to the downstreams: their invocations carry the frontend trace ids', () => {
    const traceIds = new Set(bodies.map((body) => (JSON.parse(body) as { traceId: string }).traceId));
    for (const downstream of [downstream0, downstream1]) {
      const seen = new Set(downstream.stderr.filter((line) => line.event === 'invoke').map((line) => line.traceID as string));
      expect(seen).toEqual(traceIds);
    }
  });

  it('calls every downstream once per successful request and exposes what it received', () => {
    const successes = bodies.length;
    expect(sampleValue(downstream0Metrics, 'ho11y_total', { http_status_code: '200' })).toBe(successes);
    expect(sampleValue(downstream1Metrics, 'ho11y_total', { http_status_code: '200' })).toBe(successes);
    for (const target of [downstream0.url, downstream1.url]) {
      expect(sampleValue(frontendMetrics, 'ho11y_downstream_payload_bytes_count', { downstream: target })).toBe(successes);
      expect(sampleValue(frontendMetrics, 'ho11y_downstream_payload_bytes_sum', { downstream: target })).toBe(successes * TRACE_BODY_BYTES);
      expect(sampleValue(frontendMetrics, 'ho11y_downstream_responses_total', { downstream: target, http_status_code: '200' })).toBe(successes);
    }
    expect(sampleValue(frontendMetrics, 'ho11y_downstream_duration_seconds_count')).toBe(2 * successes);
    expect(sampleValue(downstream1Metrics, 'ho11y_downstream_payload_bytes_sum', { downstream: 'DUMMY:187kB:1ms' })).toBe(successes * 191_488);
    expect(sampleValue(downstream1Metrics, 'ho11y_downstream_payload_bytes_sum', { downstream: 'DUMMY:13kB:0' })).toBe(successes * 13_312);
    // downstream0 has no downstreams and no failure injection.
    expect(downstream0Metrics.get('ho11y_downstream_payload_bytes')?.samples ?? []).toEqual([]);
    expect(downstream0Metrics.get('ho11y_total')?.samples.map((s) => s.labels.http_status_code)).toEqual(['200']);
  });

  it('logs one downstream line per call on the frontend, with status and size', () => {
    const calls = frontend.stderr.filter((line) => line.event === 'downstream');
    expect(calls).toHaveLength(2 * bodies.length);
    expect(calls.every((line) => line.http_status_code === 200 && line.body_bytes === TRACE_BODY_BYTES)).toBe(true);
  });
});
