/**
 * Alert latency: from the first injected error (the first HTTP 400 the traffic generator sees) to
 * the Slack message arriving at the local Slack-compatible sink, through real Prometheus and
 * Alertmanager (examples/local-alert-loop).
 *
 * In the same run, the same loop with the timings a user gets from stock kube-prometheus-stack
 * (30 s scrape and rule evaluation, Alertmanager group_wait 30 s) and the alert's production
 * 5-minute window: what "just run the defaults locally" costs. The CloudWatch path (metric filter +
 * 5-minute alarm period) cannot run here; docs/benchmarks/alert-latency.md gives its arithmetic.
 */
import { cpus } from 'node:os';
import { startAlertLoop, TimelineEventKind, type AlertLoopOptions } from '@eks-o11y/example-local-alert-loop';
import { writeResults } from './support/results.js';
import { median } from './support/stats.js';

const RUNS = Number(process.env['ALERT_LATENCY_RUNS'] ?? 5);
const STOCK_RUNS = Number(process.env['ALERT_LATENCY_STOCK_RUNS'] ?? 3);

interface Variant {
  readonly name: string;
  readonly description: string;
  readonly runs: number;
  readonly options: AlertLoopOptions;
}

const variants: Variant[] = [
  {
    name: 'demo',
    description: 'npm run demo settings: time scale 1/60 (5 s window), scrape/eval 1 s, group_wait 1 s',
    runs: RUNS,
    options: {},
  },
  {
    name: 'stock',
    description: 'kube-prometheus-stack defaults: 5 min window, scrape/eval 30 s, group_wait 30 s',
    runs: STOCK_RUNS,
    options: { timeScale: 1, scrapeIntervalSeconds: 30, groupWaitSeconds: 30, groupIntervalSeconds: 300 },
  },
];

async function measureOnce(variant: Variant): Promise<{ firstErrorToSlackMs: number; firstErrorToFiringMs: number }> {
  const loop = await startAlertLoop({ ...variant.options, slackWebhookUrl: '' });
  try {
    await loop.injectErrors();
    const injected = loop.timeline.last(TimelineEventKind.ErrorsInjected)!;
    const slack = await loop.timeline.waitFor(TimelineEventKind.NotificationFiring, { after: injected.at, timeoutMs: 300_000 });
    const firstError = await loop.timeline.waitFor(TimelineEventKind.FirstError, { after: 0, timeoutMs: 1000 });
    const firing = loop.timeline.last(TimelineEventKind.AlertFiring);
    return {
      firstErrorToSlackMs: slack.at - firstError.at,
      firstErrorToFiringMs: firing ? firing.at - firstError.at : Number.NaN,
    };
  } finally {
    await loop.stop();
  }
}

const results = [];
for (const variant of variants) {
  const samples: number[] = [];
  const firingSamples: number[] = [];
  for (let run = 1; run <= variant.runs; run += 1) {
    const sample = await measureOnce(variant);
    samples.push(sample.firstErrorToSlackMs);
    firingSamples.push(sample.firstErrorToFiringMs);
    console.log(`${variant.name} run ${run}/${variant.runs}: first error -> Slack ${(sample.firstErrorToSlackMs / 1000).toFixed(2)} s`);
  }
  results.push({
    variant: variant.name,
    description: variant.description,
    runs: variant.runs,
    medianFirstErrorToSlackMs: Math.round(median(samples)),
    medianFirstErrorToPrometheusFiringMs: Math.round(median(firingSamples)),
    samplesFirstErrorToSlackMs: samples.map(Math.round),
  });
}

console.log('\n| variant | runs | median first error -> Slack | median first error -> Prometheus firing |');
console.log('|---|---|---|---|');
for (const result of results) {
  console.log(
    `| ${result.variant} | ${result.runs} | ${(result.medianFirstErrorToSlackMs / 1000).toFixed(1)} s | ${(result.medianFirstErrorToPrometheusFiringMs / 1000).toFixed(1)} s |`,
  );
}
const demo = results.find((result) => result.variant === 'demo')!;
const stock = results.find((result) => result.variant === 'stock')!;
writeResults('alert-latency', {
  machine: { cpuModel: cpus()[0]?.model.split(' ').slice(0, 2).join(' ') },
  method:
    'examples/local-alert-loop on 127.0.0.1: ho11y frontend at 100 requests/s, failure injection switched on by redeploying the frontend; latency from the first HTTP 400 seen by the traffic generator to the Slack message at the local sink; a fresh loop per run; median of the runs',
  variants: results,
  stockOverDemo: Math.round((stock.medianFirstErrorToSlackMs / demo.medianFirstErrorToSlackMs) * 10) / 10,
});
console.log(`\nwritten: results/alert-latency.json`);
