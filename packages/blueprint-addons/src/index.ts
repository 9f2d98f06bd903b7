export { Cdk8sChartAddOn, renderChart } from './cdk8s-chart-addon.js';
export type { Cdk8sChartAddOnProps, ChartFactory } from './cdk8s-chart-addon.js';
export {
  BlueprintAddOnError,
  ControlPlaneLoggingError,
  InvalidAddOnPropsError,
  MissingAddOnDependencyError,
} from './errors.js';
export { Ho11yAddOn } from './ho11y-addon.js';
export type { Ho11yAddOnProps } from './ho11y-addon.js';
export { SlackAlertsAddOn } from './slack-alerts-addon.js';
export type { SlackAlertsAddOnProps } from './slack-alerts-addon.js';
export type { SlackWebhookReference } from './slack-webhook-reference.js';
