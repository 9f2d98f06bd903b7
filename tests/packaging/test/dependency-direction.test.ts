/**
 * The dependency direction of ../shared/DESIGN.md, enforced: leaf libraries first, examples last,
 * nothing points upwards, and what runs in a Lambda or a container never depends on the CDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as Manifest;

/** Layer of each package: a package may depend only on packages of a lower layer. */
const LAYERS: Record<string, number> = {
  '@eks-o11y/slack-notifier': 0,
  '@eks-o11y/instrumentation': 0,
  '@eks-o11y/cdk-constructs': 1,
  '@eks-o11y/ho11y': 1,
  '@eks-o11y/blueprint-addons': 2,
};
const DIRS: Record<string, string> = {
  '@eks-o11y/slack-notifier': 'packages/slack-notifier',
  '@eks-o11y/instrumentation': 'packages/instrumentation',
  '@eks-o11y/cdk-constructs': 'packages/cdk-constructs',
  '@eks-o11y/ho11y': 'apps/ho11y',
  '@eks-o11y/blueprint-addons': 'packages/blueprint-addons',
};
/** Packages that run in a Lambda function or a container. */
const RUNTIME_PACKAGES = ['@eks-o11y/slack-notifier', '@eks-o11y/instrumentation', '@eks-o11y/ho11y'];
const CDK = /^(aws-cdk-lib|aws-cdk|constructs|cdk8s|cdk8s-plus-\d+|@aws-quickstart\/eks-blueprints)$/;

/** Everything a user must install for the package to load: dependencies and required peers. */
function required(m: Manifest): string[] {
  const peers = Object.keys(m.peerDependencies ?? {}).filter((p) => !m.peerDependenciesMeta?.[p]?.optional);
  return [...Object.keys(m.dependencies ?? {}), ...peers];
}

describe('dependency direction', () => {
  it.each(Object.keys(LAYERS).map((name) => [name]))('%s depends only on eks-o11y packages of a lower layer', (name) => {
    const ours = required(manifest(DIRS[name]!)).filter((dep) => dep.startsWith('@eks-o11y/'));
    const upwards = ours.filter((dep) => (LAYERS[dep] ?? Infinity) >= LAYERS[name]!);
    expect(upwards).toEqual([]);
  });

  it.each(RUNTIME_PACKAGES.map((name) => [name]))('%s needs no CDK, cdk8s or EKS Blueprints to load', (name) => {
    expect(required(manifest(DIRS[name]!)).filter((dep) => CDK.test(dep))).toEqual([]);
  });

  it("synthesis loads only the notifier's asset path and route schema, not the notifier itself", () => {
    const lib = join(repoRoot, 'packages/cdk-constructs/lib');
    const specifiers = (readdirSync(lib, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => [...readFileSync(join(lib, file), 'utf8').matchAll(/from '(@eks-o11y\/slack-notifier[^']*)'/g)].map((m) => m[1]!));
    expect(specifiers.length).toBeGreaterThan(0);
    expect([...new Set(specifiers)].sort()).toEqual(['@eks-o11y/slack-notifier/lambda-asset', '@eks-o11y/slack-notifier/routes']);
  });

  it('ships the notifier Lambda bundle without any CDK module in it', () => {
    const meta = JSON.parse(readFileSync(join(repoRoot, 'packages/slack-notifier/dist/lambda-meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    expect(inputs.length).toBeGreaterThan(10);
    expect(inputs.filter((input) => /node_modules\/(aws-cdk-lib|constructs|cdk8s)\//.test(input))).toEqual([]);
  });
});
