/**
 * Synth time of examples/alarms-to-slack (the blog's blueprint + ho11y + Slack notifier + alarms,
 * built from eks-o11y) against the blog's bare blueprint (same add-ons, EKS Blueprints alone).
 *
 * Both apps run the same way, as the CDK CLI runs them (`node --import tsx <app>` with CDK_OUTDIR and
 * the example's cdk.json context), in alternating order so drift on the machine hits both alike.
 * The CLI's own start-up (~1 s, identical for both) is left out so the ratio shows what our
 * constructs cost. Target: ours <= 1.3x bare (median of the per-repetition ratios).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './support/results.js';
import { interquartile, median } from './support/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const exampleDir = join(here, '..', 'examples', 'alarms-to-slack');
const REPETITIONS = Number(process.env['SYNTH_BENCH_REPETITIONS'] ?? 15);
const TARGET_RATIO = 1.3;

interface Variant {
  readonly name: string;
  readonly description: string;
  readonly entry: string;
}

const variants: Variant[] = [
  { name: 'bare', description: "blog's bare blueprint (EKS Blueprints only)", entry: join(here, 'synth', 'bare-blueprint-app.ts') },
  { name: 'ours', description: 'examples/alarms-to-slack (+ control-plane logs, ho11y, notifier, both alarms)', entry: join(exampleDir, 'src', 'main.ts') },
];

const context = (JSON.parse(readFileSync(join(exampleDir, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

function synthOnce(variant: Variant): { ms: number; resources: number } {
  const outdir = mkdtempSync(join(tmpdir(), `synth-bench-${variant.name}-`));
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', variant.entry], {
      cwd: exampleDir,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context), AWS_EC2_METADATA_DISABLED: 'true' },
      encoding: 'utf8',
    });
    const ms = performance.now() - started;
    if (result.status !== 0) {
      throw new Error(`${variant.name} synth failed (exit ${result.status}):\n${result.stderr}`);
    }
    const template = JSON.parse(readFileSync(join(outdir, 'demo-cluster.template.json'), 'utf8')) as { Resources: object };
    return { ms, resources: Object.keys(template.Resources).length };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// One warm-up each (tsx transform cache, file system cache), not counted.
for (const variant of variants) synthOnce(variant);

const samples: Record<string, number[]> = { bare: [], ours: [] };
const resources: Record<string, number> = {};
for (let i = 0; i < REPETITIONS; i += 1) {
  const order = i % 2 === 0 ? variants : [...variants].reverse();
  for (const variant of order) {
    const run = synthOnce(variant);
    samples[variant.name]!.push(run.ms);
    resources[variant.name] = run.resources;
  }
}

// One ratio per repetition (its two runs are back to back), so a slow spell of the shared machine hits both
// sides of a ratio: between runs of the same code the ratio of the two medians moved by 0.16, this one by 0.04.
const pairRatios = samples['ours']!.map((ms, i) => ms / samples['bare']![i]!);
const ratio = median(pairRatios);
const ratioInterquartile = interquartile(pairRatios).map((r) => Number(r.toFixed(2)));
const rows = variants.map((v) => ({
  variant: v.name,
  description: v.description,
  resources: resources[v.name]!,
  medianMs: Math.round(median(samples[v.name]!)),
  samplesMs: samples[v.name]!.map(Math.round),
}));
console.table(rows.map(({ samplesMs: _samples, ...row }) => row));
console.log(
  `ratio ours/bare = ${ratio.toFixed(2)}, middle half of repetitions ${ratioInterquartile.join('-')} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}`,
);

writeResults('synth', {
  method: `node --import tsx <app> with CDK_OUTDIR and the example's cdk.json context; ${REPETITIONS} repetitions (bare and ours back to back, alternating which goes first) after one warm-up each; ratio = median of the per-repetition ratios`,
  repetitions: REPETITIONS,
  variants: rows,
  ratio: Number(ratio.toFixed(3)),
  ratioInterquartile,
  target: TARGET_RATIO,
  targetMet: ratio <= TARGET_RATIO,
});
