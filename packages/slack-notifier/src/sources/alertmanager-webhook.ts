import { z } from 'zod';
import { AlertSource, AlertStatus, LinkKind, type Alert, type AlertBatch, type AlertLink } from '../model/alert.js';
import { isHttpUrl, normaliseSeverity } from '../model/description-directives.js';
import { kubernetesScope } from '../model/kubernetes-scope.js';
import { regionFromName } from '../model/aws-region.js';

const StringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const WebhookAlertSchema = z.object({
  status: z.string(),
  labels: StringMap.default({}),
  annotations: StringMap.default({}),
  startsAt: z.string().nullish(),
  endsAt: z.string().nullish(),
  generatorURL: z.string().nullish(),
  fingerprint: z.string().nullish(),
  // Grafana unified alerting adds these.
  silenceURL: z.string().nullish(),
  dashboardURL: z.string().nullish(),
  panelURL: z.string().nullish(),
  imageURL: z.string().nullish(),
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: z.string().nullish(),
});

/**
 * Alertmanager webhook payload (version 4). The same shape arrives from Amazon Managed Service for
 * Prometheus through SNS when its alert manager uses the JSON `sns.default.message` template, and from
 * Grafana unified alerting (which adds `orgId`, `title`, `state`, `message` and per-alert URLs and values).
 */
const AlertmanagerWebhookSchema = z.object({
  version: z.string().nullish(),
  groupKey: z.string().nullish(),
  truncatedAlerts: z.number().int().nonnegative().nullish(),
  status: z.string().nullish(),
  receiver: z.string().nullish(),
  groupLabels: StringMap.nullish(),
  commonLabels: StringMap.nullish(),
  commonAnnotations: StringMap.nullish(),
  externalURL: z.string().nullish(),
  alerts: z.array(WebhookAlertSchema).min(1),
  // Grafana only
  orgId: z.number().nullish(),
  title: z.string().nullish(),
  state: z.string().nullish(),
  message: z.string().nullish(),
});
/** A validated Alertmanager, Amazon Managed Prometheus or Grafana payload. */
type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhookSchema>;
/** One validated alert of an {@link AlertmanagerWebhook}. */
type WebhookAlert = z.infer<typeof WebhookAlertSchema>;

/** Alertmanager writes `0001-01-01T00:00:00Z` for "not ended". */
function realTime(value: string | null | undefined): string | undefined {
  return value && !value.startsWith('0001-') ? value : undefined;
}

function formatValues(values: Record<string, number | null>): string | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${k} = ${v === null ? 'no data' : Number.isInteger(v) ? v : Number(v.toPrecision(6))}`).join(', ');
}

/**
 * Normalises one webhook alert; `payload` gives the common annotations and the title (a name of last resort).
 * Also used for Grafana's plain-text SNS message once it is read back into this shape.
 */
function alertFromWebhookAlert(alert: WebhookAlert, source: AlertSource, payload: Pick<AlertmanagerWebhook, 'commonAnnotations' | 'title'>): Alert {
  const labels = alert.labels;
  const annotations = { ...(payload.commonAnnotations ?? {}), ...alert.annotations };
  const resolved = alert.status.toLowerCase() === 'resolved';
  const links: AlertLink[] = [];
  const add = (kind: AlertLink['kind'], url: string | null | undefined) => {
    if (isHttpUrl(url) && !links.some((l) => l.url === url)) links.push({ kind, url });
  };
  add(LinkKind.RUNBOOK, annotations.runbook_url ?? annotations.runbook);
  add(LinkKind.DASHBOARD, annotations.dashboard_url ?? alert.dashboardURL);
  add(LinkKind.PANEL, alert.panelURL);
  add(LinkKind.SOURCE, alert.generatorURL);
  if (!resolved) add(LinkKind.SILENCE, alert.silenceURL);
  const severity = normaliseSeverity(labels.severity ?? labels.priority ?? annotations.severity);
  const summary = annotations.summary ?? annotations.message;
  const metric = alert.values ? formatValues(alert.values) : undefined;
  const condition = annotations.expr ?? annotations.expression ?? annotations.condition;
  const region = regionFromName(labels.region ?? labels.aws_region);
  const timestamp = resolved ? (realTime(alert.endsAt) ?? realTime(alert.startsAt)) : realTime(alert.startsAt);
  return {
    source,
    // The first non-empty of these: an empty alertname must not make a nameless message.
    name: labels.alertname || summary || payload.title || 'Alert',
    status: resolved ? AlertStatus.RESOLVED : AlertStatus.FIRING,
    state: resolved ? 'resolved' : 'firing',
    ...(resolved && { previousState: 'firing' }),
    ...(severity && { severity }),
    ...(summary && { summary }),
    ...(annotations.description && { description: annotations.description }),
    ...(metric && { metric }),
    ...(condition && { condition }),
    labels,
    ...kubernetesScope(labels),
    ...(region && { region }),
    ...(timestamp && { timestamp }),
    links,
    ...(alert.fingerprint && { fingerprint: alert.fingerprint }),
  };
}

/**
 * Normalises an Alertmanager, Amazon Managed Prometheus or Grafana payload (already validated).
 * @param viaSns - true when the payload arrived as an SNS message (Amazon Managed Prometheus or Grafana's SNS contact point)
 */
function alertsFromAlertmanagerWebhook(payload: AlertmanagerWebhook, viaSns = false): AlertBatch {
  const grafana = payload.orgId !== undefined && payload.orgId !== null;
  const source = grafana ? AlertSource.GRAFANA : viaSns ? AlertSource.AMAZON_MANAGED_PROMETHEUS : AlertSource.ALERTMANAGER;
  const groupLabels = Object.entries(payload.groupLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  // Grafana's title starts with "[FIRING:2]", which the rendered header already says.
  const grafanaTitle = payload.title?.replace(/^\[(?:FIRING|RESOLVED)(?::\d+)?\]\s*/i, '').replace(/\s+/g, ' ').trim() || undefined;
  const title = grafanaTitle ?? (payload.receiver ? `${payload.receiver}${groupLabels ? ` (${groupLabels})` : ''}` : undefined);
  return {
    alerts: payload.alerts.map((a) => alertFromWebhookAlert(a, source, payload)),
    ...(title && { title }),
    ...(payload.truncatedAlerts ? { truncatedAlerts: payload.truncatedAlerts } : {}),
  };
}

export { AlertmanagerWebhookSchema, alertsFromAlertmanagerWebhook, alertFromWebhookAlert };
export type { AlertmanagerWebhook, WebhookAlert };
