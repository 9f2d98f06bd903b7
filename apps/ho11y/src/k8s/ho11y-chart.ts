import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { Ho11yError } from '../errors.js';

/** The three ho11y apps of the blog's topology, which are also their `app` labels and Service names. */
const HO11Y_APPS = ['frontend', 'downstream0', 'downstream1'] as const;
/** One of {@link HO11Y_APPS}. */
type Ho11yApp = (typeof HO11Y_APPS)[number];

/** The port ho11y listens on in its container. */
const HO11Y_CONTAINER_PORT = 8765;
/** The port of each ho11y Service (80 -> 8765). */
const HO11Y_SERVICE_PORT = 80;
/**
 * The `podLabelRegex` of the CloudWatch ADOT collector's `custom-metrics` scrape job in the blog: it
 * matches the pods' `app` label (anchored, as Prometheus relabelling regexes are) and selects exactly
 * the three ho11y apps.
 */
const ADOT_POD_LABEL_REGEX = 'frontend|downstream(.*)';
/** UID and GID of the `node` user in the ho11y image (`USER 1000:1000`). */
const HO11Y_RUN_AS_USER = 1000;

/**
 * The downstreams each app calls by default. The blog's downstream0 and downstream1 called
 * third-party sites (https://mhausenblas.info/, https://o11y.news/2021-03-01/); here they call
 * in-cluster Services or DUMMY downstreams, so the demo works in a cluster without internet egress
 * and never loads someone else's site. downstream1 -> downstream0 gives the traces a third level.
 */
const DEFAULT_DOWNSTREAMS: Readonly<Record<Ho11yApp, readonly string[]>> = {
  frontend: ['http://downstream0', 'http://downstream1'],
  downstream0: ['DUMMY:64kB:25ms'],
  downstream1: ['http://downstream0', 'DUMMY:187kB:42ms', 'DUMMY:13kB:2ms'],
};

/** CPU and memory of one ho11y container. */
interface Ho11yResources {
  /** CPU request, e.g. `50m`. @default '50m' */
  readonly cpuRequest?: string;
  /** CPU limit, e.g. `250m`. @default '250m' */
  readonly cpuLimit?: string;
  /** Memory request, e.g. `128Mi`. @default '128Mi' */
  readonly memoryRequest?: string;
  /** Memory limit, e.g. `256Mi`. @default '256Mi' */
  readonly memoryLimit?: string;
}

/** Props of {@link Ho11yChart}. */
interface Ho11yChartProps extends ChartProps {
  /** The ho11y image, built from apps/ho11y/Dockerfile and pushed to a registry the cluster can pull from. */
  readonly image: string;
  /** Namespace of every object. @default 'ho11y' */
  readonly namespace?: string;
  /** Create the Namespace object too (turn off when the namespace is managed elsewhere). @default true */
  readonly createNamespace?: boolean;
  /** Replicas of each Deployment. @default 1 */
  readonly replicas?: number;
  /** Inject failures (~49% of requests answer 400, 403, 301, 404 or 501) on the frontend only. @default true */
  readonly injectFailure?: boolean;
  /** `HO11Y_CUTOFF_TPS` on the frontend: answer 429 above this rate. @default - no throttling */
  readonly cutoffTps?: number;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` of every app, e.g. `http://adot-collector.adot:4318`. @default - traces are not exported */
  readonly otlpEndpoint?: string;
  /** `HO11Y_LOG_DEST`. @default 'stdout' (as the blog's manifests) */
  readonly logDestination?: 'stdout' | 'stderr';
  /** Set `DISABLE_OM` so `/metrics` only serves the Prometheus text format (the blog's `DISABLE_OM=on`). @default true */
  readonly disableOpenMetrics?: boolean;
  /** Image pull policy. @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Requests and limits of each container. @default - 50m/250m CPU, 128Mi/256Mi memory */
  readonly resources?: Ho11yResources;
  /** `DOWNSTREAM0..4` per app, replacing the defaults of that app. @default - see DEFAULT_DOWNSTREAMS */
  readonly downstreams?: Partial<Record<Ho11yApp, readonly string[]>>;
}

