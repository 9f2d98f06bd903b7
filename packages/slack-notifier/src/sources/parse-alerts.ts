import type { z } from 'zod';
import { AlertParseError } from '../errors.js';
import type { AlertBatch } from '../model/alert.js';
import { AlertmanagerWebhookSchema, alertsFromAlertmanagerWebhook } from './alertmanager-webhook.js';
import {
  CloudWatchAlarmSnsMessageSchema,
  CloudWatchAlarmStateChangeEventSchema,
  alertFromCloudWatchSnsMessage,
  alertFromCloudWatchStateChangeEvent,
} from './cloudwatch-alarm.js';
import { GENERIC_ALERT_VERSION, GenericAlertPayloadSchema, alertsFromGenericPayload } from './generic-alert.js';
import { alertsFromGrafanaTextNotification } from './grafana-text-notification.js';
import { alertsFromTextNotification } from './text-notification.js';

/** Formats zod issues as `path: message` lines, short enough for an HTTP 4xx body or a log line. */
function describeIssues(error: z.ZodError): string[] {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'missing (expected $1)')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when the payload looks like the generic shape even if its version is missing or wrong: it names
 * an eks-o11y.alert version, or it has no version and its alerts carry `name` (Alertmanager, Amazon
 * Managed Prometheus and Grafana alerts never do; they carry labels).
 */
function looksGeneric(value: Record<string, unknown>): boolean {
  if (typeof value.version === 'string') return value.version.startsWith('eks-o11y.alert');
  if (value.version !== undefined || !Array.isArray(value.alerts)) return false;
  return value.alerts.some((a) => isRecord(a) && typeof a.name === 'string');
}

/** Which known format an object claims to be, from its distinctive keys. */
function claimedFormat(value: Record<string, unknown>): 'cloudwatch-sns' | 'cloudwatch-event' | 'alertmanager' | 'generic' | undefined {
  if ('AlarmName' in value || 'NewStateValue' in value) return 'cloudwatch-sns';
  if (value['detail-type'] === 'CloudWatch Alarm State Change') return 'cloudwatch-event';
  if (looksGeneric(value)) return 'generic';
  if ('alerts' in value) return 'alertmanager';
  return undefined;
}

/**
 * Parses a structured alert payload: a CloudWatch alarm SNS message, an EventBridge "CloudWatch Alarm
 * State Change" event, an Alertmanager v4 / Grafana webhook, or the generic eks-o11y shape.
 * @param viaSns - the payload was an SNS message (so an Alertmanager-shaped one is Amazon Managed Prometheus)
 * @throws AlertParseError naming the format it looked like and what did not match
 */
function parseAlertPayload(value: unknown, viaSns = false): AlertBatch {
  if (!isRecord(value)) {
    throw new AlertParseError(`Expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  const format = claimedFormat(value);
  switch (format) {
    case 'cloudwatch-sns': {
      const result = CloudWatchAlarmSnsMessageSchema.safeParse(value);
      if (!result.success) throw new AlertParseError('Not a valid CloudWatch alarm notification', describeIssues(result.error));
      return { alerts: [alertFromCloudWatchSnsMessage(result.data)] };
    }
    case 'cloudwatch-event': {
      const result = CloudWatchAlarmStateChangeEventSchema.safeParse(value);
      if (!result.success) throw new AlertParseError('Not a valid "CloudWatch Alarm State Change" event', describeIssues(result.error));
      return { alerts: [alertFromCloudWatchStateChangeEvent(result.data)] };
    }
    case 'generic': {
      // Said before the schema's issues: a wrong version is the one thing to fix.
      if (value.version !== GENERIC_ALERT_VERSION) {
        throw new AlertParseError(
          value.version === undefined
            ? `The generic alert payload has no "version": add "version": "${GENERIC_ALERT_VERSION}"`
            : `Unknown generic alert version ${JSON.stringify(value.version)}: the accepted version is "${GENERIC_ALERT_VERSION}"`,
        );
      }
      const result = GenericAlertPayloadSchema.safeParse(value);
      if (!result.success) throw new AlertParseError(`Not a valid ${GENERIC_ALERT_VERSION} payload`, describeIssues(result.error));
      return alertsFromGenericPayload(result.data);
    }
    case 'alertmanager': {
      const result = AlertmanagerWebhookSchema.safeParse(value);
      if (!result.success) throw new AlertParseError('Not a valid Alertmanager/Grafana webhook payload', describeIssues(result.error));
      return alertsFromAlertmanagerWebhook(result.data, viaSns);
    }
    default:
      throw new AlertParseError(
        'Unrecognised alert payload: expected a CloudWatch alarm (AlarmName), an EventBridge "CloudWatch Alarm State Change" event, ' +
          `an Alertmanager/Grafana webhook (alerts[]) or a generic payload (version "${GENERIC_ALERT_VERSION}")`,
      );
  }
}

/**
 * Parses the `Message` of one SNS record. Structured formats become their alerts, and so does Grafana's
 * default plain-text message; anything else, including a structured message that fails validation,
 * becomes a plain-text alert carrying the raw message, so nothing published to the topic is lost.
 */
function parseSnsMessage(message: string, meta: { subject?: string | null; topicArn?: string | null } = {}): AlertBatch {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return alertsFromGrafanaTextNotification({ text: message, ...meta }) ?? alertsFromTextNotification({ text: message, ...meta });
  }
  if (!isRecord(json) || claimedFormat(json) === undefined) {
    return alertsFromTextNotification({ text: message, ...meta });
  }
  try {
    // The SNS subject of a structured message repeats what the message says (`ALARM: "x" in ...`).
    return parseAlertPayload(json, true);
  } catch (error) {
    const note = error instanceof AlertParseError ? `Delivered as raw text. ${error.message}` : undefined;
    return alertsFromTextNotification({ text: message, ...meta, ...(note && { note }) });
  }
}

export { parseAlertPayload, parseSnsMessage, describeIssues };
