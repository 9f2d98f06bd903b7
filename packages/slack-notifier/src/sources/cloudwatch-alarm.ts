import { z } from 'zod';
import { AlertSource, AlertStatus, LinkKind, type Alert, type AlertLink } from '../model/alert.js';
import { cloudWatchAlarmConsoleUrl, parseArn, regionFromName } from '../model/aws-region.js';
import { extractDescriptionDirectives } from '../model/description-directives.js';
import { kubernetesScope } from '../model/kubernetes-scope.js';

// ---- SNS notification (the `Message` of an SNS record, JSON-decoded) ---------------------------

/** SNS writes dimensions as `{name, value}`; be lenient about the case. */
const SnsDimensionSchema = z
  .object({
    name: z.string().optional(),
    Name: z.string().optional(),
    value: z.union([z.string(), z.number()]).optional(),
    Value: z.union([z.string(), z.number()]).optional(),
  })
  .transform((d) => ({ name: d.name ?? d.Name ?? '', value: String(d.value ?? d.Value ?? '') }));

const SnsMetricStatSchema = z.object({
  Metric: z.object({
    Dimensions: z.array(SnsDimensionSchema).nullish(),
    MetricName: z.string(),
    Namespace: z.string().nullish(),
  }),
  Period: z.number().nullish(),
  Stat: z.string().nullish(),
  Unit: z.string().nullish(),
});

const SnsTriggerMetricSchema = z.object({
  Id: z.string(),
  Expression: z.string().nullish(),
  Label: z.string().nullish(),
  MetricStat: SnsMetricStatSchema.nullish(),
  ReturnData: z.boolean().nullish(),
});

const SnsTriggerSchema = z.object({
  MetricName: z.string().nullish(),
  Namespace: z.string().nullish(),
  StatisticType: z.string().nullish(),
  Statistic: z.string().nullish(),
  ExtendedStatistic: z.string().nullish(),
  Unit: z.string().nullish(),
  Dimensions: z.array(SnsDimensionSchema).nullish(),
  Period: z.number().nullish(),
  EvaluationPeriods: z.number().nullish(),
  DatapointsToAlarm: z.number().nullish(),
  ComparisonOperator: z.string().nullish(),
  Threshold: z.number().nullish(),
  ThresholdMetricId: z.string().nullish(),
  TreatMissingData: z.string().nullish(),
  Metrics: z.array(SnsTriggerMetricSchema).nullish(),
});

/** The JSON a CloudWatch alarm (metric, metric-math, anomaly-detection or composite) publishes to SNS. */
const CloudWatchAlarmSnsMessageSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  AWSAccountId: z.string().nullish(),
  NewStateValue: z.string().min(1),
  NewStateReason: z.string().nullish(),
  StateChangeTime: z.string().nullish(),
  Region: z.string().nullish(),
  AlarmArn: z.string().nullish(),
  OldStateValue: z.string().nullish(),
  Trigger: SnsTriggerSchema.nullish(),
  AlarmRule: z.string().nullish(),
  TriggeringChildren: z
    .array(z.object({ Arn: z.string(), State: z.object({ Value: z.string() }).partial().nullish() }))
    .nullish(),
});
/** A validated CloudWatch alarm SNS notification. */
type CloudWatchAlarmSnsMessage = z.infer<typeof CloudWatchAlarmSnsMessageSchema>;

// ---- EventBridge "CloudWatch Alarm State Change" -----------------------------------------------

const EbStateSchema = z.object({
  value: z.string().min(1),
  reason: z.string().nullish(),
  reasonData: z.string().nullish(),
  timestamp: z.string().nullish(),
});

const EbMetricSchema = z.object({
  id: z.string(),
  expression: z.string().nullish(),
  label: z.string().nullish(),
  returnData: z.boolean().nullish(),
  metricStat: z
    .object({
      metric: z.object({
        dimensions: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
        name: z.string(),
        namespace: z.string().nullish(),
      }),
      period: z.number().nullish(),
      stat: z.string().nullish(),
      unit: z.string().nullish(),
    })
    .nullish(),
});

