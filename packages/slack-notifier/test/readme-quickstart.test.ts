import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { startSlackSink } from '../src/testing/slack-sink.js';

const packageDir = join(import.meta.dirname, '..');

describe('README', () => {
  it('quickstart runs as written (against the built package) and prints what it says', async () => {
    // Prepare: the first ```ts block after "## Quickstart", compiled as it is
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Quickstart'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    const { code: js } = await transform(code!, { loader: 'ts', format: 'esm' });
    // Inside the package, so `@eks-o11y/slack-notifier` resolves to itself through its exports map.
    const dir = join(packageDir, 'reports');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-quickstart.mjs');
    writeFileSync(file, js);
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: packageDir });
    // Assess: the comment under console.log in the README is the real output
    const promised = /console\.log\(sink\.messages\[0\]\?\.text\);\n\/\/ (.*)/.exec(code!)?.[1];
    expect(stdout.trim()).toBe(promised);
  });

  it('CLI quickstart runs as written in an empty directory (the published package has no test events)', async () => {
    // Prepare: the ```sh block after "Preview what an event becomes", with the bin of the built package
    // for `npx eks-o11y-slack` and a local sink for the example webhook.
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const script = /```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('Preview what an event becomes')))?.[1];
    expect(script).toBeDefined();
    const sink = await startSlackSink();
    try {
      const runnable = script!
        .replaceAll('npx eks-o11y-slack', `"${process.execPath}" "${join(packageDir, 'lib', 'cli.js')}"`)
        .replace('SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T000/B000/XXXX', `SLACK_WEBHOOK_URL=${sink.url} SLACK_ALLOW_LOOPBACK_WEBHOOK=true`);
      mkdirSync(join(packageDir, 'reports'), { recursive: true });
      const cwd = mkdtempSync(join(packageDir, 'reports', 'cli-quickstart-'));
      // Act
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', runnable], { cwd });
      // Assess
      expect(stdout).toContain('"text": "CrashLoopBackOff ho11y/frontend: firing [critical] (ho11y) - OOMKilled, exit code 137"');
      expect(stdout).toMatch(/^https:\/\/app\.slack\.com\/block-kit-builder#/m);
      expect(stdout).toContain('Delivered 1 message(s) to Slack.');
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });
});
