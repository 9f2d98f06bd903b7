/**
 * The metric selection of the blueprint's ADOT CloudWatch collector (CloudWatchAdotAddOn in the
 * alarms-to-slack blog), so the laptop scrapes and keeps exactly what the cluster ships to CloudWatch.
 *
 * - `metricNameSelectors` are awsemf `metric_name_selectors`: Go regular expressions matched
 *   UNANCHORED (`regexp.MatchString`), so `ho11y*` keeps every name containing `ho11`.
 *   Prometheus relabel regexes are anchored, so {@link prometheusKeepRegex} wraps them in `.*(?:...).*`
 *   to keep the same set.
 * - `podLabelRegex` selects pods by their `app` label (`keep` on `__meta_kubernetes_pod_label_app`,
 *   which Prometheus anchors, as the collector's Prometheus receiver does).
 */
const BLUEPRINT_COLLECTOR_SELECTION = {
  jobName: 'custom-metrics',
  metricNameSelectors: ['apiserver_request_.*', 'container_memory_.*', 'container_threads', 'otelcol_process_.*', 'ho11y*'],
  podLabelRegex: 'frontend|downstream(.*)',
} as const;

/** The awsemf selectors as one anchored Prometheus regex that keeps the same metric names. */
function prometheusKeepRegex(selectors: readonly string[] = BLUEPRINT_COLLECTOR_SELECTION.metricNameSelectors): string {
  return `.*(?:${selectors.join('|')}).*`;
}

export { BLUEPRINT_COLLECTOR_SELECTION, prometheusKeepRegex };
