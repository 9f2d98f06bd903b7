import type { ClusterInfo } from '@aws-quickstart/eks-blueprints';
import { Ho11yChart, type Ho11yChartProps } from '@eks-o11y/ho11y/k8s';
import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Cdk8sChartAddOn, renderChart } from './cdk8s-chart-addon.js';
import { cloudWatchCollectorSettings, collectorScrapesApp } from './cloudwatch-collector.js';
import { InvalidAddOnPropsError } from './errors.js';

/** Options of {@link Ho11yAddOn}: ho11y's chart options, plus the add-on id. */
interface Ho11yAddOnProps extends Ho11yChartProps {
  /**
   * Add-on id; give each instance its own when a blueprint deploys ho11y twice.
   * @default 'ho11y'
   */
  readonly id?: string;
}

/**
 * Deploys ho11y, the synthetic signal generator (`@eks-o11y/ho11y/k8s`), into the cluster: the
 * blog's frontend -> downstream0/downstream1 topology, whose `ho11y_total` counter the
 * {@link SlackAlertsAddOn}'s error alarm watches.
 *
 * If the blueprint's `CloudWatchAdotAddOn` would not scrape ho11y's pods (its `podLabelRegex` does
 * not match their `app` label), synthesis reports a warning on the add-on.
 *
 * @example
 * ```ts
 * blueprints.EksBlueprint.builder().addOns(..., new Ho11yAddOn({ image: '123456789012.dkr.ecr.us-east-2.amazonaws.com/ho11y:0.1.0' }))
 * ```
 */
class Ho11yAddOn extends Cdk8sChartAddOn {
  /** The namespace ho11y runs in; {@link SlackAlertsAddOn} checks that its alarm watches this one. */
  public readonly namespace: string;

  public constructor(props: Ho11yAddOnProps) {
    if (!props?.image) {
      throw new InvalidAddOnPropsError(
        'Ho11yAddOn needs the ho11y image the cluster pulls, e.g. { image: "<account>.dkr.ecr.<region>.amazonaws.com/ho11y:0.1.0" } ' +
          '(build it from apps/ho11y/Dockerfile).',
      );
    }
    const { id = 'ho11y', ...chart } = props;
    super({ id, chart: (app) => new Ho11yChart(app, id, chart) });
    this.namespace = chart.namespace ?? 'ho11y';
  }

  public override deploy(clusterInfo: ClusterInfo): Promise<Construct> {
    const objects = renderChart(this.chart);
    const manifest = this.apply(clusterInfo, objects);
    warnIfNotScraped(clusterInfo, manifest, objects);
    return Promise.resolve(manifest);
  }
}

/** The `app` labels of the pods the chart's workloads create. */
function podAppLabels(objects: readonly Record<string, unknown>[]): string[] {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(String(object['kind'])))
    .map((object) => (object as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec)
    .map((spec) => spec?.template?.metadata?.labels?.['app'])
    .filter((app): app is string => typeof app === 'string');
}

function warnIfNotScraped(clusterInfo: ClusterInfo, manifest: Construct, objects: readonly Record<string, unknown>[]): void {
  const collector = cloudWatchCollectorSettings(clusterInfo);
  if (!collector) {
    return;
  }
  const unscraped = podAppLabels(objects).filter((app) => !collectorScrapesApp(collector, app));
  if (unscraped.length > 0) {
    Annotations.of(manifest).addWarningV2(
      '@eks-o11y/blueprint-addons:ho11y-not-scraped',
      `The CloudWatchAdotAddOn's podLabelRegex "${collector.podLabelRegex}" does not match ho11y's app label(s) ` +
        `${unscraped.join(', ')}: their metrics will not reach CloudWatch. Use podLabelRegex: 'frontend|downstream(.*)'.`,
    );
  }
}

export { Ho11yAddOn };
export type { Ho11yAddOnProps };
