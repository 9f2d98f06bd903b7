import { javascript } from 'projen';
import { VERSIONS } from './versions';

/**
 * The projen options every project of the monorepo shares, root and packages alike: npm, our
 * TypeScript pin, Node >= 22.12 (the first release that `require()`s ES modules), and none of
 * projen's per-project jest, ESLint, GitHub or release machinery (nx, vitest and the shared
 * ESLint config replace them).
 */
export const HOUSE_OPTIONS = {
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  typescriptVersion: VERSIONS.typescript,
  minNodeVersion: '22.12.0',
  jest: false,
  eslint: false,
  prettier: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  package: false,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 'The eks-o11y authors',
  authorName: 'The eks-o11y authors',
} as const;
