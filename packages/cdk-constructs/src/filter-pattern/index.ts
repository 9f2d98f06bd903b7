/**
 * `@eks-o11y/cdk-constructs/filter-pattern`: check CloudWatch Logs filter patterns offline, without AWS CDK.
 *
 * @module
 */
export { CompiledFilterPattern, matchesFilterPattern, evaluateMetricFilter } from './FilterPattern.js';
export type { LogEvent, FilterMatch, MetricFilterDefinition, MetricObservation } from './FilterPattern.js';
export { CdkConstructsError, FilterPatternError } from '../errors.js';
