/**
 * Renders {@link AlertDefinition}s as Prometheus alerting rules: the rule file Prometheus loads
 * (`rule_files`), the same document Amazon Managed Service for Prometheus takes as a rule groups
 * namespace, and the `PrometheusRule` object kube-prometheus-stack's operator loads.
 *
 * The CloudWatch alarm is rendered from the same object by `LogMetricAlarm`, so the cloud and the
 * laptop cannot drift. No AWS CDK import here.
 *
 * @module
 */
import { InvalidAlertDefinitionError, InvalidPropsError } from '../errors.js';
import type { AlertComparison, AlertDefinition, AlertStatistic } from './alert-definition.js';
import { defineAlert, type ResolvedAlertDefinition } from './define-alert.js';

/** One alerting rule of a Prometheus rule group (the `rules[]` item of a rule file). */
interface PrometheusAlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Omitted when the condition fires on the first breaching evaluation. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One Prometheus rule group. */
interface PrometheusRuleGroup {
  readonly name: string;
  /** Evaluation interval of the group; omitted to use the global `evaluation_interval` (AMP: 1m). */
  readonly interval?: string;
  readonly rules: readonly PrometheusAlertingRule[];
}

/** A Prometheus rule file; also the data of an AMP rule groups namespace. */
interface PrometheusRuleFile {
  readonly groups: readonly PrometheusRuleGroup[];
}

/** The kube-prometheus-stack (Prometheus Operator) `PrometheusRule` custom resource. */
interface PrometheusRuleResource {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly spec: PrometheusRuleFile;
}

/** How an {@link AlertDefinition} becomes a Prometheus rule. */
interface PrometheusRuleOptions {
  /**
   * Multiplies every time window (and hence every `for`) by this factor, to try an alert in seconds
   * instead of minutes: `timeScale: 1 / 60` turns the blog's 5-minute window into 5 s. Thresholds are
   * NOT scaled: the scaled rule still needs more than 15 errors, in a 60 times shorter window. A scaled
   * rule says so in its `description` annotation and carries the label `time_scale`.
   * Windows are rounded to whole seconds and never shorter than {@link PrometheusRuleOptions.minWindowSeconds}.
   * @default 1 - the definition's own windows
   */
  readonly timeScale?: number;
  /**
   * The shortest window a scaled rule may get. `increase()` needs two samples inside the window, so
   * keep it at least twice the scrape interval.
   * @default 2
   */
  readonly minWindowSeconds?: number;
  /**
   * Labels added to every rule (after `severity`; they cannot replace it).
   * @default {}
   */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** Options of {@link renderPrometheusRuleGroup} and the functions built on it. */
interface PrometheusRuleGroupOptions extends PrometheusRuleOptions {
  /** Name of the rule group, e.g. `ho11y`. */
  readonly name: string;
  /**
   * Evaluation interval of the group in seconds (`interval`).
   * @default - the server's evaluation interval (Prometheus `global.evaluation_interval`, AMP 1 minute)
   */
  readonly intervalSeconds?: number;
}

/** Options of {@link renderPrometheusRuleResource}. */
interface PrometheusRuleResourceOptions extends PrometheusRuleGroupOptions {
  /** Kubernetes namespace of the `PrometheusRule` object. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Labels of the object. kube-prometheus-stack only loads rules whose labels match its `ruleSelector`,
   * which by default is `release: <helm release name>`.
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Name of the object (DNS-1123).
   * @default - derived from the group name
   */
  readonly resourceName?: string;
}

const COMPARISON_OPERATOR: Readonly<Record<AlertComparison, string>> = {
  greaterThan: '>',
  greaterThanOrEqual: '>=',
  lessThan: '<',
  lessThanOrEqual: '<=',
};

/** For gauges: the `*_over_time` reduction of one series and how series are combined. */
const GAUGE_REDUCTION: Readonly<Record<AlertStatistic, { overTime: string; across: string }>> = {
  sum: { overTime: 'sum_over_time', across: 'sum' },
  average: { overTime: 'avg_over_time', across: 'avg' },
  maximum: { overTime: 'max_over_time', across: 'max' },
  minimum: { overTime: 'min_over_time', across: 'min' },
  sampleCount: { overTime: 'count_over_time', across: 'sum' },
};

/** Formats seconds as a Prometheus duration: `5m`, `1h`, `45s`. */
function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Escapes text for a Prometheus annotation, which is a Go template: `{{` must not start an action. */
function escapeTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

function validateOptions(options: PrometheusRuleOptions): { timeScale: number; minWindowSeconds: number } {
  const timeScale = options.timeScale ?? 1;
  const minWindowSeconds = options.minWindowSeconds ?? 2;
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new InvalidPropsError(`timeScale must be a positive number (1/60 turns minutes into seconds), got ${timeScale}`);
  }
  if (!Number.isInteger(minWindowSeconds) || minWindowSeconds < 1) {
    throw new InvalidPropsError(`minWindowSeconds must be a whole number of seconds >= 1, got ${minWindowSeconds}`);
  }
  return { timeScale, minWindowSeconds };
}

