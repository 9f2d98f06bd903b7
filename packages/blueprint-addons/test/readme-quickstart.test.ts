/**
 * The README's quickstart, run as written: the code block is copied out of README.md into a module,
 * executed with tsx the way `cdk synth` runs an app (CDK_OUTDIR set, the AZs in context), and the
 * template it writes is checked for what the README promises.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function quickstartCode(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quickstart'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README.md has no ```ts block under "## Quickstart"');
  return match[1];
}

describe('README quickstart', () => {
  it('says what a project needs to run it: ESM for top-level await, kubernetes-models for /testing', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    if (/^await /m.test(quickstartCode())) expect(readme).toContain('"type": "module"');
    const validate = readme.slice(readme.indexOf('## Validate'));
    expect(validate).toMatch(/npm install[^\n]* kubernetes-models@[^\n]* @kubernetes-models\/apimachinery@/);
  });

  it('synthesises offline into a cluster with the notifier, both alarms and ho11y', () => {
    // Prepare: the module lives inside the package so its imports resolve like a user's app.
    const generated = join(packageDir, 'test', '.generated');
    mkdirSync(generated, { recursive: true });
    const app = join(generated, 'readme-quickstart.mts');
    writeFileSync(app, quickstartCode());
    const outdir = mkdtempSync(join(tmpdir(), 'quickstart-cdk-out-'));

    try {
      // Act
      const run = spawnSync(process.execPath, ['--import', 'tsx', app], {
        cwd: packageDir,
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({
            'aws:cdk:bundling-stacks': [],
            'availability-zones:account=123456789012:region=us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
          }),
          // No credentials, no metadata service: any AWS call would fail loudly instead of hanging.
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
        },
      });

      // Assess
      expect(run.stderr).not.toMatch(/Failed to retrieve add-on versions|CredentialsProviderError/);
      expect(run.status, run.stderr).toBe(0);
      const template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, 'demo-cluster.template.json'), 'utf8')));
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: { 'Fn::Join': ['', ['400 errors from ho11y app on ', { Ref: Match.anyValue() }]] },
        Threshold: 15,
      });
      // Log group names are built from the cluster's name token, hence the Fn::Join.
      template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.ho11y_total >= 0 }' });
      template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.responseStatus.code = 403 }' });
      template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const text = JSON.stringify(template.toJSON());
      expect(text).toContain('/aws/containerinsights/');
      expect(text).toContain('ho11y:0.1.0');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(generated, { recursive: true, force: true });
    }
  });
});
