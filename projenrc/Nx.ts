import type { Project } from 'projen';
import { JsonFile } from 'projen';

/**
 * The nx task graph for the workspace.
 *
 * Each package exposes `build`, `test`, `lint` and `bench` as package.json scripts; nx infers the
 * targets from them. The defaults here say what each target depends on and what it reads and
 * writes, so that a second `npm test` with nothing changed is answered from the cache.
 */
export class Nx {
  public constructor(root: Project) {
    new JsonFile(root, 'nx.json', {
      obj: {
        $schema: './node_modules/nx/schemas/nx-schema.json',
        // The cache lives inside the work tree so CI and developers get the same behaviour.
        cacheDirectory: '.nx/cache',
        namedInputs: {
          default: ['{projectRoot}/**/*', 'sharedGlobals'],
          sharedGlobals: ['{workspaceRoot}/tsconfig.base.json', '{workspaceRoot}/eslint.config.mjs', { runtime: 'node -v' }],
          production: ['default', '!{projectRoot}/test/**/*', '!{projectRoot}/bench/**/*', '!{projectRoot}/vitest.config.ts', '!{projectRoot}/README.md'],
        },
        targetDefaults: {
          build: {
            dependsOn: ['^build'],
            inputs: ['production', '^production'],
            outputs: ['{projectRoot}/lib', '{projectRoot}/dist', '{projectRoot}/cdk.out'],
            cache: true,
          },
          test: {
            dependsOn: ['^build', 'build'],
            inputs: ['default', '^production'],
            outputs: ['{projectRoot}/reports'],
            cache: true,
          },
          lint: {
            dependsOn: ['^build'],
            inputs: ['default', '^production'],
            cache: true,
          },
          synth: {
            dependsOn: ['^build'],
            // The main job: users expect to watch it run, so it is never replayed from the cache.
            cache: false,
          },
          demo: {
            dependsOn: ['^build', 'build'],
            cache: false,
          },
          bench: {
            dependsOn: ['^build', 'build'],
            // Benchmarks measure the machine they run on: never answer them from a cache.
            cache: false,
          },
          'docs:build': {
            dependsOn: ['^build'],
            inputs: ['default', '^production'],
            outputs: ['{projectRoot}/.vitepress/dist', '{projectRoot}/api'],
            cache: true,
          },
        },
        // The task runner reads nothing from the network: no Nx Cloud, no analytics.
        neverConnectToCloud: true,
        useDaemonProcess: false,
      },
      committed: true,
    });
  }
}
