import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PACKAGE_DIR } from './helpers/ho11y-process.js';

/** The ```ts blocks of the README's Quickstart section, run as written. */
const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
const quickstart = readme.slice(readme.indexOf('## Quickstart'), readme.indexOf('## Knobs'));
const snippets = [...quickstart.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
// Inside the package so `@eks-o11y/ho11y` resolves through the workspace, as for a user.
const dir = mkdtempSync(join(PACKAGE_DIR, 'test', '.readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(snippet: string, name: string): Promise<string[]> {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, snippet);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await import(file);
    return log.mock.calls.map((call) => String(call[0]));
  } finally {
    log.mockRestore();
    stderr.mockRestore();
  }
}

describe('README quickstart', () => {
  it('has the server and the chart snippets', () => {
    expect(snippets).toHaveLength(2);
  });

  it('starts ho11y from code and gets an X-Ray trace id back', async () => {
    const printed = await run(snippets[0] as string, 'server');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('renders the chart to YAML', async () => {
    const [yaml] = await run(snippets[1] as string, 'chart');
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('name: frontend');
    expect(yaml).toContain('value: http://downstream0');
  });
});
