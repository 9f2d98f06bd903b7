import { AlertStatus, LinkKind, Severity, type Alert, type AlertBatch, type AlertLink } from '../model/alert.js';
import { escapeMrkdwn, markdownToMrkdwn, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import { SlackLimits } from './slack-limits.js';
import { slackMention } from './slack-mention.js';

/** A Block Kit block, as sent to Slack. */
type SlackBlock = Readonly<Record<string, unknown>> & { readonly type: string };

/** A legacy attachment used only for its colour bar; its content is Block Kit. */
interface SlackAttachment {
  /** Colour bar, `#RRGGBB` ({@link StateColour}). */
  readonly color: string;
  /** Plain-text summary of the alert. */
  readonly fallback: string;
  /** The alert's Block Kit content. */
  readonly blocks: readonly SlackBlock[];
}

/** The JSON body posted to a Slack incoming webhook. */
interface SlackMessage {
  /** Plain-text fallback: notifications, screen readers, and tools that read `text`. */
  readonly text: string;
  /** Header and overflow list of a grouped message. */
  readonly blocks?: readonly SlackBlock[];
  /** One coloured attachment per detailed alert. */
  readonly attachments?: readonly SlackAttachment[];
  /** Channel override (honoured only by legacy webhooks). */
  readonly channel?: string;
  /** Off: runbook and console links must not expand into previews. */
  readonly unfurl_links?: boolean;
  /** Off, for the same reason. */
  readonly unfurl_media?: boolean;
}

/** Options of {@link renderSlackMessage}. */
interface RenderOptions {
  /**
   * Channel override put into the payload.
   * @default - the webhook's own channel
   */
  readonly channel?: string;
  /**
   * Who to notify when something fires: `@here`, `@channel`, a user `<@U…>` or a user group
   * `<!subteam^S…>`. Not used for resolved-only messages.
   * @default - nobody
   */
  readonly mention?: string;
  /**
   * Detailed alerts per message; the rest are listed one line each.
   * @default 6
   */
  readonly maxDetailedAlerts?: number;
}

/** Colours of the attachment bar, by state and severity. */
const StateColour = {
  /** Firing, critical or unknown severity. */
  CRITICAL: '#E01E5A',
  /** Firing, warning. */
  WARNING: '#ECB22E',
  /** Firing, info. */
  INFO: '#36C5F0',
  /** Resolved / OK. */
  RESOLVED: '#2EB67D',
  /** Insufficient data. */
  INSUFFICIENT_DATA: '#9E9E9E',
} as const;

const LINK_LABELS: Readonly<Record<AlertLink['kind'], string>> = {
  [LinkKind.CONSOLE]: 'Open in console',
  [LinkKind.RUNBOOK]: 'Runbook',
  [LinkKind.DASHBOARD]: 'Dashboard',
  [LinkKind.PANEL]: 'Panel',
  [LinkKind.SOURCE]: 'Source',
  [LinkKind.SILENCE]: 'Silence',
};
const LINK_ORDER: readonly AlertLink['kind'][] = [LinkKind.RUNBOOK, LinkKind.DASHBOARD, LinkKind.CONSOLE, LinkKind.PANEL, LinkKind.SOURCE, LinkKind.SILENCE];

const SOURCE_LABELS: Readonly<Record<Alert['source'], string>> = {
  cloudwatch: 'CloudWatch',
  alertmanager: 'Alertmanager',
  'amazon-managed-prometheus': 'Amazon Managed Prometheus',
  grafana: 'Grafana',
  generic: 'eks-o11y',
  text: 'SNS',
};

function colourOf(alert: Alert): string {
  if (alert.status === AlertStatus.RESOLVED) return StateColour.RESOLVED;
  if (alert.status === AlertStatus.INSUFFICIENT_DATA) return StateColour.INSUFFICIENT_DATA;
  if (alert.severity === Severity.WARNING) return StateColour.WARNING;
  if (alert.severity === Severity.INFO) return StateColour.INFO;
  return StateColour.CRITICAL;
}

function emojiOf(alert: Alert): string {
  if (alert.status === AlertStatus.RESOLVED) return ':white_check_mark:';
  if (alert.status === AlertStatus.INSUFFICIENT_DATA) return ':grey_question:';
  if (alert.severity === Severity.WARNING) return ':large_yellow_circle:';
  if (alert.severity === Severity.INFO) return ':large_blue_circle:';
  return ':red_circle:';
}

/** `OK -> ALARM`, or just `firing`. */
function transitionOf(alert: Alert): string {
  return alert.previousState && alert.previousState !== alert.state ? `${alert.previousState} → ${alert.state}` : alert.state;
}

/** A URL made safe inside Slack's `<url|text>` syntax. */
function linkTarget(url: string): string {
  return escapeMrkdwn(url).replace(/\|/g, '%7C');
}

/**
 * `<!date^…>` shows the time in each reader's own time zone; the fallback is the source's text.
 * Anything that does not parse as a date is shown as written.
 */
function slackDate(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return escapeMrkdwn(timestamp);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${new Date(ms).toISOString()}>`;
}

function consoleUrl(alert: Alert): string | undefined {
  return alert.links.find((l) => l.kind === LinkKind.CONSOLE || l.kind === LinkKind.SOURCE)?.url;
}

/** The pod tells apart two alerts of one workload, unless the name already says it. */
function podOf(alert: Alert): string | undefined {
  return alert.pod && !alert.name.includes(alert.pod) ? alert.pod : undefined;
}

/**
 * Each alert's entry in the notification text of a message with several: its name, then where it fires
 * (the cluster and namespace when they differ between the alerts, and the pod, as the plain-text fallback
 * names it), then its state: `Ho11yHigh400Rate (frontend-6b7d9c8f5-x2x9q, firing)`.
 */
function listEntries(alerts: readonly Alert[]): string[] {
  const varies = (scope: (a: Alert) => string | undefined) => new Set(alerts.map(scope)).size > 1;
  const cluster = varies((a) => a.cluster);
  const namespace = varies((a) => a.namespace);
  return alerts.map((a) => {
    const where = [cluster ? a.cluster : undefined, namespace ? a.namespace : undefined, podOf(a)].filter(Boolean).join('/');
    return `${a.name} (${where ? `${where}, ` : ''}${a.state})`;
  });
}

/** One line for notifications and the `text` fallback. */
function fallbackLine(alert: Alert): string {
  const detail = alert.reason ?? alert.summary;
  const severity = alert.severity && alert.status === AlertStatus.FIRING ? ` [${alert.severity}]` : '';
  const where = [alert.cluster, alert.namespace, podOf(alert)].filter(Boolean).join('/');
  return `${alert.name}: ${transitionOf(alert)}${severity}${where ? ` (${where})` : ''}${detail ? ` - ${detail.split('\n')[0]}` : ''}`;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(text, SlackLimits.SECTION_TEXT) } };
}

function labelsText(alert: Alert, skip: ReadonlySet<string>): string | undefined {
  const entries = Object.entries(alert.labels).filter(([k]) => !skip.has(k) && !k.startsWith('__'));
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${escapeMrkdwn(k)}=\`${escapeMrkdwn(v)}\``).join(', ');
}

