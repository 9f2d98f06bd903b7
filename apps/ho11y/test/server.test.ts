import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { startHo11yUnderTest, XRAY_TRACE_ID, type Ho11yUnderTest } from './helpers/ho11y-under-test.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function ho11y(env: NodeJS.ProcessEnv = {}, random?: () => number): Promise<Ho11yUnderTest> {
  const started = await startHo11yUnderTest(env, random);
  cleanups.push(started.close);
  return started;
}

interface RecordedRequest {
  readonly headers: IncomingHttpHeaders;
}

/** A real downstream on 127.0.0.1 answering with a fixed status and body, recording what it received. */
async function downstream(status: number, body: string, delayMs = 0): Promise<{ url: string; requests: RecordedRequest[]; server: Server }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ headers: req.headers });
    setTimeout(() => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined));
  cleanups.push(async () => server.closeAllConnections());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests, server };
}

async function metricsOf(url: string, accept?: string) {
  const response = await fetch(`${url}/metrics`, accept ? { headers: { accept } } : {});
  const text = await response.text();
  return { response, text, families: parsePrometheusText(text) };
}

describe('ho11y server: GET /', () => {
  it('answers 200 with {"traceId":"1-…"}, logs the invocation and counts 200', async () => {
    // Prepare
    const { url, logs } = await ho11y();

    // Act
    const response = await fetch(`${url}/`);
    const body = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { traceId } = JSON.parse(body) as { traceId: string };
    expect(body).toBe(`{"traceId":"${traceId}"}`);
    expect(traceId).toMatch(XRAY_TRACE_ID);
    expect(response.headers.get('x-amzn-trace-id')).toBe(`Root=${traceId}`);
    // X-Ray ids start with the epoch seconds of the request.
    expect(Math.abs(Number.parseInt(traceId.slice(2, 10), 16) - Date.now() / 1000)).toBeLessThan(60);
    const invoke = logs.find((line) => line.event === 'invoke');
    expect(invoke).toMatchObject({ level: 'info', msg: 'ho11y was invoked', traceID: traceId });
    expect(invoke?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Object.keys(invoke ?? {})).toEqual(['event', 'level', 'msg', 'remote', 'time', 'traceID']);
    const { families } = await metricsOf(url);
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '200' })).toBe(1);
  });

  it('continues an incoming X-Amzn-Trace-Id trace', async () => {
    const { url } = await ho11y();
    const root = '1-6086f35f-fdb81d0f3235709c09a86978';
    const response = await fetch(`${url}/`, { headers: { 'X-Amzn-Trace-Id': `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1` } });
    expect(await response.json()).toEqual({ traceId: root });
  });

  it('answers other methods on / with an empty 405, unknown paths with 404, and /healthz without counting', async () => {
    const { url } = await ho11y();
    const post = await fetch(`${url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.text()).toBe('');
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404 page not found\n');
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const { families } = await metricsOf(url);
    expect(families.get('ho11y_total')?.samples ?? []).toEqual([]);
  });
});

describe('ho11y server: failure injection (HO11Y_INJECT_FAILURE)', () => {
  it('fails with the drawn code, no body, no log line, no downstream call, and counts it', async () => {
    // Prepare: level 99 (fail) then code draw 0.0 (400); level 50 (serve).
    const draws = [0.99, 0.0, 0.5, 0.99, 0.5];
    const target = await downstream(200, 'ok');
    const { url, logs } = await ho11y({ HO11Y_INJECT_FAILURE: 'enabled', DOWNSTREAM0: target.url }, () => draws.shift() ?? 0);
    const startupLines = logs.length;

    // Act
    const failed = await fetch(`${url}/`, { redirect: 'manual' });
    const failedBody = await failed.text();
    const served = await fetch(`${url}/`);
    const moved = await fetch(`${url}/`, { redirect: 'manual' });
    await moved.text();

    // Assess
    expect(failed.status).toBe(400);
    expect(failedBody).toBe('');
    expect(failed.headers.get('content-type')).toBeNull();
    expect(served.status).toBe(200);
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBeNull();
    expect(target.requests).toHaveLength(1);
    expect(logs.slice(startupLines).filter((line) => line.event === 'invoke')).toHaveLength(1);
    const { families } = await metricsOf(url);
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '400' })).toBe(1);
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '301' })).toBe(1);
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '200' })).toBe(1);
    expect(logs[0]).toMatchObject({ msg: 'Failure injection enabled, dropping half of the requests' });
  });
});

describe('ho11y server: throttling (HO11Y_CUTOFF_TPS)', () => {
  it('answers 429 in the window after the rate exceeded the cutoff, logs it and counts it', async () => {
    // Prepare
    const { url, logs } = await ho11y({ HO11Y_CUTOFF_TPS: '1' });

    // Act: keep calling until a window closes on a rate of >= 2 TPS (at most a few windows).
    const statuses: number[] = [];
    const deadline = Date.now() + 5000;
    while (!statuses.includes(429) && Date.now() < deadline) {
      const response = await fetch(`${url}/`);
      await response.text();
      statuses.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const throttled = await fetch(`${url}/`);
    const throttledBody = await throttled.text();

    // Assess
    expect(statuses).toContain(429);
    if (throttled.status === 429) expect(throttledBody).toBe('');
    expect(logs[0]).toMatchObject({ level: 'info', msg: 'Throttling enabled with a 1 TPS cutoff point' });
    const engaged = logs.find((line) => String(line.msg).startsWith('Throttle engaged'));
    expect(engaged?.msg).toMatch(/^Throttle engaged, got ([2468]|\d\d) TPS with a 1 TPS cutoff point$/);
    const { families } = await metricsOf(url);
    const counted429 = sampleValue(families, 'ho11y_total', { http_status_code: '429' }) ?? 0;
    const all = [...statuses, throttled.status];
    expect(counted429).toBe(all.filter((s) => s === 429).length);
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '200' })).toBe(all.filter((s) => s === 200).length);
  });

  it('logs the original error for a non-integer cutoff and does not throttle', async () => {
    const { url, logs } = await ho11y({ HO11Y_CUTOFF_TPS: 'ten' });
    expect(logs.find((line) => line.level === 'error')).toMatchObject({ msg: 'Invalid cutoff TPS value provided', HO11Y_CUTOFF_TPS: 'ten' });
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${url}/`)).status).toBe(200);
  });
});

