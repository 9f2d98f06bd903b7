import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ho11yBadRequestAlert,
  renderPrometheusRuleYaml,
  type AlertDefinition,
} from '@eks-o11y/cdk-constructs/alert-rules';
import { stringify } from 'yaml';
import { renderAlertmanagerConfig } from './alertmanager-config.js';
import { checkAlertmanagerConfig, checkPrometheusConfig } from './config-check.js';
import { InvalidOptionError } from './errors.js';
import { freePort, LOOPBACK } from './free-port.js';
import { Ho11yTopology } from './ho11y-topology.js';
import { ManagedProcess } from './managed-process.js';
import { startNotifier, type DeliveredMessage, type Notifier } from './notifier.js';
import { PrometheusAlertWatcher } from './prometheus-alert-watcher.js';
import { renderPrometheusConfig } from './prometheus-config.js';
import { findSystemBinaries, type SystemBinaries } from './system-binaries.js';
import { Timeline, TimelineEventKind, type TimelineListener } from './timeline.js';
import { TrafficGenerator } from './traffic-generator.js';
import { waitForHttp } from './wait-for-http.js';
import { waitForScrapes } from './wait-for-scrapes.js';

/** Fixed ports, for a bookmarkable Prometheus or a firewall rule; anything left out is ephemeral. */
interface AlertLoopPorts {
  readonly prometheus?: number;
  readonly alertmanager?: number;
  readonly receiver?: number;
  readonly sink?: number;
  readonly frontend?: number;
  readonly downstream0?: number;
  readonly downstream1?: number;
}

/** Options of {@link startAlertLoop}. Every field is optional. */
interface AlertLoopOptions {
  /**
   * The alert to evaluate: the same object the CloudWatch alarm is built from.
   * @default ho11yBadRequestAlert - `400 errors from ho11y app`, more than 15 in 5 minutes
   */
  readonly alert?: AlertDefinition;
  /**
   * Factor applied to the alert's windows (see `PrometheusRuleOptions.timeScale`): `1/60` turns
   * 5 minutes into 5 seconds. The threshold is unchanged.
   * @default 1/60
   */
  readonly timeScale?: number;
  /**
   * Folder for configs, data, logs and every Slack message as JSON. Created if missing.
   * @default - a new folder under the system temp dir (`eks-o11y-alert-loop-*`)
   */
  readonly runDir?: string;
  /** @default - free ephemeral ports on 127.0.0.1 */
  readonly ports?: AlertLoopPorts;
  /** Prometheus scrape and rule evaluation interval, seconds. @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** Requests per second sent to the frontend. @default 100 */
  readonly requestsPerSecond?: number;
  /**
   * Slack incoming webhook URL. When set, messages go to Slack; otherwise to a local
   * Slack-compatible sink whose messages are kept in `<runDir>/slack/`.
   * @default process.env.SLACK_WEBHOOK_URL
   */
  readonly slackWebhookUrl?: string;
  /** Print each message the local sink receives, readably, on stdout. @default false */
  readonly printSinkMessages?: boolean;
  /** Start the frontend with failure injection already on. @default false */
  readonly injectErrors?: boolean;
  /** Alertmanager `group_wait` (first notification of a group), seconds. @default 1 */
  readonly groupWaitSeconds?: number;
  /** Alertmanager `group_interval` (changes, including resolution), seconds. @default 1 */
  readonly groupIntervalSeconds?: number;
  /** Called for every timeline event as it happens. */
  readonly onEvent?: TimelineListener;
  /** @default - found on PATH or through PROMETHEUS_BIN, PROMTOOL_BIN, ALERTMANAGER_BIN, AMTOOL_BIN */
  readonly binaries?: SystemBinaries;
}