const SCOPE_KEYS: ReadonlySet<string> = new Set(['alertname', 'severity']);

function alertBlocks(alert: Alert, descriptionBudget: number): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const name = escapeMrkdwn(alert.name);
  const link = consoleUrl(alert);
  const title = link && link.length <= SlackLimits.BUTTON_URL ? `<${linkTarget(link)}|${name}>` : name;
  const severity = alert.severity && alert.status === AlertStatus.FIRING ? ` · ${alert.severity}` : '';
  const head = [`${emojiOf(alert)} *${title}*`, `*${escapeMrkdwn(transitionOf(alert))}*${severity}`];
  if (alert.summary) head.push(escapeMrkdwn(alert.summary));
  blocks.push(section(head.join('\n')));

  if (alert.reason?.trim()) blocks.push(section(`*Reason*\n${escapeMrkdwn(alert.reason)}`));

  const fields: string[] = [];
  const field = (label: string, value: string | undefined, code = false) => {
    if (!value) return;
    const body = code ? `\`${escapeMrkdwn(value).replace(/`/g, "'")}\`` : escapeMrkdwn(value);
    fields.push(truncateMrkdwn(`*${label}*\n${body}`, SlackLimits.FIELD_TEXT));
  };
  field('Metric', alert.metric);
  field('Condition', alert.condition);
  field('Cluster', alert.cluster);
  field('Namespace', alert.namespace);
  field('Region', alert.region);
  field('Account', alert.accountId);
  const labels = labelsText(alert, SCOPE_KEYS);
  if (labels) fields.push(truncateMrkdwn(`*${alert.source === 'cloudwatch' ? 'Dimensions' : 'Labels'}*\n${labels}`, SlackLimits.FIELD_TEXT));
  if (fields.length > 0) {
    blocks.push({ type: 'section', fields: fields.slice(0, SlackLimits.SECTION_FIELDS).map((text) => ({ type: 'mrkdwn', text })) });
  }

  const description = alert.description ? markdownToMrkdwn(alert.description).trim() : '';
  if (description) blocks.push(section(truncateMrkdwn(description, descriptionBudget)));

  const buttons = [...alert.links]
    .filter((l) => l.url.length <= SlackLimits.BUTTON_URL)
    .sort((a, b) => LINK_ORDER.indexOf(a.kind) - LINK_ORDER.indexOf(b.kind))
    .slice(0, 5)
    .map((l, i) => ({
      type: 'button',
      text: { type: 'plain_text', text: truncatePlain(LINK_LABELS[l.kind], SlackLimits.BUTTON_TEXT), emoji: true },
      url: l.url,
      action_id: `link-${i}`,
      ...(l.kind === LinkKind.RUNBOOK && alert.status === AlertStatus.FIRING && { style: 'primary' }),
    }));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });

  const when = alert.timestamp?.trim() ? ` · ${slackDate(alert.timestamp.trim().slice(0, 100))}` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${SOURCE_LABELS[alert.source]}${when}` }] });
  return blocks;
}

function countBy(alerts: readonly Alert[]): string {
  const firing = alerts.filter((a) => a.status === AlertStatus.FIRING).length;
  const resolved = alerts.filter((a) => a.status === AlertStatus.RESOLVED).length;
  const other = alerts.length - firing - resolved;
  return [firing && `${firing} firing`, resolved && `${resolved} resolved`, other && `${other} insufficient data`].filter(Boolean).join(', ');
}

/**
 * Renders alerts that arrived together as one Slack message: a coloured, Block Kit attachment per
 * alert (state and transition, reason, metric, condition, cluster/namespace, labels, description,
 * runbook/dashboard/console buttons), a header when there are several, and a plain-text `text`
 * fallback. Stays within Slack's limits: at most `maxDetailedAlerts` detailed alerts, the rest listed
 * one line each, every text truncated safely.
 */
function renderSlackMessage(batch: AlertBatch, options: RenderOptions = {}): SlackMessage {
  const alerts = batch.alerts;
  const title = batch.title?.trim() || undefined;
  const maxDetailed = Math.max(1, Math.min(options.maxDetailedAlerts ?? 6, 7, SlackLimits.ATTACHMENTS));
  const detailed = alerts.slice(0, maxDetailed);
  const rest = alerts.slice(maxDetailed);
  const descriptionBudget = detailed.length > 2 ? 600 : SlackLimits.SECTION_TEXT;

  const top: SlackBlock[] = [];
  const grouped = alerts.length > 1 || title !== undefined;
  if (grouped) {
    const headline = alerts.length > 1 ? `${countBy(alerts)}${title ? ` · ${title}` : ''}` : title!;
    top.push({ type: 'header', text: { type: 'plain_text', text: truncatePlain(headline, SlackLimits.HEADER_TEXT), emoji: true } });
  }

  const attachments: SlackAttachment[] = detailed.map((alert) => ({
    color: colourOf(alert),
    fallback: truncateMrkdwn(escapeMrkdwn(fallbackLine(alert)), SlackLimits.FALLBACK_TEXT),
    blocks: alertBlocks(alert, descriptionBudget),
  }));
  // Slack shows the top-level `text` as the message body unless there are top-level blocks. A single
  // alert's headline therefore moves out of its attachment and becomes the message's first block, so the
  // fallback text stays a fallback and the headline is not shown twice.
  if (!grouped && attachments[0]) {
    const [headline, ...details] = attachments[0].blocks;
    attachments[0] = { ...attachments[0], blocks: details };
    top.unshift(headline!);
  }

  const notShown = rest.length + (batch.truncatedAlerts ?? 0);
  if (notShown > 0) {
    const lines = rest.map((a) => `${emojiOf(a)} ${escapeMrkdwn(a.name)} - ${escapeMrkdwn(transitionOf(a))}`);
    const note = batch.truncatedAlerts ? `\n_${batch.truncatedAlerts} more were truncated by the sender._` : '';
    const list = truncateMrkdwn(`*${notShown} more alert${notShown === 1 ? '' : 's'} not shown in detail*\n${lines.join('\n')}`, SlackLimits.SECTION_TEXT - note.length);
    top.push(section(list + note));
  }

  const text = truncateMrkdwn(
    escapeMrkdwn(
      alerts.length === 1
        ? fallbackLine(alerts[0]!)
        : `${countBy(alerts)}${title ? ` - ${title}` : ''}: ${listEntries(alerts).join(', ')}`,
    ),
    SlackLimits.FALLBACK_TEXT,
  );

  const mention = options.mention && alerts.some((a) => a.status === AlertStatus.FIRING) ? slackMention(options.mention) : undefined;
  if (mention && !grouped) {
    const headline = top[0] as unknown as { text: { text: string } };
    top[0] = section(`${mention} ${headline.text.text}`);
  } else if (mention) {
    top.unshift({ type: 'section', text: { type: 'mrkdwn', text: mention } });
  }
  return {
    text: mention ? truncateMrkdwn(`${mention} ${text}`, SlackLimits.FALLBACK_TEXT) : text,
    ...(top.length > 0 && { blocks: top }),
    attachments,
    ...(options.channel && { channel: options.channel }),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** Renders a message with no blocks at all; used when Slack rejects the Block Kit payload. */
function renderPlainTextMessage(batch: AlertBatch, options: RenderOptions = {}): SlackMessage {
  const lines = batch.alerts.map((a) => escapeMrkdwn(fallbackLine(a)));
  return {
    text: truncateMrkdwn(lines.join('\n'), SlackLimits.FALLBACK_TEXT),
    ...(options.channel && { channel: options.channel }),
  };
}

export { renderSlackMessage, renderPlainTextMessage, StateColour };
export type { SlackMessage, SlackBlock, SlackAttachment, RenderOptions };
