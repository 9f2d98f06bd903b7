/**
 * `@eks-o11y/cdk-constructs/alert-rules`: the alert model and the alerts we ship, without AWS CDK.
 *
 * Safe to import from anything (a CLI, a Prometheus rule generator, a test): this subpath never loads
 * aws-cdk-lib. See README.md in this folder for how renderers are added.
 *
 * @module
 */
export {
  AlertSeverity,
  AlertStatistic,
  AlertComparison,
  MissingDataTreatment,
  SignalType,
  KUBERNETES_NAMESPACE_LABEL,
} from './alert-definition.js';
export type { AlertSignal, AlertCondition, AlertDefinition } from './alert-definition.js';
export { defineAlert } from './define-alert.js';
export type { ResolvedAlertDefinition } from './define-alert.js';
export { ho11yErrorAlert, ho11yBadRequestAlert } from './ho11y.js';
export type { Ho11yErrorAlertOptions } from './ho11y.js';
export { controlPlaneForbiddenAlert } from './control-plane.js';
export type { ControlPlaneForbiddenAlertOptions } from './control-plane.js';
export { CdkConstructsError, InvalidAlertDefinitionError, InvalidPropsError } from '../errors.js';
export {
  renderPrometheusAlertingRule,
  renderPrometheusRuleGroup,
  renderPrometheusRuleFile,
  renderPrometheusRuleYaml,
  renderPrometheusRuleResource,
  renderPrometheusRuleResourceYaml,
} from './prometheus-rule.js';
export type {
  PrometheusAlertingRule,
  PrometheusRuleGroup,
  PrometheusRuleFile,
  PrometheusRuleResource,
  PrometheusRuleOptions,
  PrometheusRuleGroupOptions,
  PrometheusRuleResourceOptions,
} from './prometheus-rule.js';
