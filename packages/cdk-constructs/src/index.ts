/**
 * `@eks-o11y/cdk-constructs`: AWS CDK constructs that get errors from Kubernetes applications on Amazon EKS
 * into Slack: the Slack notifier, log-metric-filter alarms built from alert definitions (ho11y and
 * control-plane presets), and saved Logs Insights queries for the control plane.
 *
 * CDK-free parts are also published on their own subpaths: `./alert-rules` and `./filter-pattern`.
 *
 * @module
 */
export { SlackNotifier, NotifierLogLevel } from './slack-notifier/slack-notifier.js';
export type { SlackNotifierProps, IAlarmNotificationTarget } from './slack-notifier/slack-notifier.js';
export { SlackWebhook } from './slack-notifier/slack-webhook.js';
export type { SlackWebhookSource, SlackWebhookBindOptions, SsmWebhookOptions } from './slack-notifier/slack-webhook.js';
export type { SlackRoute, SlackRouteMatch } from './slack-notifier/slack-route.js';

export { LogMetricAlarm } from './log-metric-alarm/log-metric-alarm.js';
export type { LogMetricAlarmProps, LogMetricDimension, LogMetricScopeDimension } from './log-metric-alarm/log-metric-alarm.js';
export { ContainerInsightsPrometheusAlarm } from './log-metric-alarm/container-insights-prometheus-alarm.js';
export type { ContainerInsightsPrometheusAlarmProps } from './log-metric-alarm/container-insights-prometheus-alarm.js';
export { Ho11yErrorAlarm, HO11Y_METRIC_NAMESPACE } from './log-metric-alarm/ho11y-error-alarm.js';
export type { Ho11yErrorAlarmProps } from './log-metric-alarm/ho11y-error-alarm.js';
export {
  ControlPlaneForbiddenAlarm,
  CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN,
  CONTROL_PLANE_METRIC_NAMESPACE,
} from './log-metric-alarm/control-plane-forbidden-alarm.js';
export type { ControlPlaneForbiddenAlarmProps } from './log-metric-alarm/control-plane-forbidden-alarm.js';
export {
  ADOT_EMF_CLUSTER_FIELD,
  ADOT_EMF_NAMESPACE_FIELD,
  containerInsightsPrometheusLogGroupName,
  controlPlaneLogGroupName,
  jsonFieldSelector,
} from './log-metric-alarm/adot-emf.js';
export { renderAlarmDescription } from './log-metric-alarm/alarm-description.js';

export { ControlPlaneQueries } from './logs-insights/control-plane-queries.js';
export type { ControlPlaneQueriesProps } from './logs-insights/control-plane-queries.js';
export { CONTROL_PLANE_QUERIES, controlPlaneQueryString } from './logs-insights/control-plane-query-definitions.js';
export type { ControlPlaneQuery, ControlPlaneQueryId } from './logs-insights/control-plane-query-definitions.js';

export * as alertRules from './alert-rules/index.js';
export { CompiledFilterPattern, matchesFilterPattern, evaluateMetricFilter } from './filter-pattern/filter-pattern.js';
export type { LogEvent, FilterMatch, MetricFilterDefinition, MetricObservation } from './filter-pattern/filter-pattern.js';
export { CdkConstructsError, InvalidPropsError, InvalidAlertDefinitionError, FilterPatternError } from './errors.js';
