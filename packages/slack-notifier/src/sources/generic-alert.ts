import { z } from 'zod';
import { AlertSource, AlertStatus, LinkKind, Severity, type Alert, type AlertBatch, type AlertLink } from '../model/alert.js';
import { isHttpUrl } from '../model/description-directives.js';
import { kubernetesScope } from '../model/kubernetes-scope.js';

/** Version tag of the generic alert shape; producers must send it. */
const GENERIC_ALERT_VERSION = 'eks-o11y.alert/v1';

const GenericAlertItemSchema = z.object({
  name: z.string().min(1).max(1000),
  status: z.enum(['firing', 'resolved']),
  severity: z.enum([Severity.CRITICAL, Severity.WARNING, Severity.INFO]).optional(),
  summary: z.string().optional(),
  reason: z.string().optional(),
  description: z.string().optional(),
  metric: z.string().optional(),
  condition: z.string().optional(),
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  region: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  links: z
    .array(z.object({ kind: z.enum(Object.values(LinkKind) as [LinkKind, ...LinkKind[]]), url: z.url({ protocol: /^https?$/ }) }))
    .default([]),
  runbookUrl: z.url({ protocol: /^https?$/ }).optional(),
  dashboardUrl: z.url({ protocol: /^https?$/ }).optional(),
  timestamp: z.string().optional(),
  fingerprint: z.string().optional(),
});

/**
 * The documented generic alert shape that eks-o11y's own producers (for example a Kubernetes
 * pod-failure watcher) emit, over SNS or HTTP:
 *
 * ```json
 * { "version": "eks-o11y.alert/v1", "title": "optional group title",
 *   "alerts": [{ "name": "CrashLoopBackOff ho11y/frontend", "status": "firing", "severity": "critical",
 *                "summary": "...", "description": "Markdown", "cluster": "demo", "namespace": "ho11y",
 *                "labels": { "pod": "frontend-7d9" }, "runbookUrl": "https://...", "dashboardUrl": "https://..." }] }
 * ```
 */
const GenericAlertPayloadSchema = z.object({
  version: z.literal(GENERIC_ALERT_VERSION),
  title: z.string().optional(),
  alerts: z.array(GenericAlertItemSchema).min(1).max(1000),
});
/** A validated generic eks-o11y.alert/v1 payload. */
type GenericAlertPayload = z.infer<typeof GenericAlertPayloadSchema>;

/** Normalises a generic payload (already validated). */
function alertsFromGenericPayload(payload: GenericAlertPayload): AlertBatch {
  const alerts = payload.alerts.map((a): Alert => {
    const links: AlertLink[] = [...a.links];
    if (a.runbookUrl && isHttpUrl(a.runbookUrl)) links.push({ kind: LinkKind.RUNBOOK, url: a.runbookUrl });
    if (a.dashboardUrl && isHttpUrl(a.dashboardUrl)) links.push({ kind: LinkKind.DASHBOARD, url: a.dashboardUrl });
    const scope = kubernetesScope(a.labels);
    const cluster = a.cluster ?? scope.cluster;
    const namespace = a.namespace ?? scope.namespace;
    return {
      source: AlertSource.GENERIC,
      name: a.name,
      status: a.status === 'resolved' ? AlertStatus.RESOLVED : AlertStatus.FIRING,
      state: a.status,
      ...(a.status === 'resolved' && { previousState: 'firing' }),
      ...(a.severity && { severity: a.severity }),
      ...(a.summary && { summary: a.summary }),
      ...(a.reason && { reason: a.reason }),
      ...(a.description && { description: a.description }),
      ...(a.metric && { metric: a.metric }),
      ...(a.condition && { condition: a.condition }),
      labels: a.labels,
      ...(cluster && { cluster }),
      ...(namespace && { namespace }),
      ...(scope.pod && { pod: scope.pod }),
      ...(a.region && { region: a.region }),
      ...(a.timestamp && { timestamp: a.timestamp }),
      links,
      ...(a.fingerprint && { fingerprint: a.fingerprint }),
    };
  });
  return { alerts, ...(payload.title && { title: payload.title }) };
}

export { GENERIC_ALERT_VERSION, GenericAlertPayloadSchema, alertsFromGenericPayload };
export type { GenericAlertPayload };
