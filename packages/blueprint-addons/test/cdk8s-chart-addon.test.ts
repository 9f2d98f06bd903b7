import { Template } from 'aws-cdk-lib/assertions';
import { ApiObject, Chart, type App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cdk8sChartAddOn, renderChart } from '../src/cdk8s-chart-addon.js';
import { InvalidAddOnPropsError } from '../src/errors.js';
import { kubernetesObjectsOf, validateKubernetesObjects } from '../src/kubernetes-manifests.js';
import { buildBlueprint } from './support/minimal-blueprint.js';

/** A namespace and a Deployment, written with plain ApiObjects so the test owns every field. */
function webChart(app: App, replicas: unknown = 2): Chart {
  const chart = new Chart(app, 'web');
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  new ApiObject(chart, 'deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  });
  return chart;
}

describe('Class: Cdk8sChartAddOn', () => {
  let template: Template;

  beforeAll(async () => {
    // Prepare / Act: one blueprint for every assertion below
    const stack = await buildBlueprint('chart-addon', [new Cdk8sChartAddOn({ id: 'web', chart: (app) => webChart(app) })]);
    template = Template.fromStack(stack);
  });

  it('applies the rendered chart as one kubectl manifest, namespace first, taking over existing objects', () => {
    // Assess
    const objects = kubernetesObjectsOf(template.toJSON()).filter(({ object }) =>
      ['web'].includes(String((object['metadata'] as { name?: string }).name)),
    );
    expect(objects.map(({ object }) => object['kind'])).toEqual(['Namespace', 'Deployment']);
    expect(new Set(objects.map(({ logicalId }) => logicalId)).size).toBe(1);
    const [logicalId] = objects.map(({ logicalId }) => logicalId);
    expect(template.toJSON().Resources[logicalId!].Properties.Overwrite).toBe(true);
  });

  it('produces objects that pass the Kubernetes schemas', async () => {
    // Act
    const report = await validateKubernetesObjects(template.toJSON());
    // Assess
    expect(report.problems).toEqual([]);
    expect(report.validated).toBeGreaterThanOrEqual(2);
  });

  it('rejects an id that cannot be a construct or add-on id', () => {
    expect(() => new Cdk8sChartAddOn({ id: 'my app!', chart: (app) => webChart(app) })).toThrow(InvalidAddOnPropsError);
  });

  it('refuses a chart with nothing in it', () => {
    expect(() => renderChart((app) => new Chart(app, 'empty'))).toThrow(/renders no Kubernetes objects/);
  });
});

describe('Function: validateKubernetesObjects', () => {
  it('reports a schema violation with the object and the path', async () => {
    // Prepare: a Deployment whose replicas is a string
    const objects = renderChart((app) => webChart(app, 'two'));
    const template = {
      Resources: { Bad: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: JSON.stringify(objects) } } },
    };
    // Act
    const report = await validateKubernetesObjects(template);
    // Assess
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ logicalId: 'Bad', object: 'apps/v1/Deployment web/web' });
    expect(report.problems[0]!.message).toMatch(/replicas must be integer/);
  });

  it('reports a kind without a schema unless it is an allowed custom resource', async () => {
    // Prepare
    const crd = { apiVersion: 'opentelemetry.io/v1alpha1', kind: 'OpenTelemetryCollector', metadata: { name: 'otel' }, spec: {} };
    const template = {
      Resources: { Cr: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: JSON.stringify([crd]) } } },
    };
    // Act
    const strict = await validateKubernetesObjects(template);
    const allowed = await validateKubernetesObjects(template, {
      customResources: ['opentelemetry.io/v1alpha1/OpenTelemetryCollector'],
    });
    // Assess
    expect(strict.problems.map((p) => p.message)).toEqual([expect.stringMatching(/no Kubernetes schema/)]);
    expect(allowed).toEqual({ validated: 0, customResources: ['opentelemetry.io/v1alpha1/OpenTelemetryCollector otel'], problems: [] });
  });
});
