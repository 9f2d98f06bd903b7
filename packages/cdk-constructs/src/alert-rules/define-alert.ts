import { InvalidAlertDefinitionError } from '../errors.js';
import {
  AlertComparison,
  AlertSeverity,
  AlertStatistic,
  MissingDataTreatment,
  SignalType,
  type AlertCondition,
  type AlertDefinition,
  type AlertSignal,
} from './alert-definition.js';

/** An {@link AlertDefinition} after {@link defineAlert}: every default applied, nothing left optional in it. */
interface ResolvedAlertDefinition extends AlertDefinition {
  readonly signal: Required<AlertSignal>;
  readonly condition: Required<AlertCondition>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Checks an {@link AlertDefinition} and returns it frozen with every default applied, so renderers
 * never see a half-filled object. Throws {@link InvalidAlertDefinitionError} that names the field at fault.
 *
 * @example
 * ```ts
 * const alert = defineAlert({
 *   name: 'checkout 5xx', description: 'Checkout returns server errors', severity: 'critical',
 *   signal: { metric: 'http_requests_total', type: 'counter', matchers: { code: '500' } },
 *   condition: { statistic: 'sum', windowSeconds: 60, comparison: 'greaterThan', threshold: 0 },
 * });
 * ```
 */
function defineAlert(definition: AlertDefinition): ResolvedAlertDefinition {
  const fail = (message: string): never => {
    throw new InvalidAlertDefinitionError(message, definition.name || undefined);
  };
  if (typeof definition.name !== 'string' || definition.name.trim() === '') fail('name must be a non-empty string');
  if (definition.name.length > 255) fail(`name is ${definition.name.length} characters; CloudWatch allows 255`);
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    fail('description must say what is wrong and what it affects');
  }
  if (!Object.values(AlertSeverity).includes(definition.severity)) {
    fail(`severity "${String(definition.severity)}" must be one of ${Object.values(AlertSeverity).join(', ')}`);
  }
  for (const [field, url] of [['runbookUrl', definition.runbookUrl], ['dashboardUrl', definition.dashboardUrl]] as const) {
    if (url !== undefined && !/^https:\/\/\S+$/.test(url)) fail(`${field} "${url}" must be an https:// URL without spaces`);
  }

  const { signal, condition } = definition;
  if (signal === undefined || condition === undefined) fail('signal and condition are both required');
  if (!METRIC_NAME.test(signal.metric)) fail(`signal.metric "${signal.metric}" is not a valid Prometheus metric name`);
  if (!Object.values(SignalType).includes(signal.type)) fail(`signal.type must be "counter" or "gauge"`);
  for (const label of [...Object.keys(signal.matchers ?? {}), ...(signal.groupBy ?? [])]) {
    if (!LABEL_NAME.test(label)) fail(`label "${label}" is not a valid Prometheus label name`);
  }

  if (!Object.values(AlertStatistic).includes(condition.statistic)) {
    fail(`condition.statistic must be one of ${Object.values(AlertStatistic).join(', ')}`);
  }
  if (!Number.isInteger(condition.windowSeconds) || condition.windowSeconds <= 0) {
    fail(`condition.windowSeconds must be a positive whole number of seconds, got ${condition.windowSeconds}`);
  }
  if (!Object.values(AlertComparison).includes(condition.comparison)) {
    fail(`condition.comparison must be one of ${Object.values(AlertComparison).join(', ')}`);
  }
  if (!Number.isFinite(condition.threshold)) fail('condition.threshold must be a finite number');
  const evaluationPeriods = condition.evaluationPeriods ?? 1;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    fail('condition.evaluationPeriods must be a whole number >= 1');
  }
  const datapointsToAlarm = condition.datapointsToAlarm ?? evaluationPeriods;
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    fail(`condition.datapointsToAlarm must be between 1 and evaluationPeriods (${evaluationPeriods})`);
  }
  const missingData = condition.missingData ?? MissingDataTreatment.notBreaching;
  if (!Object.values(MissingDataTreatment).includes(missingData)) {
    fail(`condition.missingData must be one of ${Object.values(MissingDataTreatment).join(', ')}`);
  }

  return Object.freeze({
    ...definition,
    signal: Object.freeze({
      ...signal,
      matchers: Object.freeze({ ...(signal.matchers ?? {}) }),
      groupBy: Object.freeze([...(signal.groupBy ?? [])]),
    }),
    condition: Object.freeze({ ...condition, evaluationPeriods, datapointsToAlarm, missingData }),
  });
}

export { defineAlert };
export type { ResolvedAlertDefinition };
