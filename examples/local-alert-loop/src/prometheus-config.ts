import { BLUEPRINT_COLLECTOR_SELECTION, prometheusKeepRegex } from './collector-selection.js';

/** One process Prometheus scrapes, described with the labels Kubernetes service discovery would give its pod. */
interface ScrapeTarget {
  /** `host:port` of the `/metrics` endpoint. */
  readonly address: string;
  /** The pod's `app` label (`frontend`, `downstream0`). */
  readonly app: string;
  /** Kubernetes namespace the pod would run in. */
  readonly namespace: string;
  /** Pod name shown in the `pod` label. */
  readonly pod: string;
}

/** Inputs of {@link renderPrometheusConfig}. */
interface PrometheusConfigOptions {
  readonly targets: readonly ScrapeTarget[];
  /** Rule files, relative to the config file or absolute. */
  readonly ruleFiles: readonly string[];
  /** `host:port` of Alertmanager. */
  readonly alertmanagerAddress: string;
  /** Scrape and rule evaluation interval in seconds (the blueprint's collector scrapes every 15 s). @default 1 */
  readonly intervalSeconds?: number;
}

/**
 * Renders prometheus.yml (as a plain object; serialise it with a YAML writer).
 *
 * The scrape job is the blueprint collector's `custom-metrics` job with `kubernetes_sd_configs`
 * replaced by static targets that carry the same `__meta_kubernetes_*` labels service discovery
 * would set, so the same `keep` on the pod's `app` label applies. The metric selection is the
 * collector's awsemf selection ({@link BLUEPRINT_COLLECTOR_SELECTION}). Pods get the `namespace`
 * and `pod` labels kube-prometheus-stack and AMP's collectors use, which the rendered alert rules match on.
 */
function renderPrometheusConfig(options: PrometheusConfigOptions): Record<string, unknown> {
  const interval = `${options.intervalSeconds ?? 1}s`;
  return {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: [...options.ruleFiles],
    alerting: {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [options.alertmanagerAddress] }] }],
    },
    scrape_configs: [
      {
        job_name: BLUEPRINT_COLLECTOR_SELECTION.jobName,
        static_configs: options.targets.map((target) => ({
          targets: [target.address],
          labels: {
            __meta_kubernetes_namespace: target.namespace,
            __meta_kubernetes_pod_name: target.pod,
            __meta_kubernetes_pod_label_app: target.app,
          },
        })),
        relabel_configs: [
          { action: 'keep', source_labels: ['__meta_kubernetes_pod_label_app'], regex: BLUEPRINT_COLLECTOR_SELECTION.podLabelRegex },
          { action: 'replace', source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { action: 'replace', source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { action: 'replace', source_labels: ['__meta_kubernetes_pod_label_app'], target_label: 'app' },
        ],
        metric_relabel_configs: [{ action: 'keep', source_labels: ['__name__'], regex: prometheusKeepRegex() }],
      },
    ],
  };
}

export { renderPrometheusConfig };
export type { PrometheusConfigOptions, ScrapeTarget };
