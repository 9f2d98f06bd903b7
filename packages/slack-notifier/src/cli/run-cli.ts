import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { NotifierError } from '../errors.js';
import { loadNotifierConfig, type NotifierConfig } from '../delivery/routes.js';
import { combineDeliveryErrors, SlackNotifier } from '../delivery/slack-notifier.js';
import { batchesFromLambdaEvent } from '../lambda/lambda-event.js';
import type { AlertBatch } from '../model/alert.js';
import { startReceiver } from '../receiver/http-receiver.js';
import { renderPlainTextMessage, renderSlackMessage, type SlackMessage } from '../render/slack-message.js';
import { startSlackSink } from '../testing/slack-sink.js';
import { WebhookResolver } from '../webhook/webhook-resolver.js';
import { validateWebhookUrl } from '../webhook/webhook-url.js';

/** Streams and environment of one CLI run (injected by tests). */
interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readStdin: () => Promise<string>;
  /** Resolves when a long-running command (serve, sink) should stop. */
  readonly untilStopped: () => Promise<void>;
}

const USAGE = `Usage: eks-o11y-slack <command> [options]

Commands:
  preview <event.json> [--plain] [--builder-url]
                                          Print the Slack message(s) an event becomes (Block Kit JSON), or
                                          a link that opens each in Slack's Block Kit Builder
  send <event.json> [--webhook-url URL] [--channel C] [--allow-loopback]
                                          Post the message(s); the webhook comes from --webhook-url or the
                                          SLACK_WEBHOOK_* / SLACK_ROUTES environment variables (--webhook-url
                                          replaces only SLACK_WEBHOOK_*: SLACK_ROUTES, SLACK_CHANNEL and
                                          SLACK_MENTION still apply)
  encrypt-webhook --key-id KEY --function-name NAME [--region R] [--url URL]
                                          KMS-encrypt a webhook URL (read from stdin when --url is absent)
                                          with EncryptionContext LambdaFunctionName=NAME; prints base64
  serve [--port 9094] [--host 127.0.0.1] [--token T] [--webhook-url URL] [--channel C] [--allow-loopback]
                                          HTTP receiver for Alertmanager/Grafana webhooks (token also from
                                          RECEIVER_TOKEN; webhook from --webhook-url or the SLACK_* variables)
  sink [--port 9095] [--host 127.0.0.1] [--quiet]
                                          Local Slack-compatible webhook sink that prints each message
  help                                    This text

Event files: an SNS or EventBridge Lambda event, a CloudWatch alarm notification, an Alertmanager or
Grafana webhook body, or a generic eks-o11y.alert/v1 payload.`;

function defaultIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    untilStopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

