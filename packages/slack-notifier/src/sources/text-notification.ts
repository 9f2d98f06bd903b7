import { AlertSource, AlertStatus, type AlertBatch } from '../model/alert.js';
import { parseArn } from '../model/aws-region.js';

/** The longest raw text we keep from an unrecognised notification (Slack truncates further). */
const MAX_RAW_TEXT = 2500;

/**
 * An SNS notification that is not in a format we know: Amazon Managed Prometheus with its default
 * plain-text template, Grafana with a customised one, or anything else published to the topic.
 * Rather than drop it, it becomes one alert whose description is the raw text; the state comes from
 * an Alertmanager-style subject (`[FIRING:2] ...`, `[RESOLVED] ...`) when there is one.
 */
function alertsFromTextNotification(args: { text: string; subject?: string | null; topicArn?: string | null; note?: string }): AlertBatch {
  const subject = args.subject?.trim() || undefined;
  const marker = /^\[(FIRING|RESOLVED)(?::\d+)?\]\s*/i.exec(subject ?? args.text.trimStart());
  const resolved = marker?.[1]?.toUpperCase() === 'RESOLVED';
  const topic = parseArn(args.topicArn)?.resource;
  const text = args.text.length > MAX_RAW_TEXT ? `${args.text.slice(0, MAX_RAW_TEXT)}\n... (${args.text.length - MAX_RAW_TEXT} more characters)` : args.text;
  const name = (subject ? subject.replace(/^\[(FIRING|RESOLVED)(?::\d+)?\]\s*/i, '') : undefined) || (topic ? `Notification on ${topic}` : 'Notification');
  const region = parseArn(args.topicArn)?.region;
  const firstLine = args.text.split('\n').map((l) => l.trim()).find((l) => l.length > 0 && !l.startsWith('{'));
  const summary = firstLine && firstLine !== name ? (firstLine.length > 200 ? `${firstLine.slice(0, 199)}…` : firstLine) : undefined;
  return {
    alerts: [
      {
        source: AlertSource.TEXT,
        name,
        status: resolved ? AlertStatus.RESOLVED : AlertStatus.FIRING,
        state: marker ? (resolved ? 'resolved' : 'firing') : 'notification',
        ...(summary && { summary }),
        ...(args.note && { reason: args.note }),
        description: text.trim().length > 0 ? '```\n' + text.replace(/```/g, "'''") + '\n```' : '(empty message)',
        labels: topic ? { topic } : {},
        ...(region && { region }),
        links: [],
      },
    ],
  };
}

export { alertsFromTextNotification };
