import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { evaluateMetricFilter, matchesFilterPattern } from '../src/filter-pattern/index.js';
import { ADOT_EMF_NAMESPACE_FIELD, Ho11yErrorAlarm } from '../src/index.js';
import { newStack } from './helpers.js';

const emfEvent = JSON.parse(readFileSync(new URL('./fixtures/adot-emf-ho11y-event.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The collector configuration that EKS Blueprints' CloudWatchAdotAddOn really deploys. */
function collectorTemplate(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@aws-quickstart/eks-blueprints/package.json'));
  return readFileSync(join(root, 'dist/addons/cloudwatch-adot-addon/collector-config-cloudwatch.ytpl'), 'utf8');
}

/** The ho11y metric filter as synthesised, read back from the template. */
function ho11yMetricFilter(): { filterPattern: string; metricValue: string; dimensions: Record<string, string> } {
  const { stack } = newStack();
  new Ho11yErrorAlarm(stack, 'Ho11y', { clusterName: 'demo-cluster' });
  const [filter] = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'));
  const props = filter!.Properties as {
    FilterPattern: string;
    MetricTransformations: { MetricValue: string; Dimensions: { Key: string; Value: string }[] }[];
  };
  const transformation = props.MetricTransformations[0]!;
  return {
    filterPattern: props.FilterPattern,
    metricValue: transformation.MetricValue,
    dimensions: Object.fromEntries(transformation.Dimensions.map((d) => [d.Key, d.Value])),
  };
}

describe('The EMF events of the CloudWatch ADOT collector (EKS Blueprints 1.19.0)', () => {
  it('the collector config that the event fixture is derived from still says what we rely on', () => {
    // Prepare
    const config = collectorTemplate();
    const customJob = config.slice(config.indexOf('- job_name: custom-metrics'), config.indexOf('processors:'));

    // Assess: resource attributes (k8s.namespace.name, ...) become event fields
    expect(config).toMatch(/resource_to_telemetry_conversion:\s*\n\s*enabled: true/);
    expect(config).toContain("log_group_name: '/aws/containerinsights/${CLUSTER_NAME}/prometheus'");
    // the application job writes the namespace and then the pod name into kubernetes_pod_name:
    // no kubernetes_namespace label, hence no EKS_Namespace field for ho11y's metrics
    expect(customJob).toMatch(/source_labels: \[__meta_kubernetes_namespace\]\s*\n\s*target_label: kubernetes_pod_name/);
    expect(customJob).toMatch(/source_labels: \[__meta_kubernetes_pod_name\]\s*\n\s*target_label: kubernetes_pod_name/);
    expect(customJob).not.toContain('target_label: kubernetes_namespace');
    expect(config).toMatch(/label: kubernetes_pod_name\s*\n\s*new_label: EKS_PodName/);
    // every metric gets the cluster's name, which the ho11y filter keeps as a dimension
    expect(config).toMatch(/- include: \.\*[\s\S]{0,200}?- action: add_label\s*\n\s*new_label: EKS_Cluster\s*\n\s*new_value: "\{\{clusterName\}\}"/);
  });

  it('the namespace travels in the field k8s.namespace.name, not EKS_Namespace', () => {
    expect(ADOT_EMF_NAMESPACE_FIELD).toBe('k8s.namespace.name');
    expect(emfEvent[ADOT_EMF_NAMESPACE_FIELD]).toBe('ho11y');
    expect(emfEvent).not.toHaveProperty('EKS_Namespace');
  });

  it('the synthesised ho11y filter matches the event and publishes its value with namespace, status code and cluster', () => {
    const filter = ho11yMetricFilter();
    expect(evaluateMetricFilter(filter, emfEvent)).toEqual({
      value: 7,
      dimensions: { Namespace: 'ho11y', HTTPStatusCode: '400', EKS_Cluster: 'demo-cluster' },
      missingDimensions: [],
    });
    // the same event as the raw log line CloudWatch sees
    expect(matchesFilterPattern(filter.filterPattern, JSON.stringify(emfEvent))).toBe(true);
  });

  it('rejects the other events of the log group', () => {
    const filter = ho11yMetricFilter();
    const { ho11y_total: _value, ...withoutMetric } = emfEvent;
    const others = [
      { ...withoutMetric, ho11y_randval: -0.42, _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'ho11y_randval' }] }] } },
      { ...withoutMetric, http_status_code: undefined, apiserver_request_total: 12, code: '200' },
      { ...emfEvent, ho11y_total: -1 },
      'not a JSON line',
    ];
    for (const event of others) expect(evaluateMetricFilter(filter, event as never)).toBeUndefined();
  });

  it("the blog's EKS_Namespace guess would publish no namespace dimension", () => {
    const observation = evaluateMetricFilter({ ...ho11yMetricFilter(), dimensions: { Namespace: '$.EKS_Namespace' } }, emfEvent);
    expect(observation?.missingDimensions).toEqual(['Namespace']);
  });
});
