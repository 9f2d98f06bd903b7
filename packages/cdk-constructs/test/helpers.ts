import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/** A small stack in a fixed environment; asset bundling off (our Lambda asset is pre-built anyway). */
function newStack(id = 'Test', options: { nag?: boolean; outdir?: string } = {}): { app: App; stack: Stack } {
  const app = new App({
    outdir: options.outdir,
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  if (options.nag === true) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-2' } });
  return { app, stack };
}

/** cdk-nag errors and warnings left after suppressions, as "path: message" lines. */
function nagFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((finding) => `${finding.id}: ${String(finding.entry.data)}`);
}

/** Synthesises the whole app to a fresh folder and returns the text of every file written. */
function synthesiseToFiles(app: App): Map<string, string> {
  const assembly = app.synth();
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, readFileSync(path, 'utf8'));
    }
  };
  walk(assembly.directory);
  return files;
}

function tempOutdir(): string {
  return mkdtempSync(join(tmpdir(), 'cdk-constructs-test-'));
}

export { newStack, nagFindings, synthesiseToFiles, tempOutdir, Template };
