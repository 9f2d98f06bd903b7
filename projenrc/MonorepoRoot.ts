import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFile, javascript, typescript } from 'projen';
import { EslintFlatConfig } from './EslintFlatConfig';
import { Nx } from './Nx';
import { HOUSE_OPTIONS } from './houseOptions';
import { VERSIONS } from './versions';
import type { WorkspacePackage } from './WorkspacePackage';

/**
 * The repository root: npm workspaces, the one lockstep version, the shared TypeScript and
 * ESLint settings, nx, and the root tasks that fan out to every package.
 */
export class MonorepoRoot extends typescript.TypeScriptProject {
  /** The version every workspace package carries, read from `version.json` (bumped by `npm run release`). */
  public readonly version: string;

  public constructor() {
    super({
      name: 'eks-o11y',
      description: 'Errors from Kubernetes applications on Amazon EKS into Slack, with the traces, metrics and logs behind them.',
      ...HOUSE_OPTIONS,
      projenrcTs: true,
      disableTsconfig: true,
      entrypoint: '',
      srcdir: 'projenrc',
      tsconfigDevFile: 'tsconfig.dev.json',
      tsconfigDev: {
        compilerOptions: {
          module: 'CommonJS',
          moduleResolution: javascript.TypeScriptModuleResolution.NODE10,
          target: 'ES2022',
          lib: ['ES2022'],
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['.projenrc.ts', 'projenrc/**/*.ts'],
      },
      projenVersion: VERSIONS.projen,
      devDeps: [
        `node@${VERSIONS.node}`,
        `@types/node@${VERSIONS.typesNode}`,
        `nx@${VERSIONS.nx}`,
        `tsx@${VERSIONS.tsx}`,
        `eslint@${VERSIONS.eslint}`,
        `typescript-eslint@${VERSIONS.typescriptEslint}`,
        'ts-node@^10.9.2',
      ],
    });
    this.version = (JSON.parse(readFileSync(join(__dirname, '..', 'version.json'), 'utf8')) as { version: string }).version;
    this.package.addVersion(this.version);
    this.package.addField('private', true);
    // npm 11 asks for an allowlist of install scripts: the Node 24 toolchain unpacks its binary in a
    // preinstall script, esbuild links its platform binary, nx registers its native bindings.
    this.package.addAllowedScripts('node', 'esbuild', 'nx');

    new JsonFile(this, 'tsconfig.base.json', {
      obj: {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          noFallthroughCasesInSwitch: true,
          exactOptionalPropertyTypes: false,
          declaration: true,
          declarationMap: true,
          sourceMap: true,
          esModuleInterop: true,
          skipLibCheck: true,
          resolveJsonModule: true,
          isolatedModules: true,
          verbatimModuleSyntax: false,
          forceConsistentCasingInFileNames: true,
          types: ['node'],
        },
      },
    });
    new EslintFlatConfig(this);
    new Nx(this);

    const nx = 'nx run-many --output-style=stream';
    // projen's `build` task is locked to its release phases; the root build is nx's instead.
    this.setScript('build', `${nx} -t build`);
    this.testTask.reset(`${nx} -t test`);
    this.testTask.exec('node scripts/test-summary.mjs');
    this.addTask('lint', {
      description: 'Lint every package and type-check the projen configuration',
      steps: [{ exec: 'eslint --max-warnings 0 .projenrc.ts projenrc scripts' }, { exec: 'tsc -p tsconfig.dev.json' }, { exec: `${nx} -t lint` }],
    });
    this.addTask('bench', { description: 'Run every benchmark (writes bench/results/*.json)', exec: `${nx} -t bench` });
    this.addTask('synth', {
      description: 'The main job: synthesise examples/alarms-to-slack offline',
      exec: 'nx run @eks-o11y/example-alarms-to-slack:synth --output-style=stream',
    });
    this.addTask('demo', {
      description: 'The local alert loop: an application error reaching Slack (or a local sink) within seconds',
      exec: 'nx run @eks-o11y/example-local-alert-loop:demo --output-style=stream',
      receiveArgs: true,
    });
    this.addTask('docs:build', { description: 'Build the documentation site', exec: 'nx run @eks-o11y/docs:docs:build --output-style=stream' });
    this.addTask('release', {
      description: 'Bump the lockstep version of every package: npm run release -- <patch|minor|major>',
      exec: 'node scripts/bump-version.mjs',
      receiveArgs: true,
    });
    for (const unused of ['eject', 'watch']) {
      this.removeTask(unused);
    }
    this.gitignore.exclude('/.nx/', 'node_modules/', '*.tsbuildinfo', '/reports/', '.DS_Store');
  }

  /** The projen configuration itself runs as CommonJS under ts-node; it sets its own options. */
  protected override defaultTypeScriptCompilerOptions(): javascript.TypeScriptCompilerOptions {
    return {};
  }

  /** Declare the npm workspaces once every package is known. */
  public registerWorkspaces(packages: WorkspacePackage[]): void {
    this.package.addField('workspaces', packages.map((p) => p.outdir.slice(this.outdir.length + 1)).sort());
  }
}
