import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** A benchmark's report: anything, plus machine facts of its own (they are added to, or override, the common ones). */
type Report = Record<string, unknown> & { machine?: Record<string, unknown> };

/**
 * Writes `results/<benchmark>.json`: the benchmark's name, when it was measured, the machine (Node version, CPU
 * count and model) and `report`.
 */
const writeResults = (benchmark: string, report: Report): void => {
  const { machine, ...rest } = report;
  const file = join(RESULTS_DIR, `${benchmark}.json`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark,
        measuredAt: new Date().toISOString(),
        machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', ...machine },
        ...rest,
      },
      null,
      2,
    )}\n`,
  );
};

export { writeResults };
