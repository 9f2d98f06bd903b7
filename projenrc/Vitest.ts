import { SourceCode } from 'projen';
import type { TypeScriptProject } from 'projen/lib/typescript';
import { VERSIONS } from './versions';

/** Options for {@link Vitest}. */
export interface VitestOptions {
  /**
   * Per-test timeout in milliseconds. CDK synthesis tests need more than vitest's 5 s default.
   * @default 30_000
   */
  readonly testTimeout?: number;
  /**
   * Run test files one at a time. Set for suites whose tests start fixed-port servers.
   * @default false
   */
  readonly serial?: boolean;
}

/**
 * Vitest for one package: the dev dependency, a `vitest.config.ts`, and a `test` task.
 *
 * projen has no vitest component (projen#4329), so every package takes this one instead of
 * jest. Each run also writes a JSON report to `reports/vitest.json`, which the root sums into
 * the one "N passed, N failed" line CI reads.
 */
export class Vitest {
  public constructor(project: TypeScriptProject, options: VitestOptions = {}) {
    project.addDevDeps(`vitest@${VERSIONS.vitest}`, `@vitest/coverage-v8@${VERSIONS.coverageV8}`);
    const config = new SourceCode(project, 'vitest.config.ts');
    config.line(`// ${config.marker}`);
    config.line("import { defineConfig } from 'vitest/config';");
    config.line('');
    config.open('export default defineConfig({');
    config.open('test: {');
    config.line("include: ['test/**/*.test.ts'],");
    config.line(`testTimeout: ${options.testTimeout ?? 30_000},`);
    config.line(`hookTimeout: ${options.testTimeout ?? 30_000},`);
    if (options.serial) {
      config.line('fileParallelism: false,');
    }
    config.line("reporters: ['default', 'json'],");
    config.line("outputFile: { json: 'reports/vitest.json' },");
    config.line('allowOnly: false,');
    config.close('},');
    config.close('});');

    project.testTask.reset('vitest run');
    project.addTask('test:watch', { exec: 'vitest' });
    project.gitignore.exclude('/reports/');
    project.npmignore?.exclude('/reports/', '/vitest.config.ts');
  }
}
