/**
 * `@eks-o11y/cdk-constructs/filter-pattern`: check CloudWatch Logs filter patterns offline, without AWS CDK.
 *
 * @module
 */
export { CompiledFilterPattern, matchesFilterPattern, evaluateMetricFilter } from './filter-pattern.js';
export type { LogEvent, FilterMatch, MetricFilterDefinition, MetricObservation } from './filter-pattern.js';
export { CdkConstructsError, FilterPatternError } from '../errors.js';
