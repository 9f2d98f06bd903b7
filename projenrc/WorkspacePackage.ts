import { posix } from 'node:path';
import { JsonFile, typescript, javascript } from 'projen';
import type { MonorepoRoot } from './MonorepoRoot';
import { Vitest, type VitestOptions } from './Vitest';
import { HOUSE_OPTIONS } from './houseOptions';
import { VERSIONS } from './versions';

/** Options for {@link WorkspacePackage}. */
export interface WorkspacePackageOptions {
  /** Folder of the package, relative to the repository root (`packages/slack-notifier`). */
  readonly outdir: string;
  /** npm name (`@eks-o11y/slack-notifier`). */
  readonly name: string;
  /** One sentence for package.json and the package table. */
  readonly description: string;
  /**
   * Published to npm, versioned in lockstep and proven by the packed-tarball install test.
   * @default true
   */
  readonly publishable?: boolean;
  /** Third-party runtime dependencies, `name@range`. */
  readonly deps?: string[];
  /** Third-party dev dependencies, `name@range`. */
  readonly devDeps?: string[];
  /** Peer dependencies, `name@range`; they are also installed as dev dependencies for the tests. */
  readonly peerDeps?: string[];
  /** Peer dependencies the package works without (framework adapters, optional backends). */
  readonly optionalPeerDeps?: string[];
  /** Packages of this monorepo that this one depends on at run time. */
  readonly workspaceDeps?: WorkspacePackage[];
  /** Packages of this monorepo needed only by tests, benchmarks or the build. */
  readonly workspaceDevDeps?: WorkspacePackage[];
  /**
   * Subpath exports: subpath -> module under `src/` without extension.
   * @default { '.': 'index' }
   */
  readonly exports?: Record<string, string>;
  /** Executables: command name -> module under `src/` without extension. */
  readonly bin?: Record<string, string>;
  /**
   * Vitest settings for this package, or `false` for a package without tests (the docs site).
   * @default - vitest with the defaults of {@link VitestOptions}
   */
  readonly vitest?: VitestOptions | false;
  /**
   * Compile `src/` with tsc. Off for folders that only run TypeScript (benchmarks, docs).
   * @default true
   */
  readonly compile?: boolean;
  /** Extra keywords for npm search. */
  readonly keywords?: string[];
  /**
   * Extra paths published to npm besides `lib`, `README.md` and `LICENSE` (build outputs such as a
   * pre-bundled Lambda asset in `dist/lambda`).
   * @default []
   */
  readonly extraFiles?: string[];
}

/**
 * One npm workspace of the monorepo, with the house conventions applied once:
 * ESM with an `exports` map and types, TypeScript strict through `tsconfig.base.json`,
 * vitest, the shared ESLint config, and the `build`/`test`/`lint` scripts that nx runs.
 */
export class WorkspacePackage extends typescript.TypeScriptProject {
  public readonly publishable: boolean;
  public readonly packageName: string;
  public readonly packageDescription: string;