describe('ho11y server: /metrics and DISABLE_OM', () => {
  const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

  it('serves OpenMetrics with trace-id exemplars when asked and DISABLE_OM is absent', async () => {
    const { url } = await ho11y({ DOWNSTREAM0: 'DUMMY:1kB:1ms' });
    const { traceId } = (await (await fetch(`${url}/`)).json()) as { traceId: string };
    const { response, families, text } = await metricsOf(url, OPENMETRICS_ACCEPT);
    expect(response.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const exemplars = families.get('ho11y_downstream_duration_seconds')?.samples.flatMap((s) => (s.exemplar ? [s.exemplar] : []));
    expect(exemplars).toEqual([expect.objectContaining({ labels: { traceid: traceId } })]);
  });

  it('serves only the Prometheus text format when DISABLE_OM is present, even empty', async () => {
    const { url, logs } = await ho11y({ DISABLE_OM: '', DOWNSTREAM0: 'DUMMY:1kB:1ms' });
    await (await fetch(`${url}/`)).text();
    const { response, text } = await metricsOf(url, OPENMETRICS_ACCEPT);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).not.toContain('# EOF');
    expect(text).not.toContain('traceid');
    expect(logs.map((line) => line.msg)).toContain('OpenMetrics disabled');
  });

  it('also exposes the HTTP RED metrics of @eks-o11y/instrumentation', async () => {
    const { url } = await ho11y();
    await (await fetch(`${url}/`)).text();
    const { text } = await metricsOf(url);
    expect(text).toMatch(/http_server_request/);
  });
});

