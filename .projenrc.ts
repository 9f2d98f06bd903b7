import { MonorepoRoot } from './projenrc/MonorepoRoot';
import { VERSIONS } from './projenrc/versions';
import { WorkspacePackage } from './projenrc/WorkspacePackage';

/*
 * The one source of truth for the repository. Every package.json, tsconfig, nx.json,
 * vitest.config.ts and .gitignore is generated from here: edit this file, then run `npx projen`.
 * Dependencies point down the graph in ../shared/DESIGN.md: leaf libraries first, examples last.
 */
const root = new MonorepoRoot();

const AWS_SDK = '^3.1162.0';
const CDK_PINS = [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`];
// Libraries accept any later CDK v2 release, so they install into an existing app; they are built and tested on the pins.
const CDK_PEERS = [`aws-cdk-lib@^${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`];

// ---- leaf libraries: no CDK, small, fast to load --------------------------------------------
const slackNotifier = new WorkspacePackage(root, {
  outdir: 'packages/slack-notifier',
  name: '@eks-o11y/slack-notifier',
  description:
    'CloudWatch, Alertmanager, Grafana and Kubernetes alerts as Slack messages an on-call engineer can act on: Lambda handler, HTTP receiver and CLI.',
  keywords: ['cloudwatch', 'alertmanager', 'grafana', 'lambda'],
  // @types/aws-lambda: the handler's public types name its Context, so a user's type check needs it.
  deps: [
    '@types/aws-lambda@^8.10.164',
    '@aws-lambda-powertools/logger@^2.36.0',
    '@aws-lambda-powertools/parser@^2.35.0',
    'zod@^4.1.0',
    '@slack/webhook@^8.0.2',
    `@aws-sdk/client-kms@${AWS_SDK}`,
    `@aws-sdk/client-secrets-manager@${AWS_SDK}`,
    `@aws-sdk/client-ssm@${AWS_SDK}`,
  ],
  devDeps: ['aws-sdk-client-mock@^4.1.0', `esbuild@${VERSIONS.esbuild}`, 'fast-check@^4.10.0'],
  exports: { '.': 'index', './lambda-asset': 'lambda-asset', './routes': 'routes', './testing': 'testing' },
  bin: { 'eks-o11y-slack': 'cli' },
  extraFiles: ['dist/lambda'],
});
// The Lambda asset that @eks-o11y/cdk-constructs ships: a minified ESM bundle (its esbuild metafile goes to dist/lambda-meta.json).
slackNotifier.postCompileTask.exec('node scripts/build-lambda-bundle.mjs');

const instrumentation = new WorkspacePackage(root, {
  outdir: 'packages/instrumentation',
  name: '@eks-o11y/instrumentation',
  description:
    'Express and node:http middleware for traces (OpenTelemetry and X-Ray), RED metrics and trace-correlated logs.',
  keywords: ['opentelemetry', 'xray', 'express', 'prometheus'],
  deps: [
    '@opentelemetry/api@~1.9.0',
    '@opentelemetry/core@^2.12.0',
    '@opentelemetry/resources@^2.12.0',
    '@opentelemetry/sdk-trace-base@^2.12.0',
    '@opentelemetry/semantic-conventions@^1.45.0',
    '@opentelemetry/exporter-trace-otlp-http@0.223.1',
    '@opentelemetry/exporter-trace-otlp-proto@0.223.1',
    // The OTLP export thread: OpenTelemetry's serialisers here and its HTTP delegate there (same pins as the exporters).
    '@opentelemetry/otlp-exporter-base@0.223.1',
    '@opentelemetry/otlp-transformer@0.223.1',
    '@opentelemetry/context-async-hooks@^2.12.0',
    'prom-client@^15.1.3',
  ],
  optionalPeerDeps: ['express@^5.1.0', 'aws-xray-sdk-core@^3.12.0'],
  // The official X-Ray propagator: the header tests check that ours reads and writes the same headers.
  devDeps: ['@types/express@^5.0.6', '@opentelemetry/propagator-aws-xray@2.2.0'],
});

// ---- sample applications, each with a cdk8s chart under "./k8s" -----------------------------
const ho11y = new WorkspacePackage(root, {
  outdir: 'apps/ho11y',
  name: '@eks-o11y/ho11y',
  description: 'ho11y ("howl-y"): a synthetic signal generator that emits logs, metrics and traces, with its cdk8s chart.',
  keywords: ['synthetic', 'cdk8s'],
  workspaceDeps: [instrumentation],
  deps: ['prom-client@^15.1.3'],
  optionalPeerDeps: [`cdk8s@^${VERSIONS.cdk8s}`, `cdk8s-plus-33@^${VERSIONS.cdk8sPlus}`, `constructs@${VERSIONS.constructs}`],
  devDeps: [`kubernetes-models@${VERSIONS.kubernetesModels}`],
  exports: { '.': 'index', './k8s': 'k8s/index' },
  bin: { ho11y: 'cli' },
});

// ---- AWS constructs and EKS Blueprints add-ons ----------------------------------------------
const cdkConstructs = new WorkspacePackage(root, {
  outdir: 'packages/cdk-constructs',
  name: '@eks-o11y/cdk-constructs',
  description:
    'AWS CDK constructs: the Slack notifier stack, log-metric-filter alarms on Container Insights and control-plane logs, saved Logs Insights queries.',
  keywords: ['aws-cdk', 'cloudwatch', 'constructs'],
  workspaceDeps: [slackNotifier],
  peerDeps: CDK_PEERS,
  // eks-blueprints: the tests read the CloudWatch ADOT collector config that the EMF field names come from
  devDeps: [`cdk-nag@${VERSIONS.cdkNag}`, `@aws-quickstart/eks-blueprints@${VERSIONS.eksBlueprints}`],
  // CDK-free subpaths: alert definitions and the filter-pattern matcher load without aws-cdk-lib.
  exports: { '.': 'index', './alert-rules': 'alert-rules/index', './filter-pattern': 'filter-pattern/index' },
  vitest: { testTimeout: 120_000 },
});

const blueprintAddons = new WorkspacePackage(root, {
  outdir: 'packages/blueprint-addons',
  name: '@eks-o11y/blueprint-addons',
  description: 'EKS Blueprints add-ons that wire the Slack notifier, its alarms and the sample applications into a cluster.',
  keywords: ['eks-blueprints', 'aws-cdk', 'eks'],
  workspaceDeps: [cdkConstructs, ho11y],
  deps: [`cdk8s@^${VERSIONS.cdk8s}`, `cdk8s-plus-33@^${VERSIONS.cdk8sPlus}`],
  peerDeps: [...CDK_PEERS, `@aws-quickstart/eks-blueprints@${VERSIONS.eksBlueprints}`],
  // kubernetes-models backs the `./testing` subpath (manifest validation); the add-ons work without it.
  // Its ObjectMeta schema is imported directly, so that package is declared too.
  optionalPeerDeps: [`kubernetes-models@${VERSIONS.kubernetesModels}`, '@kubernetes-models/apimachinery@^3.0.2'],
  devDeps: [`cdk-nag@${VERSIONS.cdkNag}`],
  exports: { '.': 'index', './testing': 'testing' },
  vitest: { testTimeout: 180_000 },
});

// ---- deployable examples ---------------------------------------------------------------------
const alarmsToSlack = new WorkspacePackage(root, {
  outdir: 'examples/alarms-to-slack',
  name: '@eks-o11y/example-alarms-to-slack',
  description: "The blog's whole stack as one CDK app: EKS blueprint with ADOT, ho11y, the Slack notifier and its alarms.",
  publishable: false,
  workspaceDeps: [blueprintAddons, cdkConstructs, slackNotifier, ho11y],
  deps: [...CDK_PINS, `@aws-quickstart/eks-blueprints@${VERSIONS.eksBlueprints}`],
  devDeps: [`aws-cdk@${VERSIONS.awsCdk}`, `cdk-nag@${VERSIONS.cdkNag}`, `tsx@${VERSIONS.tsx}`, `kubernetes-models@${VERSIONS.kubernetesModels}`],
  vitest: { testTimeout: 300_000 },
});

alarmsToSlack.addTask('synth', {
  description: 'Synthesise the example offline: no AWS credentials, no network (account, region and AZs come from cdk.json context)',
  exec: 'cdk synth --quiet',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
});

const localAlertLoop = new WorkspacePackage(root, {
  outdir: 'examples/local-alert-loop',
  name: '@eks-o11y/example-local-alert-loop',
  description: 'The whole alert loop on a laptop: ho11y, real Prometheus and Alertmanager, the notifier, Slack or a local sink.',
  publishable: false,
  workspaceDeps: [slackNotifier, ho11y, cdkConstructs],
  deps: ['yaml@^2.9.0'],
  devDeps: [`tsx@${VERSIONS.tsx}`],
  vitest: { testTimeout: 120_000, serial: true },
});
localAlertLoop.addTask('demo', {
  description: 'Start the local alert loop (Ctrl-C stops every process it started)',
  exec: 'node lib/main.js',
  receiveArgs: true,
});

// ---- what we publish works for a user: pack, install into a fresh project, import --------------
const packaging = new WorkspacePackage(root, {
  outdir: 'tests/packaging',
  name: '@eks-o11y/packaging-tests',
  description: 'Packs every publishable package, installs the tarballs into a fresh project and imports them (ESM, CommonJS, types).',
  publishable: false,
  compile: false,
  workspaceDevDeps: [slackNotifier, instrumentation, ho11y, cdkConstructs, blueprintAddons],
  vitest: { testTimeout: 300_000 },
});

// ---- benchmarks and docs -----------------------------------------------------------------------
const bench = new WorkspacePackage(root, {
  outdir: 'bench',
  name: '@eks-o11y/bench',
  description: 'Benchmarks that compare eks-o11y with what users would pick instead, measured in one run.',
  publishable: false,
  compile: false,
  vitest: false,
  workspaceDevDeps: [slackNotifier, instrumentation, ho11y, cdkConstructs, blueprintAddons, alarmsToSlack, localAlertLoop],
  devDeps: [
    `tsx@${VERSIONS.tsx}`,
    'autocannon@^9.0.0',
    // instrumentation.bench.ts: the peers a user would pick instead of @eks-o11y/instrumentation
    'express@^5.1.0',
    'aws-xray-sdk-core@3.12.0',
    'aws-xray-sdk-express@3.12.0',
    '@opentelemetry/api@~1.9.0',
    '@opentelemetry/sdk-trace-node@2.12.0',
    '@opentelemetry/instrumentation@0.223.0',
    '@opentelemetry/instrumentation-http@0.223.0',
    '@opentelemetry/instrumentation-express@0.71.1',
    '@opentelemetry/exporter-trace-otlp-http@0.223.1',
    '@opentelemetry/id-generator-aws-xray@2.1.0',
    '@opentelemetry/propagator-aws-xray@2.2.0',
    // synth.bench.ts: the blog's bare blueprint, built from EKS Blueprints alone
    `@aws-quickstart/eks-blueprints@${VERSIONS.eksBlueprints}`,
    `aws-cdk-lib@${VERSIONS.awsCdkLib}`,
    `constructs@${VERSIONS.constructs}`,
  ],
});
bench.addTask('bench', { description: 'Run every benchmark in this folder', exec: 'tsx run-all.ts', receiveArgs: true });

const docs = new WorkspacePackage(root, {
  outdir: 'docs',
  name: '@eks-o11y/docs',
  description: 'The adopters\' site: a guide per package and pattern, the API reference and the benchmark results.',
  publishable: false,
  compile: false,
  vitest: false,
  workspaceDevDeps: [slackNotifier, instrumentation, ho11y, cdkConstructs, blueprintAddons],
  devDeps: [
    `vitepress@${VERSIONS.vitepress}`,
    `typedoc@${VERSIONS.typedoc}`,
    `typedoc-plugin-markdown@${VERSIONS.typedocMarkdown}`,
    `typedoc-vitepress-theme@${VERSIONS.typedocVitepressTheme}`,
  ],
});
docs.addTask('docs:build', {
  description: 'Generate the API reference from TSDoc, then build the site (dead links fail the build)',
  steps: [{ exec: 'typedoc' }, { exec: 'vitepress build .' }],
});
docs.addTask('docs:dev', { exec: 'vitepress dev .' });
docs.tasks.tryFind('lint')?.reset('eslint --max-warnings 0 .');
docs.gitignore.exclude('/api/', '/.vitepress/cache/', '/.vitepress/dist/');

root.registerWorkspaces([
  slackNotifier, instrumentation, ho11y, cdkConstructs, blueprintAddons, alarmsToSlack, localAlertLoop, packaging, bench, docs,
]);
root.synth();
