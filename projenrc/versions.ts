/**
 * Every third-party version the monorepo pins, in one place.
 *
 * Why these exact pins: see ../shared/reference/machine-facts.md. EKS Blueprints 1.19.0 declares
 * exact peers on aws-cdk-lib/aws-cdk, so the CDK pins follow it; TypeScript stays on 5.9 because
 * ts-node, typedoc and typescript-eslint need the compiler API that TypeScript 7 no longer exports.
 */
export const VERSIONS = {
  node: '24.21.0',
  typescript: '~5.9.3',
  typesNode: '^24.10.0',
  projen: '0.103.25',
  nx: '22.7.12',
  vitest: '4.1.12',
  coverageV8: '4.1.12',
  eslint: '^9.39.0',
  typescriptEslint: '^8.73.0',
  tsx: '^4.23.15',
  esbuild: '0.28.2',
  vitepress: '1.6.4',
  typedoc: '0.28.20',
  typedocMarkdown: '4.14.1',
  typedocVitepressTheme: '1.1.4',
  awsCdkLib: '2.261.0',
  awsCdk: '2.1129.0',
  constructs: '^10.8.1',
  eksBlueprints: '1.19.0',
  cdkNag: '2.38.2',
  cdk8s: '2.70.106',
  cdk8sPlus: '2.5.57',
  kubernetesModels: '^5.1.0',
} as const;
