import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

describe('Entry points', () => {
  it('importing the package runs nothing: no AWS SDK loaded, no output, no environment needed', async () => {
    // A resolve hook records every module the import pulls in.
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.push(r.url); return r; } });
      const api = await import('@eks-o11y/slack-notifier');
      const asset = await import('@eks-o11y/slack-notifier/lambda-asset');
      console.log(JSON.stringify({ aws: seen.filter((u) => u.includes('@aws-sdk')), exports: Object.keys(api).length, asset: asset.LAMBDA_HANDLER }));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      env: { PATH: process.env.PATH },
    });
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { aws: string[]; exports: number; asset: string };
    expect(result.aws).toEqual([]);
    expect(result.exports).toBeGreaterThan(20);
    expect(result.asset).toBe('index.handler');
  });

  it('CommonJS code can require() the package, as the README says', async () => {
    const script = `const { SlackNotifier, parseAlertPayload } = require('@eks-o11y/slack-notifier'); console.log(typeof SlackNotifier, typeof parseAlertPayload);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: packageDir, env: { PATH: process.env.PATH } });
    expect(stdout.trim()).toBe('function function');
  });

  it('the lambda-asset subpath imports nothing but node:url', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(join(packageDir, 'lib', 'lambda-asset.js'), 'utf8');
    expect([...source.matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1])).toEqual(['node:url']);
  });
});
