/**
 * What we publish works for a user: every publishable package is packed with `npm pack`, the
 * tarballs are installed into a fresh project outside the repository, and each `exports` subpath
 * is imported from ESM, required from CommonJS, and type-checked from both module systems.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const workspaces = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const published = workspaces
  .map((dir) => ({ dir: join(repoRoot, dir), manifest: JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

/** `./k8s` -> `@eks-o11y/ho11y/k8s`; the `./package.json` export is not a module. */
const moduleSpecifiers = (manifest: Manifest): string[] =>
  Object.keys(manifest.exports ?? { '.': null })
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));

let consumer: string;
const tarballs = new Map<string, string[]>();

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'eks-o11y-consumer-'));
  const packDir = join(consumer, 'tarballs');
  mkdirSync(packDir);
  const paths: string[] = [];
  for (const { dir, manifest } of published) {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], dir)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarballs.set(manifest.name, packed!.files.map((f) => f.path));
    paths.push(join(packDir, packed!.filename));
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  // Peer dependencies (aws-cdk-lib, eks-blueprints, cdk8s, express, ...) are the user's own; link the
  // workspace's copies instead of downloading 700 MB again. Regular dependencies come from the registry.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--legacy-peer-deps', '--no-package-lock', ...paths], consumer);
  // @types/node too: a Node.js project has it, and the type check below reads every declaration file.
  const peers = new Set(['@types/node', ...published.flatMap(({ manifest }) => Object.keys(manifest.peerDependencies ?? {}))]);
  for (const peer of peers) {
    const source = join(repoRoot, 'node_modules', peer);
    const target = join(consumer, 'node_modules', peer);
    if (existsSync(source) && !existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(source, target, 'dir');
    }
  }
}, 300_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('npm pack of every publishable package', () => {
  it('finds the publishable packages', () => {
    expect(published.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@eks-o11y/slack-notifier', '@eks-o11y/cdk-constructs', '@eks-o11y/instrumentation']),
    );
  });

  it.each(published.map((p) => [p.manifest.name]))('%s ships compiled code, types, sources, README and LICENSE, and no tests', (name) => {
    const files = tarballs.get(name)!;
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files).toContain('lib/index.js');
    expect(files).toContain('lib/index.d.ts');
    expect(files).toContain('src/index.ts');
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|\.tsbuildinfo$/.test(f))).toEqual([]);
  });

  it.each(published.map((p) => [p.manifest.name]))('%s: every source map points at files the package ships', (name) => {
    const files = new Set(tarballs.get(name)!);
    const dir = published.find((p) => p.manifest.name === name)!.dir;
    const maps = [...files].filter((f) => f.startsWith('lib/') && f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) =>
      (JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] }).sources
        .map((source) => posix.normalize(posix.join(posix.dirname(map), source)))
        .filter((source) => !files.has(source))
        .map((source) => `${map} -> ${source}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('a fresh project that installed the tarballs', () => {
  const cases = published.flatMap(({ manifest }) => moduleSpecifiers(manifest).map((specifier) => [specifier]));

  it.each(cases)('imports %s from ESM and requires it from CommonJS with the same exports', (specifier) => {
    const esm = run(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'module.exports').sort()))`],
      consumer,
    );
    const cjs = run(
      process.execPath,
      ['--no-warnings', '-e', `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()))`],
      consumer,
    );
    const esmKeys = JSON.parse(esm) as string[];
    expect(esmKeys.length).toBeGreaterThan(0);
    expect(JSON.parse(cjs)).toEqual(esmKeys);
  });

  it('type-checks every subpath from an ES module and from a CommonJS module', () => {
    const specifiers = cases.map(([s]) => s!);
    const esm = specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport const use${i}: keyof typeof m${i} = Object.keys(m${i})[0] as keyof typeof m${i};`);
    const cjs = specifiers.map((s, i) => `import m${i} = require('${s}');\nexport const use${i}: keyof typeof m${i} = Object.keys(m${i})[0] as keyof typeof m${i};`);
    writeFileSync(join(consumer, 'consumer.mts'), esm.join('\n'));
    writeFileSync(join(consumer, 'consumer.cts'), cjs.join('\n'));
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        // skipLibCheck off: a declaration file of ours that names a type its dependencies do not bring fails here.
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    // noImplicitAny turns a missing or unresolvable declaration file into error TS7016.
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