/**
 * The blog's ho11y topology as a cdk8s chart: namespace `ho11y`; Deployments and Services `frontend`
 * (with failure injection, calling `http://downstream0` and `http://downstream1`), `downstream0` and
 * `downstream1`; container port 8765, Service port 80; pods labelled `app: <name>` so the CloudWatch
 * ADOT collector's `podLabelRegex` ({@link ADOT_POD_LABEL_REGEX}) scrapes them.
 *
 * Secure by default: non-root (UID 1000), read-only root filesystem, no privilege escalation, every
 * capability dropped, the RuntimeDefault seccomp profile, no service-account token, requests and
 * limits, and liveness/readiness probes on `/healthz`.
 *
 * @example
 * ```ts
 * import { App } from 'cdk8s';
 * import { Ho11yChart } from '@eks-o11y/ho11y/k8s';
 *
 * const app = new App();
 * new Ho11yChart(app, 'ho11y', { image: '123456789012.dkr.ecr.us-east-2.amazonaws.com/ho11y:0.1.0' });
 * const yaml = app.synthYaml();
 * ```
 */
class Ho11yChart extends Chart {
  /** The namespace every object lives in. */
  public readonly ho11yNamespace: string;

  public constructor(scope: Construct, id: string, props: Ho11yChartProps) {
    const namespace = props.namespace ?? 'ho11y';
    super(scope, id, { ...props, namespace });
    if (!props.image) {
      throw new Ho11yError('Ho11yChart: `image` is required: build apps/ho11y/Dockerfile and push it to a registry the cluster can pull from.');
    }
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Ho11yError(`Ho11yChart: \`replicas\` must be a non-negative integer, got ${replicas}.`);
    }
    if (props.cutoffTps !== undefined && !Number.isInteger(props.cutoffTps)) {
      throw new Ho11yError(`Ho11yChart: \`cutoffTps\` must be an integer (HO11Y_CUTOFF_TPS), got ${props.cutoffTps}.`);
    }
    for (const [app, targets] of Object.entries(props.downstreams ?? {})) {
      if ((targets?.length ?? 0) > 5) {
        throw new Ho11yError(`Ho11yChart: ${app} has ${targets?.length} downstreams; ho11y reads at most five (DOWNSTREAM0..4).`);
      }
    }
    this.ho11yNamespace = namespace;

    if (props.createNamespace ?? true) {
      new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace } });
    }
    for (const app of HO11Y_APPS) {
      this.addApp(app, props, replicas);
    }
  }

  private addApp(app: Ho11yApp, props: Ho11yChartProps, replicas: number): void {
    const labels = { app };
    const env: Record<string, string> = {
      HO11Y_LOG_DEST: props.logDestination ?? 'stdout',
      OTEL_RESOURCE_ATTRIB: app,
    };
    if (props.disableOpenMetrics ?? true) {
      env.DISABLE_OM = 'on';
    }
    if (props.otlpEndpoint) {
      env.OTEL_EXPORTER_OTLP_ENDPOINT = props.otlpEndpoint;
    }
    if (app === 'frontend') {
      if (props.injectFailure ?? true) {
        env.HO11Y_INJECT_FAILURE = 'enabled';
      }
      if (props.cutoffTps !== undefined) {
        env.HO11Y_CUTOFF_TPS = String(props.cutoffTps);
      }
    }
    (props.downstreams?.[app] ?? DEFAULT_DOWNSTREAMS[app]).forEach((target, index) => {
      env[`DOWNSTREAM${index}`] = target;
    });
    const resources = props.resources ?? {};
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 2,
    });

    new k8s.KubeDeployment(this, `${app}-deployment`, {
      metadata: { name: app, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: HO11Y_RUN_AS_USER,
              runAsGroup: HO11Y_RUN_AS_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'ho11y',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                ports: [{ name: 'http', containerPort: HO11Y_CONTAINER_PORT, protocol: 'TCP' }],
                env: Object.entries(env)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([name, value]) => ({ name, value })),
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString(resources.cpuRequest ?? '50m'),
                    memory: k8s.Quantity.fromString(resources.memoryRequest ?? '128Mi'),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString(resources.cpuLimit ?? '250m'),
                    memory: k8s.Quantity.fromString(resources.memoryLimit ?? '256Mi'),
                  },
                },
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                readinessProbe: probe(5, 3),
                livenessProbe: probe(10, 6),
              },
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, `${app}-service`, {
      // The blog's Services carried `scrape: "true"`; kept for tooling that looks for it.
      metadata: { name: app, labels, annotations: { scrape: 'true' } },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'http', port: HO11Y_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
  }
}

export { Ho11yChart, HO11Y_APPS, HO11Y_CONTAINER_PORT, HO11Y_SERVICE_PORT, ADOT_POD_LABEL_REGEX, DEFAULT_DOWNSTREAMS, HO11Y_RUN_AS_USER };
export type { Ho11yChartProps, Ho11yResources, Ho11yApp };