/** An EventBridge event with `detail-type: CloudWatch Alarm State Change`. */
const CloudWatchAlarmStateChangeEventSchema = z.object({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.string(),
  account: z.string().nullish(),
  region: z.string().nullish(),
  time: z.string().nullish(),
  resources: z.array(z.string()).nullish(),
  detail: z.object({
    alarmName: z.string().min(1),
    state: EbStateSchema,
    previousState: EbStateSchema.partial().nullish(),
    configuration: z
      .object({
        description: z.string().nullish(),
        metrics: z.array(EbMetricSchema).nullish(),
        alarmRule: z.string().nullish(),
      })
      .nullish(),
  }),
});
/** A validated EventBridge "CloudWatch Alarm State Change" event. */
type CloudWatchAlarmStateChangeEvent = z.infer<typeof CloudWatchAlarmStateChangeEventSchema>;

// ---- normalisation ---------------------------------------------------------------------------

const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: 'below the band',
  GreaterThanUpperThreshold: 'above the band',
};

/** A metric of a metric-math or anomaly-detection alarm, source-neutral. */
interface AlarmMetric {
  readonly id: string;
  readonly expression?: string | null;
  readonly label?: string | null;
  readonly returnData?: boolean | null;
  readonly stat?: { namespace?: string | null; name: string; stat?: string | null; period?: number | null; dimensions: Record<string, string> };
}

function statusOf(state: string): AlertStatus {
  const upper = state.toUpperCase();
  if (upper === 'OK') return AlertStatus.RESOLVED;
  if (upper === 'INSUFFICIENT_DATA') return AlertStatus.INSUFFICIENT_DATA;
  return AlertStatus.FIRING;
}

function formatStatistic(stat: string | null | undefined): string | undefined {
  if (!stat) return undefined;
  // SNS writes `SUM`/`AVERAGE`; the console and the API say `Sum`/`Average`.
  return /^[A-Z_]+$/.test(stat) ? stat.charAt(0) + stat.slice(1).toLowerCase().replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()) : stat;
}

