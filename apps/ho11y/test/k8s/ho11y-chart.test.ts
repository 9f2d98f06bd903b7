import { App, Testing } from 'cdk8s';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { ADOT_POD_LABEL_REGEX, Ho11yChart, HO11Y_APPS, type Ho11yChartProps } from '../../src/k8s/index.js';
import { parseDownstream } from '../../src/downstream-spec.js';

const IMAGE = '123456789012.dkr.ecr.us-east-2.amazonaws.com/ho11y:0.1.0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = any;

function synth(props: Partial<Ho11yChartProps> = {}): Manifest[] {
  const chart = new Ho11yChart(Testing.app(), 'ho11y', { image: IMAGE, ...props });
  return chart.toJson();
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  expect(found, `${kind}/${name}`).toBeDefined();
  return found;
}

function envOf(deployment: Manifest): Record<string, string> {
  return Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

describe('Class: Ho11yChart', () => {
  it('produces the blog topology: a namespace, three Deployments and three Services', () => {
    // Act
    const manifests = synth();

    // Assess
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Deployment/downstream0',
      'Deployment/downstream1',
      'Deployment/frontend',
      'Namespace/ho11y',
      'Service/downstream0',
      'Service/downstream1',
      'Service/frontend',
    ]);
    for (const m of manifests.filter((x) => x.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('ho11y');
    }
  });

  it('validates every object against the Kubernetes schemas', () => {
    // Prepare
    const models: Record<string, new (data: Manifest) => { validate(): void }> = { Deployment, Service, Namespace };

    // Act & Assess
    for (const manifest of synth({ cutoffTps: 10, otlpEndpoint: 'http://adot:4318' })) {
      const Model = models[manifest.kind];
      expect(Model, manifest.kind).toBeDefined();
      expect(() => new Model!(manifest).validate()).not.toThrow();
    }
  });

  it('catches a schema violation (the validation is real)', () => {
    // Prepare
    const deployment = structuredClone(find(synth(), 'Deployment', 'frontend'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'eight';

    // Act & Assess
    expect(() => new Deployment(deployment).validate()).toThrow(/containerPort/);
  });

  it('exposes container port 8765 behind Services on port 80, selected by the app label', () => {
    const manifests = synth();
    for (const app of HO11Y_APPS) {
      const deployment = find(manifests, 'Deployment', app);
      const container = deployment.spec.template.spec.containers[0];
      expect(container.ports).toEqual([{ name: 'http', containerPort: 8765, protocol: 'TCP' }]);
      expect(deployment.spec.selector.matchLabels).toEqual({ app });
      expect(deployment.spec.template.metadata.labels).toEqual({ app });

      const service = find(manifests, 'Service', app);
      expect(service.spec.selector).toEqual({ app });
      expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
      expect(service.metadata.annotations).toEqual({ scrape: 'true' });
    }
  });

  it("has the ADOT collector's podLabelRegex select exactly the three apps", () => {
    // Prepare: Prometheus relabelling anchors the regex at both ends.
    const anchored = new RegExp(`^(?:${ADOT_POD_LABEL_REGEX})$`);
    const podLabels = synth()
      .filter((m) => m.kind === 'Deployment')
      .map((m) => m.spec.template.metadata.labels.app as string);

    // Assess
    expect(podLabels.filter((label) => anchored.test(label)).sort()).toEqual(['downstream0', 'downstream1', 'frontend']);
    expect(podLabels).toHaveLength(3);
    for (const other of ['catalog', 'frontend-v2', 'my-frontend', 'adot-collector']) {
      expect(anchored.test(other), other).toBe(false);
    }
  });

  it('injects failures on the frontend only and wires the downstreams in-cluster, without third-party sites', () => {
    const manifests = synth();
    const frontend = envOf(find(manifests, 'Deployment', 'frontend'));
    const downstream0 = envOf(find(manifests, 'Deployment', 'downstream0'));
    const downstream1 = envOf(find(manifests, 'Deployment', 'downstream1'));

    expect(frontend).toMatchObject({
      HO11Y_INJECT_FAILURE: 'enabled',
      DOWNSTREAM0: 'http://downstream0',
      DOWNSTREAM1: 'http://downstream1',
      OTEL_RESOURCE_ATTRIB: 'frontend',
      HO11Y_LOG_DEST: 'stdout',
      DISABLE_OM: 'on',
    });
    expect(downstream0.HO11Y_INJECT_FAILURE).toBeUndefined();
    expect(downstream1.HO11Y_INJECT_FAILURE).toBeUndefined();
    expect(downstream1).toMatchObject({ DOWNSTREAM1: 'DUMMY:187kB:42ms', DOWNSTREAM2: 'DUMMY:13kB:2ms' });
    expect(frontend.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    for (const env of [frontend, downstream0, downstream1]) {
      for (const [name, value] of Object.entries(env).filter(([key]) => key.startsWith('DOWNSTREAM'))) {
        // Every downstream parses (the server would refuse to start otherwise) and stays in the cluster.
        const spec = parseDownstream(value);
        if (spec.kind === 'url') {
          expect(HO11Y_APPS as readonly string[], `${name}=${value}`).toContain(spec.url.hostname);
        }
      }
    }
  });

  it('applies secure defaults to every pod', () => {
    for (const app of HO11Y_APPS) {
      const pod = find(synth(), 'Deployment', app).spec.template.spec;
      const container = pod.containers[0];
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  it('applies the props: namespace, replicas, throttling, OTLP endpoint, downstreams, no namespace object', () => {
    // Act
    const manifests = synth({
      namespace: 'demo',
      createNamespace: false,
      replicas: 3,
      cutoffTps: 20,
      injectFailure: false,
      disableOpenMetrics: false,
      otlpEndpoint: 'http://adot-collector.adot:4318',
      downstreams: { downstream0: ['DUMMY:1kB:1ms'] },
      resources: { memoryLimit: '256Mi' },
    });

    // Assess
    expect(manifests.some((m) => m.kind === 'Namespace')).toBe(false);
    const frontend = find(manifests, 'Deployment', 'frontend');
    expect(frontend.metadata.namespace).toBe('demo');
    expect(frontend.spec.replicas).toBe(3);
    const env = envOf(frontend);
    expect(env.HO11Y_CUTOFF_TPS).toBe('20');
    expect(env.HO11Y_INJECT_FAILURE).toBeUndefined();
    expect(env.DISABLE_OM).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://adot-collector.adot:4318');
    const downstream0 = envOf(find(manifests, 'Deployment', 'downstream0'));
    expect(downstream0.DOWNSTREAM0).toBe('DUMMY:1kB:1ms');
    expect(envOf(find(manifests, 'Deployment', 'downstream1')).HO11Y_CUTOFF_TPS).toBeUndefined();
    expect(frontend.spec.template.spec.containers[0].resources.limits.memory).toBe('256Mi');
  });

  it('rejects unusable props with a clear error', () => {
    expect(() => synth({ image: '' })).toThrow(/`image` is required/);
    expect(() => synth({ replicas: -1 })).toThrow(/non-negative integer/);
    expect(() => synth({ cutoffTps: 1.5 })).toThrow(/cutoffTps/);
    expect(() => synth({ downstreams: { frontend: ['a', 'b', 'c', 'd', 'e', 'f'] } })).toThrow(/at most five/);
  });

  it('renders to YAML through cdk8s App.synthYaml, as the blueprint add-on does', () => {
    const app = new App();
    new Ho11yChart(app, 'ho11y', { image: IMAGE });
    const yaml = app.synthYaml();
    expect(yaml).toContain('kind: Namespace');
    expect(yaml).toContain(`image: ${IMAGE}`);
  });
});
