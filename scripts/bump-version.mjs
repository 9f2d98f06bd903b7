#!/usr/bin/env node
// Bumps the one version every package carries (lockstep): `npm run release -- <patch|minor|major>`.
// version.json is the source; `npx projen` then rewrites every package.json and internal dependency.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const level = process.argv[2];
const file = new URL('../version.json', import.meta.url);
const { version } = JSON.parse(readFileSync(file, 'utf8'));
const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
if (!match || !['patch', 'minor', 'major'].includes(level ?? '')) {
  console.error(`usage: npm run release -- <patch|minor|major>   (current version: ${version})`);
  process.exit(2);
}
let [major, minor, patch] = match.slice(1).map(Number);
if (level === 'major') [major, minor, patch] = [major + 1, 0, 0];
if (level === 'minor') [minor, patch] = [minor + 1, 0];
if (level === 'patch') patch += 1;
const next = `${major}.${minor}.${patch}`;
writeFileSync(file, `${JSON.stringify({ version: next }, null, 2)}\n`);
execFileSync('npx', ['projen'], { stdio: 'inherit' });
console.log(`eks-o11y ${version} -> ${next}: every package.json now carries ${next}; commit, tag v${next}, then npm publish --workspaces.`);
