/**
 * package-lock.json records every workspace's declared dependencies. `npm ci` and `npm install` both accept a
 * lockfile whose workspace entries have drifted from the manifests (a dependency removed from package.json but
 * still listed), so this checks it: each workspace entry must declare what its package.json declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Declared = Partial<Record<(typeof FIELDS)[number], Record<string, string>>>;
const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, Declared> };
const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Declared & { workspaces: string[] };
const workspaceDirs = Object.keys(lock.packages).filter((path) => path !== '' && !path.includes('node_modules/'));

describe('package-lock.json matches the workspace manifests', () => {
  it('has an entry for every workspace and no entry without one', () => {
    expect(workspaceDirs.filter((dir) => !existsSync(join(repoRoot, dir, 'package.json')))).toEqual([]);
    expect([...rootManifest.workspaces].sort()).toEqual([...workspaceDirs].sort());
  });

  // To repair a drifted entry: npm install --package-lock-only --ignore-scripts -w <workspace>, and commit the lockfile.
  it.each(['', ...workspaceDirs])('declares what %s/package.json declares', (dir) => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as Declared;
    for (const field of FIELDS) expect(lock.packages[dir]![field] ?? {}, `${dir || '(root)'} ${field}`).toEqual(manifest[field] ?? {});
  });
});
