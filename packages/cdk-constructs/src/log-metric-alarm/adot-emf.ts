/**
 * The shape of the log events the CloudWatch ADOT collector of EKS Blueprints writes, derived from its
 * configuration (`@aws-quickstart/eks-blueprints` 1.19.0, `dist/addons/cloudwatch-adot-addon/collector-config-cloudwatch.ytpl`):
 *
 * - The `custom-metrics` scrape job keeps pods whose `app` label matches `podLabelRegex` and scrapes
 *   `/metrics` on their ports. Its relabelling writes `__meta_kubernetes_namespace` and then
 *   `__meta_kubernetes_pod_name` into the SAME target label `kubernetes_pod_name`, so the namespace label
 *   is overwritten and no `kubernetes_namespace` (hence no `EKS_Namespace`) exists for application metrics.
 * - The Prometheus receiver turns each target's Kubernetes discovery labels into OpenTelemetry resource
 *   attributes (`__meta_kubernetes_namespace` -> `k8s.namespace.name`, `__meta_kubernetes_pod_name` ->
 *   `k8s.pod.name`, node -> `k8s.node.name`), plus `service.name` (= job) and `service.instance.id`.
 * - `metricstransform/labelling` adds `EKS_Cluster` and renames `kubernetes_pod_name` to `EKS_PodName`.
 * - The `awsemf` exporter has `resource_to_telemetry_conversion.enabled: true`, so resource attributes become
 *   top-level fields of the event, next to the metric labels (`http_status_code`) and one field per metric
 *   named after it, holding the value (`ho11y_total`; for counters the increase since the previous scrape).
 *   Events go to `/aws/containerinsights/<cluster>/prometheus`.
 *
 * So the namespace of the pod is the field `k8s.namespace.name` (a key with dots: select it as
 * `$.['k8s.namespace.name']`), and metric labels keep their Prometheus names.
 *
 * @module
 */

/** Field of the EMF event that holds the cluster name (added by the collector's `metricstransform/labelling`). */
const ADOT_EMF_CLUSTER_FIELD = 'EKS_Cluster';

/** Field of the EMF event that holds the pod's Kubernetes namespace. */
const ADOT_EMF_NAMESPACE_FIELD = 'k8s.namespace.name';

/** Log group the CloudWatch ADOT collector writes Prometheus metrics to. */
function containerInsightsPrometheusLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/prometheus`;
}

/** Log group of the EKS control-plane logs (api, audit, authenticator, controllerManager, scheduler). */
function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** JSON selector for a top-level field of an event; bracket form when the key is not a plain identifier. */
function jsonFieldSelector(field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `$.${field}` : `$.['${field}']`;
}

export { ADOT_EMF_CLUSTER_FIELD, ADOT_EMF_NAMESPACE_FIELD, containerInsightsPrometheusLogGroupName, controlPlaneLogGroupName, jsonFieldSelector };
