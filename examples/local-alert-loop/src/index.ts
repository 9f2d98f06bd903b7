/**
 * The local alert loop: ho11y, real Prometheus and Alertmanager, the Slack notifier's receiver,
 * and Slack or a local Slack-compatible sink, all on 127.0.0.1. `npm run demo` runs `main.ts`;
 * tests and benchmarks call {@link startAlertLoop}.
 * @module
 */
export { startAlertLoop } from './alert-loop.js';
export type { AlertLoop, AlertLoopOptions, AlertLoopPorts, AlertLoopUrls } from './alert-loop.js';
export { renderAlertmanagerConfig } from './alertmanager-config.js';
export type { AlertmanagerConfigOptions } from './alertmanager-config.js';
export { BLUEPRINT_COLLECTOR_SELECTION, prometheusKeepRegex } from './collector-selection.js';
export { checkAlertmanagerConfig, checkPrometheusConfig, checkPrometheusRules } from './config-check.js';
export type { ConfigCheckResult } from './config-check.js';
export { AlertLoopError, InvalidConfigError, InvalidOptionError, MissingBinaryError, ProcessFailedError } from './errors.js';
export { exportRuleGroup } from './export-rules.js';
export type { ExportedRuleFiles, ExportRuleGroupOptions } from './export-rules.js';
export { HO11Y_NAMESPACE } from './ho11y-topology.js';
export type { DeliveredMessage } from './notifier.js';
export { renderPrometheusConfig } from './prometheus-config.js';
export type { PrometheusConfigOptions, ScrapeTarget } from './prometheus-config.js';
export { findSystemBinaries, INSTALL_COMMAND } from './system-binaries.js';
export type { SystemBinaries } from './system-binaries.js';
export { Timeline, TimelineEventKind, formatTimelineEvent } from './timeline.js';
export type { TimelineEvent, TimelineListener } from './timeline.js';
