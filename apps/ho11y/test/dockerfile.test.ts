import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from './helpers/ho11y-process.js';

// No Docker daemon here: the image cannot be built in CI, so its recipe is checked instead.
const dockerfile = readFileSync(join(PACKAGE_DIR, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages: string[][] = [];
for (const instruction of instructions) {
  if (/^FROM /i.test(instruction)) stages.push([]);
  stages.at(-1)?.push(instruction);
}
const finalStage = stages.at(-1) ?? [];

describe('Dockerfile', () => {
  it('is multi-stage on a small Node.js base: the exact release the repository builds and tests with', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:\$\{NODE_VERSION\}-alpine\b/);
    const root = JSON.parse(readFileSync(join(PACKAGE_DIR, '..', '..', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(root.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
    expect(instructions).toContain(`ARG NODE_VERSION=${root.devDependencies.node}`);
  });

  it('runs the final stage as a numeric non-root user', () => {
    const users = finalStage.filter((line) => line.startsWith('USER '));
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] as string).slice(5).split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    // The chart's runAsUser matches.
    expect(uid).toBe(1000);
  });

  it('exposes 8765 and starts the CLI that package.json declares as the ho11y bin', () => {
    expect(finalStage).toContain('EXPOSE 8765');
    const bin = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { bin: { ho11y: string } }).bin.ho11y;
    expect(finalStage).toContain(`ENTRYPOINT ["node", "/app/node_modules/@eks-o11y/ho11y/${bin}"]`);
  });

  it('ships production dependencies only: the final stage copies the --omit=dev install, never the build stage', () => {
    const copies = finalStage.filter((line) => line.startsWith('COPY'));
    expect(copies).toEqual(['COPY --from=runtime-deps --chown=0:0 /app/node_modules ./node_modules']);
    const runtimeDeps = stages.find((stage) => / AS runtime-deps$/.test(stage[0] ?? '')) ?? [];
    const install = runtimeDeps.find((line) => line.includes('npm install')) ?? '';
    expect(install).toMatch(/--omit=dev/);
    expect(install).toMatch(/--omit=peer/);
    expect(install).toMatch(/\/pack\/\*\.tgz/);
    expect(finalStage.some((line) => /npm (ci|install)/.test(line))).toBe(false);
  });

  it('keeps node_modules and build output of the host out of the build context', () => {
    const ignore = readFileSync(join(PACKAGE_DIR, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/lib', '.git']));
  });

  it('packs what the image installs: the compiled CLI and no tests', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ) as { files: { path: string }[] }[];
    const files = (packed?.files ?? []).map((file) => file.path);
    expect(files).toContain('lib/cli.js');
    expect(files).toContain('lib/k8s/index.js');
    expect(files.some((file) => file.startsWith('test/') || file === 'Dockerfile')).toBe(false);
  });
});