  public constructor(root: MonorepoRoot, options: WorkspacePackageOptions) {
    const publishable = options.publishable ?? true;
    const baseTsconfig = posix.join(posix.relative(options.outdir, '.'), 'tsconfig.base.json');
    super({
      parent: root,
      outdir: options.outdir,
      name: options.name,
      packageName: options.name,
      description: options.description,
      ...HOUSE_OPTIONS,
      projenrcTs: false,
      projenDevDependency: false,
      npmignoreEnabled: false,
      repository: 'https://github.com/eks-o11y/eks-o11y',
      repositoryDirectory: options.outdir,
      keywords: ['aws', 'eks', 'observability', 'slack', ...(options.keywords ?? [])],
      srcdir: 'src',
      libdir: 'lib',
      testdir: 'test',
      entrypoint: 'lib/index.js',
      entrypointTypes: 'lib/index.d.ts',
      tsconfig: {
        extends: javascript.TypescriptConfigExtends.fromPaths([baseTsconfig]),
        compilerOptions: { rootDir: 'src', outDir: 'lib' },
        include: ['src/**/*.ts'],
        exclude: ['lib', 'node_modules'],
      },
      tsconfigDevFile: 'tsconfig.dev.json',
      tsconfigDev: {
        compilerOptions: { noEmit: true, rootDir: '.' },
        exclude: ['lib', 'node_modules'],
      },
      deps: options.deps,
      // projen also adds each peer as a devDependency pinned to the lowest version its range allows: built and tested on that.
      devDeps: [`@types/node@${VERSIONS.typesNode}`, ...(options.devDeps ?? [])],
      peerDeps: [...(options.peerDeps ?? []), ...(options.optionalPeerDeps ?? [])],
    });
    this.publishable = publishable;
    this.packageName = options.name;
    this.packageDescription = options.description;

    // npm workspaces install every package from the root; projen must not run a second
    // `npm install` inside the package, which would create a nested lockfile.
    for (const install of ['install', 'install:ci']) {
      this.tasks.tryFind(install)?.reset();
      this.tasks.tryFind(install)?.say('npm workspaces install every package from the repository root');
    }

    for (const dep of options.workspaceDeps ?? []) {
      this.addDeps(`${dep.packageName}@${root.version}`);
    }
    for (const dep of options.workspaceDevDeps ?? []) {
      this.addDevDeps(`${dep.packageName}@${root.version}`);
    }
    for (const dep of options.optionalPeerDeps ?? []) {
      const name = dep.replace(/@[^@/]+$/, '');
      this.package.addField('peerDependenciesMeta', {
        ...(this.package.manifest.peerDependenciesMeta ?? {}),
        [name]: { optional: true },
      });
      this.addDevDeps(dep);
    }

    this.package.addVersion(root.version);
    this.package.addField('type', 'module');
    if (publishable) {
      this.package.addField('publishConfig', { access: 'public' });
      // src: the source maps and declaration maps in lib point there (stack traces, go to definition).
      this.package.addField('files', ['lib', 'src', ...(options.extraFiles ?? []), 'README.md', 'LICENSE']);
    } else {
      this.package.addField('private', true);
    }
    this.package.addField('sideEffects', false);
    const subpaths = options.exports ?? { '.': 'index' };
    this.package.addField(
      'exports',
      Object.fromEntries([
        ...Object.entries(subpaths).map(([subpath, module]) => [
          subpath,
          { types: `./lib/${module}.d.ts`, default: `./lib/${module}.js` },
        ]),
        ['./package.json', './package.json'],
      ]),
    );
    if (options.bin) {
      this.package.addBin(Object.fromEntries(Object.entries(options.bin).map(([cmd, mod]) => [cmd, `lib/${mod}.js`])));
    }

    if (publishable) {
      // The API reference on the docs site is generated from these entry points' TSDoc.
      new JsonFile(this, 'typedoc.json', {
        obj: {
          entryPoints: Object.values(subpaths).map((module) => `src/${module}.ts`),
          tsconfig: 'tsconfig.json',
          readme: 'none',
        },
        // TypeDoc rejects unknown keys, including projen's "//" marker.
        marker: false,
      });
    }

    if (options.vitest !== false) {
      new Vitest(this, options.vitest);
    }

    // Builds are plain tsc; packages append their own steps (bundles, assets) to post-compile.
    // nx's `build` target compiles only: projen's own `build` task would also run the tests.
    const compile = options.compile ?? true;
    this.compileTask.reset();
    if (compile) {
      // A clean lib/: a renamed or deleted module must not linger in the next `npm pack`.
      this.compileTask.exec('rm -rf lib');
      this.compileTask.exec('tsc -p tsconfig.json');
    }
    this.setScript('build', 'projen compile && projen post-compile');
    this.addTask('lint', {
      description: 'ESLint with the shared config, then a type check of sources and tests',
      steps: [{ exec: 'eslint --max-warnings 0 .' }, { exec: 'tsc -p tsconfig.dev.json' }],
    });
    for (const unused of ['eject', 'watch']) {
      this.removeTask(unused);
    }
    this.gitignore.exclude('/lib/', '/dist/', '/cdk.out/', '*.tsbuildinfo');
  }

  /** Compiler options come from tsconfig.base.json alone, not from projen's CommonJS defaults. */
  protected override defaultTypeScriptCompilerOptions(): javascript.TypeScriptCompilerOptions {
    return {};
  }
}
