/**
 * Runs every benchmark in this folder (`*.bench.ts`), one at a time and each in its own process,
 * so one benchmark's heap and JIT state never colour another's figures.
 *
 * Each benchmark measures eks-o11y against the alternative a user would pick, in the same run,
 * and writes `results/<name>.json`; the docs site renders those files (docs/benchmarks/).
 * `npm run bench -- <filter>` runs only the benchmarks whose file name contains the filter.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`No benchmark matches "${filter}". Benchmarks: ${readdirSync(here).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(2);
}
let failures = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, bench)], { stdio: 'inherit', cwd: here });
  if (result.status !== 0) {
    failures += 1;
    console.error(`${bench} failed with exit code ${result.status}`);
  }
}
process.exitCode = failures ? 1 : 0;
