export { Cdk8sChartAddOn, renderChart } from './Cdk8sChartAddOn.js';
export type { Cdk8sChartAddOnProps, ChartFactory } from './Cdk8sChartAddOn.js';
export {
  BlueprintAddOnError,
  ControlPlaneLoggingError,
  InvalidAddOnPropsError,
  MissingAddOnDependencyError,
} from './errors.js';
export { Ho11yAddOn } from './Ho11yAddOn.js';
export type { Ho11yAddOnProps } from './Ho11yAddOn.js';
export { SlackAlertsAddOn } from './SlackAlertsAddOn.js';
export type { SlackAlertsAddOnProps } from './SlackAlertsAddOn.js';
export type { SlackWebhookReference } from './SlackWebhookReference.js';
