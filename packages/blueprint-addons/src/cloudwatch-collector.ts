import { addons, type ClusterInfo } from '@aws-quickstart/eks-blueprints';

/** What the blueprint's CloudWatch ADOT collector scrapes and forwards. */
interface CloudWatchCollectorSettings {
  /** Regular expression on the pods' `app` label; only matching pods are scraped. */
  readonly podLabelRegex: string;
  /** Regular expressions on metric names; only matching metrics reach CloudWatch. */
  readonly metricsNameSelectors: readonly string[];
}

// The collector's own defaults (EKS Blueprints 1.19, cloudwatch-adot-addon/index.js).
const COLLECTOR_DEFAULTS: CloudWatchCollectorSettings = {
  podLabelRegex: '.*',
  metricsNameSelectors: ['apiserver_request_.*', 'container_memory_.*', 'container_threads', 'otelcol_process_.*'],
};

/**
 * Settings of the `CloudWatchAdotAddOn` in the same blueprint, read from the blueprint props that
 * EKS Blueprints hands every add-on; `undefined` when the blueprint has no such add-on.
 * @internal
 */
function cloudWatchCollectorSettings(clusterInfo: ClusterInfo): CloudWatchCollectorSettings | undefined {
  const collector = clusterInfo
    .getResourceContext()
    .blueprintProps.addOns?.find((addOn): addOn is addons.CloudWatchAdotAddOn => addOn instanceof addons.CloudWatchAdotAddOn);
  if (!collector) {
    return undefined;
  }
  const props = collector.cloudWatchAddOnProps;
  return {
    podLabelRegex: props.podLabelRegex ?? COLLECTOR_DEFAULTS.podLabelRegex,
    metricsNameSelectors: props.metricsNameSelectors ?? COLLECTOR_DEFAULTS.metricsNameSelectors,
  };
}

/**
 * True if the collector scrapes pods with this `app` label: Prometheus relabelling anchors the
 * `keep` regex at both ends.
 * @internal
 */
function collectorScrapesApp(settings: CloudWatchCollectorSettings, app: string): boolean {
  return new RegExp(`^(?:${settings.podLabelRegex})$`).test(app);
}

/**
 * True if the collector forwards this metric to CloudWatch: awsemf's `metric_name_selectors` are
 * unanchored Go regular expressions, so `ho11y*` selects `ho11y_total`.
 * @internal
 */
function collectorForwardsMetric(settings: CloudWatchCollectorSettings, metric: string): boolean {
  return settings.metricsNameSelectors.some((selector) => new RegExp(selector).test(metric));
}

export { cloudWatchCollectorSettings, collectorForwardsMetric, collectorScrapesApp };
export type { CloudWatchCollectorSettings };
