import { describe, expect, it } from 'vitest';
import { Ho11yMetrics } from '../src/metrics.js';
import { ExpositionFormat, negotiateFormat, renderMetrics } from '../src/metrics-endpoint.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';

const TRACE_ID = '1-6086f35f-fdb81d0f3235709c09a86978';

async function scrape(metrics: Ho11yMetrics, format: ExpositionFormat) {
  return parsePrometheusText(await renderMetrics(metrics.registry, format));
}

describe('Class: Ho11yMetrics', () => {
  it("exposes ho11y's metrics with the original names, types and help texts", async () => {
    // Prepare
    const metrics = new Ho11yMetrics({ defaultMetrics: false });
    metrics.total.inc({ http_status_code: '200' });
    metrics.sampleRandom();
    metrics.observeDownstream('DUMMY:187kB:42ms', 191_488, 0.042, TRACE_ID);

    // Act
    const families = await scrape(metrics, ExpositionFormat.PROMETHEUS);

    // Assess
    const described = Object.fromEntries([...families.values()].map((f) => [f.name, [f.type, f.help]]));
    expect(described).toEqual({
      ho11y_total: ['counter', 'Total ho11y invokes.'],
      ho11y_randval: ['gauge', 'A random value.'],
      ho11y_randhist: ['histogram', 'A histogram of normally distributed random numbers.'],
      ho11y_downstream_payload_bytes: ['summary', 'HTTP body size received from a downstream.'],
      ho11y_downstream_duration_seconds: ['histogram', 'Duration taken for invoking a downstream.'],
      ho11y_downstream_responses_total: ['counter', 'Responses from URL downstreams by HTTP status code ("error" when none arrived).'],
    });
  });

  it('uses linear buckets -2..2.5 for ho11y_randhist and exponential 0.0001 x 2^n for the downstream duration', async () => {
    const metrics = new Ho11yMetrics({ defaultMetrics: false });
    metrics.sampleRandom();
    metrics.observeDownstream('http://downstream0', 49, 0.003, TRACE_ID);
    const families = await scrape(metrics, ExpositionFormat.PROMETHEUS);
    const bounds = (name: string) => families.get(name)?.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le);
    expect(bounds('ho11y_randhist')).toEqual(['-2', '-1.5', '-1', '-0.5', '0', '0.5', '1', '1.5', '2', '2.5', '+Inf']);
    expect(bounds('ho11y_downstream_duration_seconds')).toEqual([
      '0.0001', '0.0002', '0.0004', '0.0008', '0.0016', '0.0032', '0.0064', '0.0128', '0.0256', '0.0512', '+Inf',
    ]);
    expect(sampleValue(families, 'ho11y_downstream_duration_seconds_bucket', { le: '0.0032' })).toBe(1);
    expect(sampleValue(families, 'ho11y_downstream_duration_seconds_bucket', { le: '0.0016' })).toBe(0);
  });

  it('labels ho11y_total by http_status_code and the payload summary by the raw downstream, without quantiles', async () => {
    const metrics = new Ho11yMetrics({ defaultMetrics: false });
    metrics.total.inc({ http_status_code: '400' });
    metrics.total.inc({ http_status_code: '400' });
    metrics.observeDownstream('DUMMY:187kB:42ms', 191_488, 0.042, undefined);
    metrics.observeDownstream('DUMMY:187kB:42ms', 191_488, 0.042, undefined);
    const families = await scrape(metrics, ExpositionFormat.PROMETHEUS);
    expect(families.get('ho11y_total')?.samples).toEqual([{ name: 'ho11y_total', labels: { http_status_code: '400' }, value: 2 }]);
    const summary = families.get('ho11y_downstream_payload_bytes')?.samples ?? [];
    expect(summary.map((s) => s.name).sort()).toEqual(['ho11y_downstream_payload_bytes_count', 'ho11y_downstream_payload_bytes_sum']);
    expect(sampleValue(families, 'ho11y_downstream_payload_bytes_sum', { downstream: 'DUMMY:187kB:42ms' })).toBe(382_976);
  });

  it('puts the trace id as exemplar on the duration histogram, in OpenMetrics only', async () => {
    const metrics = new Ho11yMetrics({ defaultMetrics: false });
    metrics.total.inc({ http_status_code: '200' });
    metrics.observeDownstream('DUMMY:13kB:2ms', 13_312, 0.002, TRACE_ID);

    const openMetrics = await renderMetrics(metrics.registry, ExpositionFormat.OPENMETRICS);
    const families = parsePrometheusText(openMetrics);
    const bucket = families.get('ho11y_downstream_duration_seconds')?.samples.find((s) => s.labels.le === '0.0032');
    expect(bucket?.exemplar).toEqual({ labels: { traceid: TRACE_ID }, value: 0.002 });
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
    // OpenMetrics names the counter family without _total, the sample keeps it (as client_golang does).
    expect(families.get('ho11y')?.type).toBe('counter');
    expect(sampleValue(families, 'ho11y_total', { http_status_code: '200' })).toBe(1);

    // A text scrape after an OpenMetrics scrape still says ho11y_total (prom-client alone would not).
    const text = await renderMetrics(metrics.registry, ExpositionFormat.PROMETHEUS);
    expect(text).toContain('# TYPE ho11y_total counter');
    expect(text).toContain('ho11y_total{http_status_code="200"} 1');
    expect(text).not.toContain('traceid');
  });

  it('draws ho11y_randval and ho11y_randhist from N(0,1)', async () => {
    const metrics = new Ho11yMetrics({ defaultMetrics: false });
    for (let i = 0; i < 4000; i += 1) metrics.sampleRandom();
    const families = await scrape(metrics, ExpositionFormat.PROMETHEUS);
    const count = sampleValue(families, 'ho11y_randhist_count') ?? 0;
    const sum = sampleValue(families, 'ho11y_randhist_sum') ?? Number.NaN;
    expect(count).toBe(4000);
    // Mean of 4000 N(0,1) draws has sd 1/sqrt(4000) = 0.016; 5 sd = 0.08.
    expect(Math.abs(sum / count)).toBeLessThan(0.08);
    // P(X <= 0) = 0.5, sd of the share = 0.0079; 5 sd = 0.04.
    expect(Math.abs((sampleValue(families, 'ho11y_randhist_bucket', { le: '0' }) ?? 0) / count - 0.5)).toBeLessThan(0.04);
  });

  it('adds the process and Node.js default metrics by default', async () => {
    const families = await scrape(new Ho11yMetrics(), ExpositionFormat.PROMETHEUS);
    expect(families.has('process_cpu_seconds_total') || families.has('process_cpu_seconds')).toBe(true);
    expect(families.has('process_resident_memory_bytes')).toBe(true);
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });
});

describe('Function: negotiateFormat', () => {
  const PROMETHEUS_SCRAPER =
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
  it.each([
    [undefined, true, 'prometheus'],
    ['*/*', true, 'prometheus'],
    [PROMETHEUS_SCRAPER, true, 'openmetrics'],
    [PROMETHEUS_SCRAPER, false, 'prometheus'],
    ['application/openmetrics-text', true, 'openmetrics'],
    ['application/openmetrics-text; version=2.0.0', true, 'prometheus'],
    ['text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5', true, 'prometheus'],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', true, 'prometheus'],
  ])('Accept %j with OpenMetrics enabled=%j -> %s', (accept, enabled, expected) => {
    expect(negotiateFormat(accept, enabled)).toBe(expected);
  });
});