describe('ho11y server: downstreams (DOWNSTREAM0..4)', () => {
  it('calls downstreams in index order, propagates the trace, and records status, size and duration', async () => {
    // Prepare
    const failing = await downstream(503, 'x'.repeat(1234));
    const { url, logs } = await ho11y({ DOWNSTREAM1: 'DUMMY:187kB:42ms', DOWNSTREAM0: failing.url, DOWNSTREAM3: 'DUMMY:13kB:2ms' });

    // Act
    const response = await fetch(`${url}/`);
    const { traceId } = (await response.json()) as { traceId: string };

    // Assess: the downstream's 503 does not fail the request, it is recorded.
    expect(response.status).toBe(200);
    const calls = logs.filter((line) => line.event === 'downstream');
    expect(calls.map((line) => line.msg)).toEqual([
      `ho11y invoked ${failing.url}`,
      'ho11y invoked DUMMY:187kB:42ms',
      'ho11y invoked DUMMY:13kB:2ms',
    ]);
    expect(calls[0]).toMatchObject({ body_bytes: 1234, http_status_code: 503, level: 'info' });
    expect(calls[1]).toMatchObject({ body_bytes: 191_488 });
    expect(calls[1]?.duration_sec as number).toBeGreaterThanOrEqual(0.04);
    expect(calls[2]).toMatchObject({ body_bytes: 13_312 });
    expect(calls[2]?.http_status_code).toBeUndefined();
    // The downstream joined the trace: X-Ray header and W3C traceparent carry the same trace id.
    const headers = failing.requests[0]?.headers ?? {};
    expect(headers['x-amzn-trace-id']).toMatch(new RegExp(`^Root=${traceId};Parent=[0-9a-f]{16};Sampled=[01]`));
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId.slice(2).replace('-', '')}-[0-9a-f]{16}-0[01]$`));

    const { families } = await metricsOf(url);
    expect(sampleValue(families, 'ho11y_downstream_payload_bytes_sum', { downstream: failing.url })).toBe(1234);
    expect(sampleValue(families, 'ho11y_downstream_payload_bytes_count', { downstream: 'DUMMY:187kB:42ms' })).toBe(1);
    expect(sampleValue(families, 'ho11y_downstream_duration_seconds_count')).toBe(3);
    expect(sampleValue(families, 'ho11y_downstream_responses_total', { downstream: failing.url, http_status_code: '503' })).toBe(1);
    expect(logs.filter((line) => String(line.msg).startsWith('Using downstream')).map((line) => line.msg)).toEqual([
      `Using downstream 0: ${failing.url}`,
      'Using downstream 1: DUMMY:187kB:42ms',
      'Using downstream 3: DUMMY:13kB:2ms',
    ]);
  });

  it('survives an unreachable downstream: logs the error, counts it, keeps serving (the original exited)', async () => {
    // Prepare: a port that was just free.
    const gone = await downstream(200, '');
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    const { url, logs } = await ho11y({ DOWNSTREAM0: gone.url, DOWNSTREAM1: 'DUMMY:1kB:1ms' });

    // Act
    const first = await fetch(`${url}/`);
    const second = await fetch(`${url}/`);

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    const errors = logs.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[0]?.msg).toMatch(new RegExp(`^HTTP GET to ${gone.url} failed: `));
    // The next downstream still ran.
    expect(logs.filter((line) => line.msg === 'ho11y invoked DUMMY:1kB:1ms')).toHaveLength(2);
    const { families } = await metricsOf(url);
    expect(sampleValue(families, 'ho11y_downstream_responses_total', { downstream: gone.url, http_status_code: 'error' })).toBe(2);
  });

  it('gives up on a downstream after HO11Y_DOWNSTREAM_TIMEOUT', async () => {
    const slow = await downstream(200, 'late', 2000);
    const { url, logs } = await ho11y({ DOWNSTREAM0: slow.url, HO11Y_DOWNSTREAM_TIMEOUT: '150ms' });
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(logs.find((line) => line.level === 'error')?.msg).toBe(`HTTP GET to ${slow.url} failed: timed out`);
  });
});

describe('ho11y server: lifecycle', () => {
  it('logs the startup lines in the original order', async () => {
    const { logs, server } = await ho11y({
      HO11Y_INJECT_FAILURE: '1',
      DOWNSTREAM0: 'DUMMY:1kB:1ms',
      HO11Y_CUTOFF_TPS: '100',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/',
      OTEL_RESOURCE_ATTRIB: 'frontend',
      DISABLE_OM: 'on',
    });
    expect(logs.slice(0, 7).map((line) => line.msg)).toEqual([
      'Failure injection enabled, dropping half of the requests',
      'Using downstream 0: DUMMY:1kB:1ms',
      'Throttling enabled with a 100 TPS cutoff point',
      'Using Otel collector at http://127.0.0.1:9/',
      'Init instrumentation done',
      'OpenMetrics disabled',
      `Launching ho11y: I am [frontend] listening on port :${server.port} on 127.0.0.1.`,
    ]);
    expect(logs[3]).toMatchObject({ otlp_traces_url: 'http://127.0.0.1:9/v1/traces' });
  });

  it('finishes requests in flight on close, then stops listening', async () => {
    const { url, server, logs } = await ho11y({ DOWNSTREAM0: 'DUMMY:1kB:300ms' });
    const inFlight = fetch(`${url}/`);
    // Close once the request is being served (it is logged before its 300 ms downstream), not after a guessed delay.
    await vi.waitFor(() => expect(logs.some((line) => line.event === 'invoke')).toBe(true), { timeout: 5000, interval: 5 });
    const closing = server.close(5000);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ traceId: expect.stringMatching(XRAY_TRACE_ID) });
    await closing;
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('reports a port in use with the reason', async () => {
    const { server } = await ho11y();
    await expect(ho11y({ HO11Y_PORT: String(server.port) })).rejects.toThrow(/Cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE; set HO11Y_PORT/);
  });
});
