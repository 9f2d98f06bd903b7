/**
 * `@eks-o11y/cdk-constructs`: AWS CDK constructs that get errors from Kubernetes applications on Amazon EKS
 * into Slack: the Slack notifier, log-metric-filter alarms built from alert definitions (ho11y and
 * control-plane presets), and saved Logs Insights queries for the control plane.
 *
 * CDK-free parts are also published on their own subpaths: `./alert-rules` and `./filter-pattern`.
 *
 * @module
 */
export { SlackNotifier, NotifierLogLevel } from './slack-notifier/SlackNotifier.js';
export type { SlackNotifierProps, IAlarmNotificationTarget } from './slack-notifier/SlackNotifier.js';
export { SlackWebhook } from './slack-notifier/SlackWebhook.js';
export type { SlackWebhookSource, SlackWebhookBindOptions, SsmWebhookOptions } from './slack-notifier/SlackWebhook.js';
export type { SlackRoute, SlackRouteMatch } from './slack-notifier/SlackRoute.js';

export { LogMetricAlarm } from './log-metric-alarm/LogMetricAlarm.js';
export type { LogMetricAlarmProps, LogMetricDimension } from './log-metric-alarm/LogMetricAlarm.js';
export { ContainerInsightsPrometheusAlarm } from './log-metric-alarm/ContainerInsightsPrometheusAlarm.js';
export type { ContainerInsightsPrometheusAlarmProps } from './log-metric-alarm/ContainerInsightsPrometheusAlarm.js';
export { Ho11yErrorAlarm, HO11Y_METRIC_NAMESPACE } from './log-metric-alarm/Ho11yErrorAlarm.js';
export type { Ho11yErrorAlarmProps } from './log-metric-alarm/Ho11yErrorAlarm.js';
export {
  ControlPlaneForbiddenAlarm,
  CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN,
  CONTROL_PLANE_METRIC_NAMESPACE,
} from './log-metric-alarm/ControlPlaneForbiddenAlarm.js';
export type { ControlPlaneForbiddenAlarmProps } from './log-metric-alarm/ControlPlaneForbiddenAlarm.js';
export {
  ADOT_EMF_NAMESPACE_FIELD,
  containerInsightsPrometheusLogGroupName,
  controlPlaneLogGroupName,
  jsonFieldSelector,
} from './log-metric-alarm/adot-emf.js';
export { renderAlarmDescription } from './log-metric-alarm/alarm-description.js';

export { ControlPlaneQueries } from './logs-insights/ControlPlaneQueries.js';
export type { ControlPlaneQueriesProps } from './logs-insights/ControlPlaneQueries.js';
export { CONTROL_PLANE_QUERIES, controlPlaneQueryString } from './logs-insights/control-plane-queries.js';
export type { ControlPlaneQuery, ControlPlaneQueryId } from './logs-insights/control-plane-queries.js';

export * as alertRules from './alert-rules/index.js';
export { CompiledFilterPattern, matchesFilterPattern, evaluateMetricFilter } from './filter-pattern/FilterPattern.js';
export type { LogEvent, FilterMatch, MetricFilterDefinition, MetricObservation } from './filter-pattern/FilterPattern.js';
export { CdkConstructsError, InvalidPropsError, InvalidAlertDefinitionError, FilterPatternError } from './errors.js';