function scaledWindowSeconds(alert: ResolvedAlertDefinition, options: PrometheusRuleOptions): number {
  const { timeScale, minWindowSeconds } = validateOptions(options);
  return Math.max(minWindowSeconds, Math.round(alert.condition.windowSeconds * timeScale));
}

/** `metric{a="1",b="2"}` with the matchers sorted, so the output is stable. */
function selector(alert: ResolvedAlertDefinition): string {
  const matchers = Object.entries(alert.signal.matchers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  return matchers.length === 0 ? alert.signal.metric : `${alert.signal.metric}{${matchers.join(',')}}`;
}

/**
 * The PromQL value of one window: for a counter, the events counted in it (`increase`), for a
 * gauge, the statistic of its samples (`avg_over_time`, ...), combined across series by the
 * definition's `groupBy` labels.
 */
function windowValue(alert: ResolvedAlertDefinition, window: string): string {
  const { signal, condition } = alert;
  const by = signal.groupBy.length > 0 ? ` by (${signal.groupBy.join(', ')})` : '';
  if (signal.type === 'counter') {
    if (condition.statistic === 'sum') return `sum${by} (increase(${selector(alert)}[${window}]))`;
    if (condition.statistic === 'sampleCount') return `sum${by} (count_over_time(${selector(alert)}[${window}]))`;
    throw new InvalidAlertDefinitionError(
      `statistic "${condition.statistic}" on a counter has no Prometheus equivalent: use "sum" (the number of ` +
        'events in the window) or declare the signal a gauge',
      alert.name,
    );
  }
  const reduction = GAUGE_REDUCTION[condition.statistic];
  return `${reduction.across}${by} (${reduction.overTime}(${selector(alert)}[${window}]))`;
}

/**
 * Renders one alert definition as a Prometheus alerting rule.
 *
 * - One evaluation period (the blog's alarm): `<window value> > threshold`, firing on the first
 *   breaching evaluation, as a CloudWatch alarm with 1 datapoint does.
 * - M out of N periods: the windows are sampled with a subquery and the rule fires when at least M
 *   of the last N windows breach: `count_over_time((<value> > t)[N*w:w]) >= M`.
 * - `missingData: 'breaching'` adds `or absent_over_time(<selector>[w])`; the other treatments
 *   behave as `notBreaching`, since Prometheus has no "insufficient data" state.
 *
 * @example
 * ```ts
 * import { ho11yBadRequestAlert, renderPrometheusAlertingRule } from '@eks-o11y/cdk-constructs/alert-rules';
 * const rule = renderPrometheusAlertingRule(ho11yBadRequestAlert);
 * rule.expr; // 'sum by (namespace, http_status_code) (increase(ho11y_total{http_status_code="400",namespace="ho11y"}[5m])) > 15'
 * ```
 * @throws InvalidAlertDefinitionError for a definition that cannot be expressed in PromQL
 * @throws InvalidPropsError for bad options
 */
function renderPrometheusAlertingRule(definition: AlertDefinition, options: PrometheusRuleOptions = {}): PrometheusAlertingRule {
  const alert = defineAlert(definition);
  const { timeScale } = validateOptions(options);
  const windowSeconds = scaledWindowSeconds(alert, options);
  const window = formatDuration(windowSeconds);
  const { condition } = alert;
  const breach = `${windowValue(alert, window)} ${COMPARISON_OPERATOR[condition.comparison]} ${condition.threshold}`;
  let expr =
    condition.evaluationPeriods === 1
      ? breach
      : `count_over_time((${breach})[${formatDuration(windowSeconds * condition.evaluationPeriods)}:${window}]) >= ${condition.datapointsToAlarm}`;
  if (condition.missingData === 'breaching') {
    expr = `(${expr}) or absent_over_time(${selector(alert)}[${window}])`;
  }

  const scaled = timeScale !== 1;
  const description = scaled
    ? `${alert.description}\n(Time-scaled by ${formatScale(timeScale)} for a local run: the ${formatDuration(condition.windowSeconds)} window is ${window} here.)`
    : alert.description;
  return {
    alert: alert.name,
    expr,
    labels: {
      ...(options.extraLabels ?? {}),
      severity: alert.severity,
      ...(scaled ? { time_scale: formatScale(timeScale) } : {}),
    },
    annotations: {
      summary: escapeTemplate(alert.name),
      description: escapeTemplate(description),
      value: '{{ $value }}',
      threshold: `${COMPARISON_OPERATOR[condition.comparison]} ${condition.threshold} in ${window}`,
      ...(alert.runbookUrl ? { runbook_url: alert.runbookUrl } : {}),
      ...(alert.dashboardUrl ? { dashboard_url: alert.dashboardUrl } : {}),
    },
  };
}

/** `1/60` for 0.01666..., else the number itself. */
function formatScale(timeScale: number): string {
  const inverse = 1 / timeScale;
  return Number.isInteger(Math.round(inverse * 1e6) / 1e6) && timeScale < 1 ? `1/${Math.round(inverse)}` : String(timeScale);
}

/**
 * Renders alert definitions as one Prometheus rule group.
 *
 * @example
 * ```ts
 * const group = renderPrometheusRuleGroup([ho11yBadRequestAlert], { name: 'ho11y', timeScale: 1 / 60 });
 * ```
 * @throws InvalidPropsError when the group has no name or no alerts, or two alerts share a name
 */
function renderPrometheusRuleGroup(definitions: readonly AlertDefinition[], options: PrometheusRuleGroupOptions): PrometheusRuleGroup {
  if (!options.name || options.name.trim() === '') throw new InvalidPropsError('the rule group needs a name, e.g. "ho11y"');
  if (definitions.length === 0) throw new InvalidPropsError(`rule group "${options.name}" has no alert definitions`);
  const names = definitions.map((definition) => definition.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new InvalidPropsError(`rule group "${options.name}" has two alerts named "${duplicate}"`);
  if (options.intervalSeconds !== undefined && (!Number.isInteger(options.intervalSeconds) || options.intervalSeconds < 1)) {
    throw new InvalidPropsError(`intervalSeconds must be a whole number of seconds >= 1, got ${options.intervalSeconds}`);
  }
  return {
    name: options.name,
    ...(options.intervalSeconds !== undefined ? { interval: formatDuration(options.intervalSeconds) } : {}),
    rules: definitions.map((definition) => renderPrometheusAlertingRule(definition, options)),
  };
}

/**
 * Renders a Prometheus rule file (`groups: [...]`): what Prometheus's `rule_files` loads and what an
 * AMP rule groups namespace takes as its data. Serialise it with {@link renderPrometheusRuleYaml}.
 */
function renderPrometheusRuleFile(definitions: readonly AlertDefinition[], options: PrometheusRuleGroupOptions): PrometheusRuleFile {
  return { groups: [renderPrometheusRuleGroup(definitions, options)] };
}

/**
 * The rule file as YAML, ready for `promtool check rules`, Prometheus's `rule_files`, or
 * `aws amp create-rule-groups-namespace --data fileb://rules.yaml` (and the CDK
 * `CfnRuleGroupsNamespace` `data` property).
 *
 * @example
 * ```ts
 * writeFileSync('ho11y-rules.yaml', renderPrometheusRuleYaml([ho11yBadRequestAlert], { name: 'ho11y' }));
 * ```
 */
function renderPrometheusRuleYaml(definitions: readonly AlertDefinition[], options: PrometheusRuleGroupOptions): string {
  return toYaml(renderPrometheusRuleFile(definitions, options));
}

/**
 * Renders a kube-prometheus-stack `PrometheusRule` object (apply it with `kubectl apply -f`, or add
 * it to a cdk8s chart with `new ApiObject(chart, 'rules', resource)`).
 */
function renderPrometheusRuleResource(definitions: readonly AlertDefinition[], options: PrometheusRuleResourceOptions): PrometheusRuleResource {
  const spec = renderPrometheusRuleFile(definitions, options);
  const name =
    options.resourceName ??
    options.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new InvalidPropsError(`PrometheusRule name "${name}" is not a DNS-1123 label; pass resourceName`);
  }
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name,
      namespace: options.namespace ?? 'monitoring',
      labels: { ...(options.labels ?? { release: 'kube-prometheus-stack' }) },
    },
    spec,
  };
}