/** The command line was wrong (exit code 2), as opposed to the work failing (exit code 1). */
class UsageError extends NotifierError {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

async function readBatches(command: string, file: string | undefined): Promise<AlertBatch[]> {
  if (!file) throw new UsageError(`Give the event file: eks-o11y-slack ${command} <event.json>`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // A file that is not there is a wrong command line (exit 2); one that cannot be read is a failure (exit 1).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`Cannot read ${file}: ENOENT (no such file). Give the path of an event JSON file.`);
    throw new NotifierError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotifierError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return batchesFromLambdaEvent(json).map((item) => item.batch);
}

/** One log line: the message, then its details as JSON (the notifier never gives a logger the webhook URL). */
function logLine(message: string, extra: readonly unknown[]): string {
  const details: Record<string, unknown> = Object.assign({}, ...extra.map((e) => (e instanceof Error ? { error: `${e.name}: ${e.message}` } : e)));
  return Object.keys(details).length > 0 ? `${message} ${JSON.stringify(details)}` : message;
}

/** Slack's Block Kit Builder takes the message in the URL fragment; nothing is sent anywhere by this. */
function blockKitBuilderUrl(message: SlackMessage): string {
  const { blocks, attachments } = message;
  return `https://app.slack.com/block-kit-builder#${encodeURIComponent(JSON.stringify({ ...(blocks && { blocks }), ...(attachments && { attachments }) }))}`;
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be 0-65535, not ${value}`);
  return n;
}

/** Default webhook sources besides SLACK_WEBHOOK_URL, which `--webhook-url` replaces too. */
const OTHER_DEFAULT_WEBHOOKS: ReadonlySet<string> = new Set(['SLACK_WEBHOOK_KMS_CIPHERTEXT', 'SLACK_WEBHOOK_SECRET_ID', 'SLACK_WEBHOOK_SSM_PARAMETER']);

/**
 * The environment's configuration, with `--webhook-url` taking the place of the default webhook only:
 * SLACK_CHANNEL, SLACK_MENTION and SLACK_ROUTES still apply, as they do with SLACK_WEBHOOK_URL.
 */
function configFrom(io: CliIo, flags: { 'webhook-url'?: string; channel?: string; 'allow-loopback'?: boolean }): NotifierConfig {
  const allowLoopback = flags['allow-loopback'] === true || io.env.SLACK_ALLOW_LOOPBACK_WEBHOOK === 'true';
  const flag = flags['webhook-url'];
  const env = flag ? { ...Object.fromEntries(Object.entries(io.env).filter(([name]) => !OTHER_DEFAULT_WEBHOOKS.has(name))), SLACK_WEBHOOK_URL: flag } : io.env;
  const config = loadNotifierConfig(env, 'cli');
  return { ...config, ...(flags.channel && { defaultChannel: flags.channel }), allowInsecureLoopbackWebhook: allowLoopback };
}

/**
 * Runs the `eks-o11y-slack` command line.
 * @returns the exit code (0 success, 1 failure, 2 usage error)
 */
async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        plain: { type: 'boolean' },
        'builder-url': { type: 'boolean' },
        'webhook-url': { type: 'string' },
        channel: { type: 'string' },
        'allow-loopback': { type: 'boolean' },
        'key-id': { type: 'string' },
        'function-name': { type: 'string' },
        region: { type: 'string' },
        url: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    });
    switch (command) {
      case 'preview': {
        const batches = await readBatches(command, positionals[0]);
        const messages = batches.map((b) => (values.plain ? renderPlainTextMessage(b) : renderSlackMessage(b)));
        if (values['builder-url']) {
          for (const m of messages) io.stdout(blockKitBuilderUrl(m));
          return 0;
        }
        io.stdout(JSON.stringify(messages.length === 1 ? messages[0] : messages, null, 2));
        return 0;
      }
      case 'send': {
        const batches = await readBatches(command, positionals[0]);
        const config = configFrom(io, values);
        const notifier = new SlackNotifier({
          config,
          resolver: new WebhookResolver({
            allowInsecureLoopbackWebhook: config.allowInsecureLoopbackWebhook ?? false,
            ...(io.env.AWS_LAMBDA_FUNCTION_NAME && { functionName: io.env.AWS_LAMBDA_FUNCTION_NAME }),
            runsIn: 'cli',
          }),
          delivery: { runsIn: 'cli' },
          logger: {
            info: () => undefined,
            warn: (m, ...e) => io.stderr(logLine(m, e)),
            // A failure ends the command with its error message; logging it as well would say it twice.
            error: () => undefined,
          },
        });
        // Every batch (SNS record) is tried, as the Lambda handler does; the failures are reported at the end.
        let messages = 0;
        const failures: Error[] = [];
        for (const batch of batches) {
          try {
            messages += (await notifier.notify(batch)).messages;
          } catch (error) {
            failures.push(error instanceof Error ? error : new Error(String(error)));
          }
        }
        // Each failure names its route, never its webhook URL; a PartialDeliveryError counts what was delivered.
        if (failures.length > 0) throw combineDeliveryErrors(failures, messages);
        io.stdout(`Delivered ${messages} message(s) to Slack.`);
        return 0;
      }
      case 'encrypt-webhook': {
        const keyId = values['key-id'];
        const functionName = values['function-name'];
        if (!keyId || !functionName) throw new UsageError('encrypt-webhook needs --key-id and --function-name (the Lambda function that will decrypt it).');
        const url = validateWebhookUrl(values.url ?? (await io.readStdin()));
        const { EncryptCommand, KMSClient } = await import('@aws-sdk/client-kms');
        const kms = new KMSClient(values.region ? { region: values.region } : {});
        const out = await kms
          .send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(url, 'utf8'), EncryptionContext: { LambdaFunctionName: functionName } }))
          .catch((error: unknown) => {
            // The AWS SDK says only "Region is missing".
            if (error instanceof Error && /region is missing/i.test(error.message)) {
              throw new NotifierError(`${error.message}: pass --region or set AWS_REGION.`, { cause: error });
            }
            throw error;
          });
        if (!out.CiphertextBlob) throw new NotifierError('KMS returned no ciphertext.');
        io.stdout(Buffer.from(out.CiphertextBlob).toString('base64'));
        return 0;
      }
      case 'serve': {
        const token = values.token ?? io.env.RECEIVER_TOKEN;
        // The CLI has no unauthenticated mode (the library's allowUnauthenticated is for tests and demos in code).
        if (!token) {
          throw new UsageError('serve needs a bearer token for Alertmanager or Grafana to send: pass --token T or set RECEIVER_TOKEN.');
        }
        const receiver = await startReceiver({
          config: configFrom(io, values),
          bearerToken: token,
          port: port(values.port, 9094),
          host: values.host ?? '127.0.0.1',
          logger: {
            info: (m, ...e) => io.stdout(logLine(m, e)),
            warn: (m, ...e) => io.stderr(logLine(m, e)),
            error: (m, ...e) => io.stderr(logLine(m, e)),
          },
        });
        io.stdout(`Receiving alerts on ${receiver.url}/alertmanager and ${receiver.url}/grafana`);
        await io.untilStopped();
        await receiver.close();
        return 0;
      }
      case 'sink': {
        const sink = await startSlackSink({ port: port(values.port, 9095), host: values.host ?? '127.0.0.1', print: values.quiet ? false : io.stdout });
        io.stdout(`Slack sink listening: ${sink.url}`);
        await io.untilStopped();
        await sink.close();
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`eks-o11y-slack ${command ?? ''}: ${message}`);
    const usage = error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
    if (usage) io.stderr('Run `eks-o11y-slack help` for the commands and their options.');
    return usage ? 2 : 1;
  }
}

export { runCli };
export type { CliIo };
