import type { ClusterAddOn, ClusterInfo } from '@aws-quickstart/eks-blueprints';
import { KubernetesManifest } from 'aws-cdk-lib/aws-eks';
import { App, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { InvalidAddOnPropsError } from './errors.js';

/** Builds the chart to deploy inside the cdk8s app it is given. */
type ChartFactory = (app: App) => Chart;

/** Options of {@link Cdk8sChartAddOn}. */
interface Cdk8sChartAddOnProps {
  /**
   * Add-on id: EKS Blueprints schedules add-ons by id, so give each chart its own when a blueprint
   * deploys several. Also the construct id of the manifest.
   */
  readonly id: string;
  /** Builds the chart; called once per cluster the add-on is deployed to. */
  readonly chart: ChartFactory;
  /**
   * Let kubectl take over objects that already exist in the cluster (for example a namespace
   * created by hand) instead of failing the deployment.
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * Renders a cdk8s chart to its Kubernetes objects (the same JSON `cdk8s synth` writes), in the
 * order cdk8s resolves them, so namespaces come before the objects that live in them.
 *
 * @example
 * ```ts
 * const objects = renderChart((app) => new Ho11yChart(app, 'ho11y'));
 * ```
 */
function renderChart(factory: ChartFactory): Record<string, unknown>[] {
  const chart = factory(new App());
  const objects = chart.toJson() as Record<string, unknown>[];
  if (objects.length === 0) {
    throw new InvalidAddOnPropsError(`The cdk8s chart "${chart.node.id}" renders no Kubernetes objects: nothing to deploy.`);
  }
  return objects;
}

/**
 * An EKS Blueprints add-on that applies a cdk8s chart to the cluster as one
 * `Custom::AWSCDK-EKS-KubernetesResource` (kubectl apply through the cluster's kubectl provider).
 *
 * @example
 * ```ts
 * new Cdk8sChartAddOn({ id: 'my-app', chart: (app) => new MyChart(app, 'my-app') });
 * ```
 */
class Cdk8sChartAddOn implements ClusterAddOn {
  public readonly id: string;
  /** Builds the chart this add-on deploys. */
  protected readonly chart: ChartFactory;
  // Not an ES `#` field: EKS Blueprints clones add-ons, and clones lose `#` fields.
  private readonly overwrite: boolean;

  public constructor(props: Cdk8sChartAddOnProps) {
    if (!props.id || !/^[A-Za-z][A-Za-z0-9-]*$/.test(props.id)) {
      throw new InvalidAddOnPropsError(
        `Cdk8sChartAddOn id "${props.id}" is not valid: use letters, digits and dashes, starting with a letter.`,
      );
    }
    this.id = props.id;
    this.chart = props.chart;
    this.overwrite = props.overwrite ?? true;
  }

  public deploy(clusterInfo: ClusterInfo): Promise<Construct> {
    return Promise.resolve(this.apply(clusterInfo, renderChart(this.chart)));
  }

  /** Applies rendered Kubernetes objects to the cluster as one kubectl manifest. */
  protected apply(clusterInfo: ClusterInfo, objects: Record<string, unknown>[]): KubernetesManifest {
    return new KubernetesManifest(clusterInfo.cluster, this.id, {
      cluster: clusterInfo.cluster,
      manifest: objects,
      overwrite: this.overwrite,
    });
  }
}

export { Cdk8sChartAddOn, renderChart };
export type { Cdk8sChartAddOnProps, ChartFactory };
