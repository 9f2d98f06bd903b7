import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlackNotifier, startReceiver, type AlertBatch, type NotifierConfig, type NotifyResult } from '@eks-o11y/slack-notifier';
import { startSlackSink, type SlackSink } from '@eks-o11y/slack-notifier/testing';

/** A message the notifier delivered (to Slack, or to the local sink). */
interface DeliveredMessage {
  /** When delivery completed (ms since the epoch). */
  readonly at: number;
  /** `resolved` when every alert of the batch is resolved, else `firing`. */
  readonly status: 'firing' | 'resolved';
  /** Alert names in the batch. */
  readonly alertNames: readonly string[];
  /** The alerts' labels (namespace, http_status_code, severity, ...). */
  readonly labels: readonly Readonly<Record<string, string>>[];
  /** One line for the timeline. */
  readonly summary: string;
  /** The Slack payloads the sink received for this batch (empty when posting to real Slack). */
  readonly payloads: readonly Record<string, unknown>[];
  /** Files in the run folder holding those payloads as JSON. */
  readonly files: readonly string[];
}

/** Options of {@link startNotifier}. */
interface NotifierOptions {
  readonly runDir: string;
  /** Real Slack webhook; empty or undefined uses the local sink. */
  readonly slackWebhookUrl?: string;
  /** @default - ephemeral */
  readonly receiverPort?: number;
  /** @default - ephemeral */
  readonly sinkPort?: number;
  /** Print sink messages readably on stdout. */
  readonly printSinkMessages: boolean;
}

/** The notifier side of the loop: the HTTP receiver Alertmanager posts to, and Slack or the sink. */
interface Notifier {
  /** Alertmanager webhook URL (`.../alertmanager`). */
  readonly receiverUrl: string;
  /** Token Alertmanager must send. */
  readonly bearerToken: string;
  /** The local sink's webhook URL, or undefined when posting to Slack. */
  readonly sinkUrl: string | undefined;
  /** Folder holding every sink message as JSON, or undefined when posting to Slack. */
  readonly messagesDir: string | undefined;
  /** `Slack` or `local Slack sink`, for the timeline. */
  readonly destinationName: string;
  readonly messages: readonly DeliveredMessage[];
  onMessage(listener: (message: DeliveredMessage) => void): void;
  stop(): Promise<void>;
}

/**
 * The notifier exactly as `eks-o11y-slack serve` runs it, observed: each batch it delivers is
 * recorded (status, alert names, labels, and the payloads the sink kept) so the loop can show it on
 * its timeline and the tests can assert on it.
 */
class ObservedSlackNotifier extends SlackNotifier {
  public constructor(
    config: NotifierConfig,
    private readonly delivered: (batch: AlertBatch, result: NotifyResult) => void,
  ) {
    super({ config });
  }

  public override async notify(batch: AlertBatch, remainingTimeMs?: () => number): Promise<NotifyResult> {
    const result = await super.notify(batch, remainingTimeMs);
    if (result.messages > 0) this.delivered(batch, result);
    return result;
  }
}

/**
 * Starts the notifier's receiver (bearer token, bound to 127.0.0.1), posting to Slack when a
 * webhook URL is given, otherwise to a local Slack-compatible sink that checks each payload
 * against Slack's limits, prints it readably and keeps it as JSON in `<runDir>/slack/`.
 */
async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const bearerToken = randomBytes(24).toString('base64url');
  const messages: DeliveredMessage[] = [];
  const listeners: ((message: DeliveredMessage) => void)[] = [];
  let sink: SlackSink | undefined;
  let messagesDir: string | undefined;

  if (!options.slackWebhookUrl) {
    messagesDir = join(options.runDir, 'slack');
    mkdirSync(messagesDir, { recursive: true });
    sink = await startSlackSink({ port: options.sinkPort ?? 0, print: options.printSinkMessages });
  }
  let sinkSeen = 0;

  const notifier = new ObservedSlackNotifier(
    {
      routes: [],
      defaultWebhook: { url: options.slackWebhookUrl || (sink as SlackSink).url },
      // The sink listens on http://127.0.0.1: allowed only because this is a local demo.
      allowInsecureLoopbackWebhook: sink !== undefined,
    },
    (batch) => {
      const status = batch.alerts.every((alert) => alert.status === 'resolved') ? 'resolved' : 'firing';
      const payloads = sink ? sink.messages.slice(sinkSeen) : [];
      sinkSeen = sink ? sink.messages.length : 0;
      const files = payloads.map((payload, index) => {
        const file = join(messagesDir as string, `${String(messages.length + 1).padStart(3, '0')}-${status}${index ? `-${index}` : ''}.json`);
        writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
        return file;
      });
      const names = [...new Set(batch.alerts.map((alert) => alert.name))];
      const message: DeliveredMessage = {
        at: Date.now(),
        status,
        alertNames: names,
        labels: batch.alerts.map((alert) => alert.labels),
        summary: `${status.toUpperCase()} "${names.join('", "')}" (${batch.alerts.length} alert${batch.alerts.length === 1 ? '' : 's'})${files[0] ? ` -> ${files[0]}` : ''}`,
        payloads,
        files,
      };
      messages.push(message);
      for (const listener of listeners) listener(message);
    },
  );

  let receiver;
  try {
    receiver = await startReceiver({ notifier, bearerToken, port: options.receiverPort ?? 0, host: '127.0.0.1' });
  } catch (error) {
    await sink?.close();
    throw error;
  }
  return {
    receiverUrl: `${receiver.url}/alertmanager`,
    bearerToken,
    sinkUrl: sink?.url,
    messagesDir,
    destinationName: sink ? 'local Slack sink' : 'Slack',
    messages,
    onMessage: (listener) => listeners.push(listener),
    stop: async () => {
      await receiver.close();
      await sink?.close();
    },
  };
}

export { startNotifier };
export type { DeliveredMessage, Notifier, NotifierOptions };
