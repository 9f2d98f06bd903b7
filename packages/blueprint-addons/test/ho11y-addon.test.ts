import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidAddOnPropsError } from '../src/errors.js';
import { Ho11yAddOn } from '../src/ho11y-addon.js';
import { kubernetesObjectsOf, validateKubernetesObjects } from '../src/kubernetes-manifests.js';
import { buildBlueprint, collectorAddOns } from './support/minimal-blueprint.js';

const IMAGE = '123456789012.dkr.ecr.us-east-2.amazonaws.com/ho11y:0.1.0';

describe('Class: Ho11yAddOn', () => {
  let template: Template;
  let annotations: Annotations;

  beforeAll(async () => {
    // Prepare / Act: the blog's collector settings plus ho11y, shared by the assertions below
    const stack = await buildBlueprint('ho11y', [...collectorAddOns(), new Ho11yAddOn({ image: IMAGE })]);
    template = Template.fromStack(stack);
    annotations = Annotations.fromStack(stack);
  });

  it("deploys the blog's topology in namespace ho11y: frontend, downstream0, downstream1", () => {
    // Act
    const ho11y = kubernetesObjectsOf(template.toJSON())
      .map(({ object }) => object as { kind: string; metadata: { name: string; namespace?: string } })
      .filter(({ metadata }) => metadata.namespace === 'ho11y' || metadata.name === 'ho11y');
    const names = (kind: string): string[] => ho11y.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    // Assess
    expect(names('Namespace')).toEqual(['ho11y']);
    expect(names('Deployment')).toEqual(['downstream0', 'downstream1', 'frontend']);
    expect(names('Service')).toEqual(['downstream0', 'downstream1', 'frontend']);
    expect(JSON.stringify(ho11y)).toContain(IMAGE);
  });

  it('passes the Kubernetes schemas, together with everything else the blueprint applies', async () => {
    // Act
    const report = await validateKubernetesObjects(template.toJSON(), {
      customResources: ['opentelemetry.io/v1alpha1/OpenTelemetryCollector'],
    });
    // Assess
    expect(report.problems).toEqual([]);
    expect(report.validated).toBeGreaterThan(6);
  });

  it('does not warn when the collector scrapes ho11y', () => {
    annotations.hasNoWarning('*', Match.stringLikeRegexp('ho11y-not-scraped'));
  });

  it("warns when the collector's podLabelRegex would not scrape ho11y's pods", async () => {
    // Prepare
    const stack = await buildBlueprint('ho11y-unscraped', [
      ...collectorAddOns({ podLabelRegex: 'shop-.*' }),
      new Ho11yAddOn({ image: IMAGE }),
    ]);
    // Act
    const warnings = Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('ho11y-not-scraped'))
      .map((w) => String(w.entry.data));
    // Assess
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`podLabelRegex "shop-.*" does not match ho11y's app label(s) frontend, downstream0, downstream1`);
  });

  it('needs an image', () => {
    expect(() => new Ho11yAddOn({} as never)).toThrow(InvalidAddOnPropsError);
  });
});