/** `300` -> `5 min`, `3600` -> `1 h`, `10` -> `10 s`. */
function formatPeriod(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function describeMetricStat(stat: NonNullable<AlarmMetric['stat']>): string {
  const statistic = formatStatistic(stat.stat);
  return [stat.namespace, stat.name].filter(Boolean).join(' ') + (statistic ? ` (${statistic})` : '');
}

function describeMetrics(metrics: readonly AlarmMetric[], thresholdMetricId: string | null | undefined): string | undefined {
  const candidates = metrics.filter((m) => m.id !== thresholdMetricId);
  const returned = candidates.filter((m) => m.returnData ?? true);
  const shown = returned.length > 0 ? returned : candidates;
  const lines = shown.map((m) => {
    if (m.expression) return `${m.label ?? m.id} = ${m.expression}`;
    if (m.stat) return describeMetricStat(m.stat);
    return m.label ?? m.id;
  });
  // Name the raw metrics an expression is built from, so the reader knows what was measured.
  for (const m of candidates) {
    if (!shown.includes(m) && m.stat) lines.push(`${m.id}: ${describeMetricStat(m.stat)}`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function describeCondition(args: {
  operator?: string | null;
  threshold?: number | null;
  thresholdMetric?: AlarmMetric;
  evaluationPeriods?: number | null;
  datapointsToAlarm?: number | null;
  period?: number | null;
}): string | undefined {
  const op = args.operator ? (OPERATORS[args.operator] ?? args.operator) : undefined;
  if (!op) return undefined;
  let text = op;
  if (args.thresholdMetric) {
    text += ` ${args.thresholdMetric.expression ?? args.thresholdMetric.label ?? args.thresholdMetric.id}`;
  } else if (args.threshold !== undefined && args.threshold !== null) {
    text += ` ${args.threshold}`;
  }
  if (args.evaluationPeriods) {
    const of = args.datapointsToAlarm ?? args.evaluationPeriods;
    text += ` for ${of} of ${args.evaluationPeriods} period${args.evaluationPeriods === 1 ? '' : 's'}`;
    if (args.period) text += ` of ${formatPeriod(args.period)}`;
  } else if (args.period) {
    text += ` over ${formatPeriod(args.period)}`;
  }
  return text;
}

function dimensionsOf(metrics: readonly AlarmMetric[], direct: readonly { name: string; value: string }[] = []): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const d of direct) if (d.name) labels[d.name] = d.value;
  for (const m of metrics) for (const [k, v] of Object.entries(m.stat?.dimensions ?? {})) labels[k] = v;
  return labels;
}

function buildAlert(args: {
  name: string;
  state: string;
  previousState?: string | null;
  reason?: string | null;
  description?: string | null;
  arn?: string | null;
  regionHint?: string | null;
  accountId?: string | null;
  timestamp?: string | null;
  metric?: string;
  condition?: string;
  labels: Record<string, string>;
}): Alert {
  const arn = parseArn(args.arn);
  const region = (arn?.region || undefined) ?? regionFromName(args.regionHint);
  const directives = extractDescriptionDirectives(args.description);
  const links: AlertLink[] = [];
  if (region) links.push({ kind: LinkKind.CONSOLE, url: cloudWatchAlarmConsoleUrl(region, args.name) });
  links.push(...directives.links);
  const accountId = (arn?.accountId || undefined) ?? (args.accountId && /^\d{12}$/.test(args.accountId) ? args.accountId : undefined);
  return {
    source: AlertSource.CLOUDWATCH,
    name: args.name,
    status: statusOf(args.state),
    state: args.state,
    ...(args.previousState && { previousState: args.previousState }),
    ...(directives.severity && { severity: directives.severity }),
    ...(args.reason && { reason: args.reason }),
    ...(directives.description && { description: directives.description }),
    ...(args.metric && { metric: args.metric }),
    ...(args.condition && { condition: args.condition }),
    labels: args.labels,
    // A `Cluster:` line stands in for a cluster dimension the metric cannot have (control-plane audit logs carry none).
    ...(directives.cluster && { cluster: directives.cluster }),
    ...kubernetesScope(args.labels),
    ...(region && { region }),
    ...(accountId && { accountId }),
    ...(args.timestamp && { timestamp: args.timestamp }),
    links,
    ...(args.arn && { fingerprint: args.arn }),
  };
}

const ALARM_ARN = /arn:aws[\w-]*:cloudwatch:[\w-]*:\d*:alarm:/g;

/** Composite alarm reasons name children by ARN; the alarm name is what people recognise. */
function readableReason(reason: string | null | undefined): string | undefined {
  return reason ? reason.replace(ALARM_ARN, '') : undefined;
}

function compositeReason(reason: string | undefined, children: CloudWatchAlarmSnsMessage['TriggeringChildren']): string | undefined {
  const names = (children ?? []).map((c) => ({ name: parseArn(c.Arn)?.resource.replace(/^alarm:/, '') ?? c.Arn, state: c.State?.Value }));
  const unnamed = names.filter((c) => !reason?.includes(c.name));
  if (unnamed.length === 0) return reason;
  const line = `Triggered by ${unnamed.map((c) => `${c.name}${c.state ? ` (${c.state})` : ''}`).join(', ')}`;
  return reason ? `${reason}\n${line}` : line;
}

/** Normalises a CloudWatch alarm SNS notification (already validated) into an {@link Alert}. */
function alertFromCloudWatchSnsMessage(message: CloudWatchAlarmSnsMessage): Alert {
  const trigger = message.Trigger;
  const metrics: AlarmMetric[] = (trigger?.Metrics ?? []).map((m) => ({
    id: m.Id,
    expression: m.Expression,
    label: m.Label,
    returnData: m.ReturnData,
    ...(m.MetricStat && {
      stat: {
        namespace: m.MetricStat.Metric.Namespace,
        name: m.MetricStat.Metric.MetricName,
        stat: m.MetricStat.Stat,
        period: m.MetricStat.Period,
        dimensions: Object.fromEntries((m.MetricStat.Metric.Dimensions ?? []).map((d) => [d.name, d.value])),
      },
    }),
  }));
  let metric: string | undefined;
  if (trigger?.MetricName) {
    metric = describeMetricStat({
      namespace: trigger.Namespace,
      name: trigger.MetricName,
      stat: trigger.Statistic ?? trigger.ExtendedStatistic,
      dimensions: {},
    });
  } else if (metrics.length > 0) {
    metric = describeMetrics(metrics, trigger?.ThresholdMetricId);
  }
  const thresholdMetric = trigger?.ThresholdMetricId ? metrics.find((m) => m.id === trigger.ThresholdMetricId) : undefined;
  const condition = message.AlarmRule
    ? message.AlarmRule
    : describeCondition({
        operator: trigger?.ComparisonOperator,
        threshold: trigger?.Threshold,
        ...(thresholdMetric && { thresholdMetric }),
        evaluationPeriods: trigger?.EvaluationPeriods,
        datapointsToAlarm: trigger?.DatapointsToAlarm,
        period: trigger?.Period ?? metrics.find((m) => m.stat?.period)?.stat?.period,
      });
  const reason = compositeReason(readableReason(message.NewStateReason), message.TriggeringChildren);
  return buildAlert({
    name: message.AlarmName,
    state: message.NewStateValue,
    previousState: message.OldStateValue,
    ...(reason && { reason }),
    description: message.AlarmDescription,
    arn: message.AlarmArn,
    regionHint: message.Region,
    accountId: message.AWSAccountId,
    timestamp: message.StateChangeTime,
    ...(metric && { metric }),
    ...(condition && { condition }),
    labels: dimensionsOf(metrics, trigger?.Dimensions ?? []),
  });
}

/** Reads the threshold from an EventBridge `reasonData` JSON string, when it has one. */
function thresholdFromReasonData(reasonData: string | null | undefined): number | undefined {
  if (!reasonData) return undefined;
  try {
    const data = JSON.parse(reasonData) as { threshold?: unknown };
    return typeof data.threshold === 'number' ? data.threshold : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises an EventBridge "CloudWatch Alarm State Change" event (already validated). */
function alertFromCloudWatchStateChangeEvent(event: CloudWatchAlarmStateChangeEvent): Alert {
  const { detail } = event;
  const metrics: AlarmMetric[] = (detail.configuration?.metrics ?? []).map((m) => ({
    id: m.id,
    expression: m.expression,
    label: m.label,
    returnData: m.returnData,
    ...(m.metricStat && {
      stat: {
        namespace: m.metricStat.metric.namespace,
        name: m.metricStat.metric.name,
        stat: m.metricStat.stat,
        period: m.metricStat.period,
        dimensions: Object.fromEntries(Object.entries(m.metricStat.metric.dimensions ?? {}).map(([k, v]) => [k, String(v)])),
      },
    }),
  }));
  const threshold = thresholdFromReasonData(detail.state.reasonData);
  const band = metrics.find((m) => m.expression?.toUpperCase().startsWith('ANOMALY_DETECTION_BAND'));
  const metric = metrics.length > 0 ? describeMetrics(metrics, band?.id) : undefined;
  const condition = detail.configuration?.alarmRule
    ? detail.configuration.alarmRule
    : band
      ? `outside the band ${band.expression}`
      : threshold !== undefined
        ? `threshold ${threshold}` + (metrics[0]?.stat?.period ? ` over ${formatPeriod(metrics[0].stat.period)}` : '')
        : undefined;
  return buildAlert({
    name: detail.alarmName,
    state: detail.state.value,
    previousState: detail.previousState?.value,
    reason: readableReason(detail.state.reason),
    description: detail.configuration?.description,
    arn: event.resources?.[0],
    regionHint: event.region,
    accountId: event.account,
    timestamp: detail.state.timestamp ?? event.time,
    ...(metric && { metric }),
    ...(condition && { condition }),
    labels: dimensionsOf(metrics),
  });
}

export {
  CloudWatchAlarmSnsMessageSchema,
  CloudWatchAlarmStateChangeEventSchema,
  alertFromCloudWatchSnsMessage,
  alertFromCloudWatchStateChangeEvent,
  formatPeriod,
};
export type { CloudWatchAlarmSnsMessage, CloudWatchAlarmStateChangeEvent };
