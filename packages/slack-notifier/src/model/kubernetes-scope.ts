/** Label and dimension keys that carry the EKS cluster name, most specific first. */
const CLUSTER_KEYS = ['cluster', 'ClusterName', 'Cluster', 'EKS_Cluster', 'cluster_name', 'k8s_cluster_name', 'k8s.cluster.name', 'eks_cluster'];
/** Label and dimension keys that carry the Kubernetes namespace, most specific first. */
const NAMESPACE_KEYS = ['namespace', 'Namespace', 'EKS_Namespace', 'kubernetes_namespace', 'k8s_namespace_name', 'k8s.namespace.name', 'exported_namespace'];

/** Label and dimension keys that carry the pod name (kube-state-metrics, OpenTelemetry, Container Insights). */
const POD_KEYS = ['pod', 'pod_name', 'PodName', 'k8s_pod_name', 'k8s.pod.name', 'exported_pod'];

/** Cluster, namespace and pod of an alert, read from its labels or dimensions. */
function kubernetesScope(labels: Readonly<Record<string, string>>): { cluster?: string; namespace?: string; pod?: string } {
  const pick = (keys: readonly string[]): string | undefined => {
    for (const key of keys) {
      const value = labels[key];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const cluster = pick(CLUSTER_KEYS);
  const namespace = pick(NAMESPACE_KEYS);
  const pod = pick(POD_KEYS);
  return { ...(cluster !== undefined && { cluster }), ...(namespace !== undefined && { namespace }), ...(pod !== undefined && { pod }) };
}

export { kubernetesScope };