/** Where to look while the loop runs. */
interface AlertLoopUrls {
  readonly prometheus: string;
  readonly alertmanager: string;
  /** The notifier's Alertmanager webhook endpoint. */
  readonly receiver: string;
  /** The local Slack sink, when messages do not go to Slack. */
  readonly sink: string | undefined;
  readonly frontend: string;
}

/** A running loop, from {@link startAlertLoop}. */
interface AlertLoop {
  readonly runDir: string;
  readonly urls: AlertLoopUrls;
  /** The alert name Prometheus, Alertmanager and Slack use. */
  readonly alertName: string;
  /** Where messages go. */
  readonly destination: 'slack' | 'local-sink';
  readonly timeline: Timeline;
  /** Messages delivered so far (to the sink, or accepted by Slack). */
  readonly messages: readonly DeliveredMessage[];
  /** Process ids of every process the loop started (each leads its own process group). */
  readonly pids: readonly number[];
  /** Responses of the traffic generator by status code. */
  readonly responseCounts: ReadonlyMap<number, number>;
  /** Turns failure injection on at the frontend (redeploys it with HO11Y_INJECT_FAILURE). */
  injectErrors(): Promise<void>;
  /** Turns failure injection off (redeploys the frontend without it). */
  stopErrors(): Promise<void>;
  /** Stops traffic, every process and every server the loop started. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  timeScale: 1 / 60,
  scrapeIntervalSeconds: 1,
  requestsPerSecond: 100,
  groupWaitSeconds: 1,
  groupIntervalSeconds: 1,
} as const;

function validate(options: AlertLoopOptions): void {
  const positive = { timeScale: options.timeScale, requestsPerSecond: options.requestsPerSecond };
  for (const [name, value] of Object.entries(positive)) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new InvalidOptionError(`${name} must be a positive number, got ${value}`);
    }
  }
  const seconds = {
    scrapeIntervalSeconds: options.scrapeIntervalSeconds,
    groupWaitSeconds: options.groupWaitSeconds,
    groupIntervalSeconds: options.groupIntervalSeconds,
  };
  for (const [name, value] of Object.entries(seconds)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidOptionError(`${name} must be a whole number of seconds >= 1, got ${value}`);
    }
  }
  for (const [name, port] of Object.entries(options.ports ?? {})) {
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new InvalidOptionError(`ports.${name} must be a port number from 1 to 65535, got ${port}`);
    }
  }
  if (options.slackWebhookUrl !== undefined && options.slackWebhookUrl !== '' && !/^https:\/\/\S+$/.test(options.slackWebhookUrl)) {
    throw new InvalidOptionError('slackWebhookUrl (SLACK_WEBHOOK_URL) must be an https:// Slack incoming webhook URL');
  }
}

/** The HTTP status code the alert counts (its `http_status_code` matcher), to spot the first injected error. */
function alertStatusCode(alert: AlertDefinition): number | undefined {
  const code = alert.signal.matchers?.http_status_code;
  return code === undefined ? undefined : Number(code);
}

/**
 * Starts the whole alert loop on 127.0.0.1: the ho11y topology, a traffic generator, Prometheus
 * scraping with the blueprint collector's selection and evaluating the alert rendered from the
 * same definition as the CloudWatch alarm, Alertmanager routing to the notifier's webhook
 * receiver, and Slack or a local Slack-compatible sink. Resolves once everything answers.
 *
 * If anything fails to start, everything already started is stopped before the error is thrown.
 *
 * @example
 * ```ts
 * const loop = await startAlertLoop({ onEvent: (event) => console.log(formatTimelineEvent(event)) });
 * await loop.injectErrors();
 * await loop.timeline.waitFor('notification-firing', { timeoutMs: 15_000 });
 * await loop.stopErrors();
 * await loop.timeline.waitFor('notification-resolved', { timeoutMs: 30_000 });
 * await loop.stop();
 * ```
 * @throws MissingBinaryError when Prometheus or Alertmanager is not installed (with the install command)
 * @throws InvalidOptionError, InvalidConfigError, ProcessFailedError
 */
async function startAlertLoop(options: AlertLoopOptions = {}): Promise<AlertLoop> {
  validate(options);
  const binaries = options.binaries ?? findSystemBinaries();
  const alert = options.alert ?? ho11yBadRequestAlert;
  const timeScale = options.timeScale ?? DEFAULTS.timeScale;
  const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? DEFAULTS.scrapeIntervalSeconds;
  const statusCode = alertStatusCode(alert);
  const slackWebhookUrl = options.slackWebhookUrl ?? process.env.SLACK_WEBHOOK_URL ?? '';

  const runDir = options.runDir ? resolve(options.runDir) : mkdtempSync(join(tmpdir(), 'eks-o11y-alert-loop-'));
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const timeline = new Timeline();
  if (options.onEvent) timeline.onEvent(options.onEvent);

  const processes: ManagedProcess[] = [];
  const pids: number[] = [];
  let topology: Ho11yTopology | undefined;
  let notifier: Notifier | undefined;
  let traffic: TrafficGenerator | undefined;
  let watcher: PrometheusAlertWatcher | undefined;
  let stopped: Promise<void> | undefined;
  // First-error detection: armed before the frontend is redeployed with failures, so the very first
  // error counts; recorded only after the "errors-injected" line, keeping its own timestamp.
  let errorsArmed = false;
  let errorsAnnounced = false;
  let firstErrorAt: number | undefined;
  let firstErrorRecorded = false;
  const recordFirstError = (): void => {
    if (firstErrorAt !== undefined && errorsAnnounced && !firstErrorRecorded) {
      firstErrorRecorded = true;
      timeline.record(TimelineEventKind.FirstError, `first HTTP ${statusCode} from the frontend`, firstErrorAt);
    }
  };
  const announceErrors = (message: string): void => {
    errorsAnnounced = true;
    timeline.record(TimelineEventKind.ErrorsInjected, message);
    recordFirstError();
  };

  // Last resort if this Node process exits without stop() (an uncaught error): no orphans.
  const killAllOnExit = (): void => {
    for (const pid of [...pids, ...(topology?.startedPids ?? [])]) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAllOnExit);

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      timeline.record(TimelineEventKind.Stopping, 'stopping traffic and every process the loop started');
      watcher?.stop();
      await traffic?.stop();
      await Promise.allSettled([topology?.stop(), ...processes.map((child) => child.stop())]);
      await notifier?.stop();
      process.off('exit', killAllOnExit);
      timeline.record(TimelineEventKind.Stopped, `stopped; configs, logs and messages are kept in ${runDir}`);
    })();
    return stopped;
  };

  const startProcess = async (name: string, command: string, args: string[], readyUrl: string): Promise<ManagedProcess> => {
    const child = await ManagedProcess.start({ name, command, args, logFile: join(logDir, `${name}.log`), cwd: runDir });
    processes.push(child);
    pids.push(child.pid);
    await waitForHttp(readyUrl, child);
    timeline.record(TimelineEventKind.ProcessUp, `${name} (pid ${child.pid}) on ${readyUrl.replace(/\/-\/ready$/, '')}`);
    return child;
  };

  try {
    const port = async (fixed: number | undefined): Promise<number> => fixed ?? (await freePort());
    const ports = {
      prometheus: await port(options.ports?.prometheus),
      alertmanager: await port(options.ports?.alertmanager),
      frontend: await port(options.ports?.frontend),
      downstream0: await port(options.ports?.downstream0),
      downstream1: await port(options.ports?.downstream1),
    };
    const prometheusUrl = `http://${LOOPBACK}:${ports.prometheus}`;
    const alertmanagerUrl = `http://${LOOPBACK}:${ports.alertmanager}`;

    // 1. Where messages end up: the notifier's receiver, posting to Slack or to the local sink.
    notifier = await startNotifier({
      runDir,
      slackWebhookUrl,
      receiverPort: options.ports?.receiver,
      sinkPort: options.ports?.sink,
      printSinkMessages: options.printSinkMessages ?? false,
    });
    notifier.onMessage((message) => {
      if (message.status === 'resolved') {
        timeline.record(TimelineEventKind.NotificationResolved, `${notifier?.destinationName} got: ${message.summary}`, message.at);
      } else {
        timeline.record(TimelineEventKind.NotificationFiring, `${notifier?.destinationName} got: ${message.summary}`, message.at);
      }
    });
    timeline.record(
      TimelineEventKind.ProcessUp,
      notifier.sinkUrl
        ? `notifier receiver on ${notifier.receiverUrl}, local Slack sink on ${notifier.sinkUrl} (messages in ${notifier.messagesDir})`
        : `notifier receiver on ${notifier.receiverUrl}, posting to Slack (SLACK_WEBHOOK_URL)`,
    );

    // 2. The application.
    topology = await Ho11yTopology.start({
      ports,
      logDir,
      injectFailure: options.injectErrors ?? false,
      onUp: (service) => timeline.record(TimelineEventKind.ProcessUp, `ho11y ${service.app} (pid ${service.process.pid}) on ${service.url}`),
    });
    if (options.injectErrors) {
      errorsArmed = true;
      announceErrors('frontend started with HO11Y_INJECT_FAILURE=enabled');
    }

    // 3. Configs, rendered and checked with the tools Prometheus and Alertmanager ship.
    const rulesFile = join(runDir, 'rules.yml');
    writeFileSync(rulesFile, renderPrometheusRuleYaml([alert], { name: 'ho11y', timeScale }));
    const prometheusConfigFile = join(runDir, 'prometheus.yml');
    writeFileSync(
      prometheusConfigFile,
      stringify(
        renderPrometheusConfig({
          targets: topology.scrapeTargets(),
          ruleFiles: [rulesFile],
          alertmanagerAddress: `${LOOPBACK}:${ports.alertmanager}`,
          intervalSeconds: scrapeIntervalSeconds,
        }),
      ),
    );
    const tokenFile = join(runDir, 'receiver-token');
    writeFileSync(tokenFile, notifier.bearerToken, { mode: 0o600 });
    const alertmanagerConfigFile = join(runDir, 'alertmanager.yml');
    writeFileSync(
      alertmanagerConfigFile,
      stringify(
        renderAlertmanagerConfig({
          webhookUrl: notifier.receiverUrl,
          bearerTokenFile: tokenFile,
          groupWaitSeconds: options.groupWaitSeconds ?? DEFAULTS.groupWaitSeconds,
          groupIntervalSeconds: options.groupIntervalSeconds ?? DEFAULTS.groupIntervalSeconds,
        }),
      ),
    );
    await Promise.all([
      checkPrometheusConfig(binaries.promtool, prometheusConfigFile),
      checkAlertmanagerConfig(binaries.amtool, alertmanagerConfigFile),
    ]);

    // 4. Alertmanager, then Prometheus (which sends it alerts), both bound to 127.0.0.1 only.
    await startProcess(
      'alertmanager',
      binaries.alertmanager,
      [
        `--config.file=${alertmanagerConfigFile}`,
        `--storage.path=${join(runDir, 'alertmanager-data')}`,
        `--web.listen-address=${LOOPBACK}:${ports.alertmanager}`,
        `--web.external-url=${alertmanagerUrl}/`,
        // Empty disables clustering, whose default listens on 0.0.0.0:9094.
        '--cluster.listen-address=',
      ],
      `${alertmanagerUrl}/-/ready`,
    );
    const prometheus = await startProcess(
      'prometheus',
      binaries.prometheus,
      [
        `--config.file=${prometheusConfigFile}`,
        `--storage.tsdb.path=${join(runDir, 'prometheus-data')}`,
        `--web.listen-address=${LOOPBACK}:${ports.prometheus}`,
        `--web.external-url=${prometheusUrl}/`,
        '--storage.tsdb.retention.time=1d',
      ],
      `${prometheusUrl}/-/ready`,
    );
    const targets = topology.scrapeTargets().length;
    // Prometheus applies targets on a 5 s tick, then scrapes once per interval (jittered).
    await waitForScrapes(prometheusUrl, targets, prometheus, 10_000 + scrapeIntervalSeconds * 2000);
    timeline.record(TimelineEventKind.ProcessUp, `prometheus scraping ${targets} ho11y targets (job custom-metrics)`);

    const alertName = alert.name;
    watcher = new PrometheusAlertWatcher({
      prometheusUrl,
      alertName,
      onChange: (state, at) => {
        if (state === 'pending') timeline.record(TimelineEventKind.AlertPending, `Prometheus: "${alertName}" pending`, at);
        if (state === 'firing') timeline.record(TimelineEventKind.AlertFiring, `Prometheus: "${alertName}" firing`, at);
        if (state === 'inactive') timeline.record(TimelineEventKind.AlertResolved, `Prometheus: "${alertName}" no longer active`, at);
      },
    });
    watcher.start();

    // 5. Traffic, like the blog's curl loop against the frontend.
    const frontendUrl = `http://${LOOPBACK}:${ports.frontend}/`;
    const requestsPerSecond = options.requestsPerSecond ?? DEFAULTS.requestsPerSecond;
    traffic = new TrafficGenerator({
      url: frontendUrl,
      requestsPerSecond,
      onResponse: (status, at) => {
        if (errorsArmed && firstErrorAt === undefined && status === statusCode) {
          firstErrorAt = at;
          recordFirstError();
        }
      },
    });
    traffic.start();
    timeline.record(TimelineEventKind.TrafficStarted, `${requestsPerSecond} requests/s to ${frontendUrl}`);

    const runningTopology = topology;
    const runningTraffic = traffic;
    // Like a Kubernetes rollout: the pod leaves the Service endpoints (traffic pauses) before it gets
    // SIGTERM, so its graceful shutdown is not held up by keep-alive connections still in use.
    const redeployFrontend = async (injectFailure: boolean): Promise<void> => {
      await runningTraffic.stop();
      try {
        await runningTopology.setFailureInjection(injectFailure);
      } finally {
        runningTraffic.start();
      }
    };
    const runningNotifier = notifier;
    return {
      runDir,
      urls: {
        prometheus: prometheusUrl,
        alertmanager: alertmanagerUrl,
        receiver: runningNotifier.receiverUrl,
        sink: runningNotifier.sinkUrl,
        frontend: frontendUrl,
      },
      alertName,
      destination: runningNotifier.sinkUrl ? 'local-sink' : 'slack',
      timeline,
      get messages() {
        return runningNotifier.messages;
      },
      get pids() {
        return [...pids, ...runningTopology.startedPids];
      },
      get responseCounts() {
        return runningTraffic.counts;
      },
      async injectErrors() {
        if (runningTopology.failureInjected) return;
        errorsArmed = true;
        errorsAnnounced = false;
        firstErrorAt = undefined;
        firstErrorRecorded = false;
        await redeployFrontend(true);
        announceErrors('frontend redeployed with HO11Y_INJECT_FAILURE=enabled (49% of requests fail; 400 is one code in five)');
      },
      async stopErrors() {
        if (!runningTopology.failureInjected) return;
        errorsArmed = false;
        const stoppedAt = Date.now();
        await redeployFrontend(false);
        timeline.record(TimelineEventKind.ErrorsStopped, 'frontend redeployed without failure injection (traffic to the failing pod stopped)', stoppedAt);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export { startAlertLoop };
export type { AlertLoop, AlertLoopOptions, AlertLoopPorts, AlertLoopUrls };