/** The `PrometheusRule` object as YAML, for `kubectl apply -f`. */
function renderPrometheusRuleResourceYaml(definitions: readonly AlertDefinition[], options: PrometheusRuleResourceOptions): string {
  return toYaml(renderPrometheusRuleResource(definitions, options));
}

/**
 * A small YAML writer for rule documents (maps, lists, strings, numbers). Strings are written
 * double-quoted with JSON escapes, which YAML reads the same way, so no value can be misread
 * (`"400"` stays a string, `on` stays `on`).
 */
function toYaml(value: unknown, indent = ''): string {
  const scalar = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isEmpty = (v: unknown): boolean =>
    Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0;
  const isBlock = (v: unknown): boolean => typeof v === 'object' && v !== null && !isEmpty(v);
  const inline = (v: unknown): string => (Array.isArray(v) ? '[]' : typeof v === 'object' && v !== null ? '{}' : scalar(v));

  if (Array.isArray(value)) {
    return (value as unknown[])
      .map((item) => {
        if (!isBlock(item)) return `${indent}- ${inline(item)}\n`;
        const nested = toYaml(item, `${indent}  `);
        return Array.isArray(item) ? `${indent}-\n${nested}` : `${indent}- ${nested.slice(indent.length + 2)}`;
      })
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => {
        const name = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key);
        return isBlock(v) ? `${indent}${name}:\n${toYaml(v, `${indent}  `)}` : `${indent}${name}: ${inline(v)}\n`;
      })
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

export {
  renderPrometheusAlertingRule,
  renderPrometheusRuleGroup,
  renderPrometheusRuleFile,
  renderPrometheusRuleYaml,
  renderPrometheusRuleResource,
  renderPrometheusRuleResourceYaml,
};
export type {
  PrometheusAlertingRule,
  PrometheusRuleGroup,
  PrometheusRuleFile,
  PrometheusRuleResource,
  PrometheusRuleOptions,
  PrometheusRuleGroupOptions,
  PrometheusRuleResourceOptions,
};
