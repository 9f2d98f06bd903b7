import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

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
});
