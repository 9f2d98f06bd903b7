/**
 * `npm run demo`: the local alert loop from the command line. A thin shell over
 * {@link startAlertLoop}: parse flags, print the timeline, run the healthy -> errors -> healthy
 * script, and stop every process on Ctrl-C (SIGINT) or SIGTERM.
 * @module
 */
import { parseArgs } from 'node:util';
import { startAlertLoop, type AlertLoop } from './alert-loop.js';
import { AlertLoopError } from './errors.js';
import { exportRuleGroup } from './export-rules.js';
import { formatTimelineEvent, TimelineEventKind } from './timeline.js';

const USAGE = `Usage: npm run demo -- [options]

Starts on 127.0.0.1: ho11y (frontend, downstream0, downstream1), traffic, Prometheus, Alertmanager,
the Slack notifier's receiver, and Slack (SLACK_WEBHOOK_URL set) or a local Slack sink. After
--healthy seconds it injects errors at the frontend, then stops them after --errors seconds, and
prints a timeline as the alert fires, reaches Slack and resolves. Ctrl-C stops everything.

Options:
  --time-scale <n>         factor on the alert's windows: 1/60 turns 5 min into 5 s (default 1/60)
  --rps <n>                requests per second to the frontend (default 100)
  --healthy <seconds>      healthy traffic before errors are injected (default 5)
  --errors <seconds>       how long errors are injected; 0 keeps them on (default 15)
  --once                   exit after the resolved message instead of running until Ctrl-C
  --run-dir <dir>          where configs, logs and messages go (default: a new temp folder)
  --prometheus-port <n>    fixed port for Prometheus (default: ephemeral)
  --alertmanager-port <n>  fixed port for Alertmanager (default: ephemeral)
  --export-rules <dir>     write the rule group for AMP and kube-prometheus-stack, then exit
  -h, --help               this text

Environment:
  SLACK_WEBHOOK_URL        post to this Slack incoming webhook instead of the local sink
  PROMETHEUS_BIN, PROMTOOL_BIN, ALERTMANAGER_BIN, AMTOOL_BIN   binaries not on PATH
`;

function parseNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fraction = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(value);
  const parsed = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new AlertLoopError(`--${name} must be a number (or a fraction like 1/60), got "${value}"`);
  return parsed;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'time-scale': { type: 'string' },
      rps: { type: 'string' },
      healthy: { type: 'string' },
      errors: { type: 'string' },
      once: { type: 'boolean', default: false },
      'run-dir': { type: 'string' },
      'prometheus-port': { type: 'string' },
      'alertmanager-port': { type: 'string' },
      'export-rules': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values['export-rules']) {
    const files = exportRuleGroup({ outDir: values['export-rules'] });
    console.log(`Prometheus rule file / AMP rule groups namespace data: ${files.prometheusRules}`);
    console.log(`kube-prometheus-stack PrometheusRule:                  ${files.prometheusRuleResource}`);
    return 0;
  }
  const healthyMs = (parseNumber('healthy', values.healthy) ?? 5) * 1000;
  const errorsMs = (parseNumber('errors', values.errors) ?? 15) * 1000;

  let loop: AlertLoop | undefined = undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // Second Ctrl-C: do not wait; the exit hook SIGKILLs every process group.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    console.log(`\n${signal}: stopping every process the loop started (Ctrl-C again to force)`);
    void (loop?.stop() ?? Promise.resolve()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  console.log('eks-o11y local alert loop: starting on 127.0.0.1\n');
  loop = await startAlertLoop({
    timeScale: parseNumber('time-scale', values['time-scale']),
    requestsPerSecond: parseNumber('rps', values.rps),
    runDir: values['run-dir'],
    ports: {
      prometheus: parseNumber('prometheus-port', values['prometheus-port']),
      alertmanager: parseNumber('alertmanager-port', values['alertmanager-port']),
    },
    printSinkMessages: true,
    onEvent: (event) => console.log(formatTimelineEvent(event)),
  });
  if (stopping) return 130;
  console.log(`
  Prometheus    ${loop.urls.prometheus}/alerts
  Alertmanager  ${loop.urls.alertmanager}
  frontend      ${loop.urls.frontend}
  messages      ${loop.destination === 'slack' ? 'Slack (SLACK_WEBHOOK_URL)' : `local Slack sink; JSON kept in ${loop.runDir}/slack/`}
  run folder    ${loop.runDir} (configs, logs)
`);

  await sleep(healthyMs);
  if (stopping) return 130;
  await loop.injectErrors();
  const injectedAt = Date.now();
  const firing = loop.timeline.waitFor(TimelineEventKind.NotificationFiring, { after: injectedAt, timeoutMs: 60_000 }).catch(() => undefined);
  if (errorsMs > 0) {
    await Promise.all([firing, sleep(errorsMs)]);
    if (stopping) return 130;
    const stoppedAt = Date.now();
    await loop.stopErrors();
    const resolved = await loop.timeline
      .waitFor(TimelineEventKind.NotificationResolved, { after: stoppedAt, timeoutMs: 120_000 })
      .catch(() => undefined);
    const first = loop.timeline.last(TimelineEventKind.FirstError);
    const delivered = loop.timeline.last(TimelineEventKind.NotificationFiring);
    if (first && delivered && delivered.at >= first.at) {
      console.log(`\nFirst error to Slack message: ${((delivered.at - first.at) / 1000).toFixed(1)} s` +
        `${resolved ? `; errors stopped to resolved message: ${((resolved.at - stoppedAt) / 1000).toFixed(1)} s` : ''}`);
    }
    if (values.once) {
      await loop.stop();
      return resolved ? 0 : 1;
    }
  }
  if (stopping) return 130;
  console.log('\nThe loop keeps running: explore Prometheus and Alertmanager. Ctrl-C stops every process.');
  await new Promise(() => undefined);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AlertLoopError || (error instanceof Error && error.name === 'TypeError' && 'code' in error)) {
      console.error(`\n${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
