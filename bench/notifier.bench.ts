/**
 * The Slack notifier Lambda: cold start of the bundled handler in a fresh Node process (import + first
 * invocation posting the blog's test event to a local Slack sink), RSS after it, bundle size and
 * alerts rendered per second. Compared in the same run with the same handler without bundling
 * (tsc output + node_modules) and with a behavioural equivalent of the blog's Python Lambda
 * (boto3 imported at init, first SNS record only), and against the blog's reported Lambda figures.
 * Targets: bundle <= 300 KB, cold import + first post <= 80 ms, RSS <= 70 MB, >= 20,000 renders/s.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parseSnsMessage, renderSlackMessage } from '@eks-o11y/slack-notifier';
import { LAMBDA_ASSET_DIR } from '@eks-o11y/slack-notifier/lambda-asset';
import { startSlackSink } from '@eks-o11y/slack-notifier/testing';
import { writeResults } from './support/results.js';
import { median } from './support/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', 'packages', 'slack-notifier');
const REPETITIONS = Number(process.env['NOTIFIER_BENCH_REPETITIONS'] ?? 15);
const TARGETS = { bundleKb: 300, coldMs: 80, rssMb: 70, rendersPerSecond: 20_000 } as const;
/** The blog's Lambda report (Python 3.7, 128 MB): REPORT Init Duration 399 ms, Duration 292 ms, Max Memory Used 69 MB. */
const BLOG = { initMs: 399, durationMs: 292, maxMemoryMb: 69 } as const;

const event = JSON.parse(readFileSync(join(packageDir, 'test', 'events', 'cloudwatch-sns', 'ho11y-400-alarm.json'), 'utf8')) as {
  Records: { Sns: { Message: string; Subject: string; TopicArn: string } }[];
};

interface ColdRun {
  importMs: number;
  firstInvokeMs: number;
  totalMs: number;
  rssMb: number;
  wallMs: number;
}

const childScript = (modulePath: string) => `
  const t0 = performance.now();
  const { handler } = await import(${JSON.stringify(modulePath)});
  const t1 = performance.now();
  await handler(JSON.parse(process.env.EVENT), { getRemainingTimeInMillis: () => 3000, functionName: 'bench', awsRequestId: 'bench' });
  const t2 = performance.now();
  console.log(JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, totalMs: t2 - t0, rssMb: process.memoryUsage().rss / 1048576 }));`;

// Asynchronous on purpose: the sink answers from this process's event loop.
async function coldRun(command: string, args: string[], env: Record<string, string>): Promise<ColdRun> {
  const started = performance.now();
  const result = await promisify(execFile)(command, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', cwd: packageDir });
  const wallMs = performance.now() - started;
  const line = result.stdout.trim().split('\n').at(-1)!;
  return { ...(JSON.parse(line) as Omit<ColdRun, 'wallMs'>), wallMs };
}

const p90 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.9) - 1)]!;

function dirSize(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, entry) => sum + dirSize(join(path, entry)), 0);
}

const sink = await startSlackSink();
const env = { SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', POWERTOOLS_LOG_LEVEL: 'WARN', EVENT: JSON.stringify(event) };

const variants = [
  { name: 'bundled', description: 'ours: dist/lambda/index.mjs (esbuild, minified, SDK external)', run: () => coldRun(process.execPath, ['--input-type=module', '-e', childScript(join(LAMBDA_ASSET_DIR, 'index.mjs'))], env) },
  { name: 'unbundled', description: 'same handler, tsc output + node_modules', run: () => coldRun(process.execPath, ['--input-type=module', '-e', childScript(join(packageDir, 'lib', 'lambda', 'index.js'))], env) },
  {
    name: 'node-floor',
    description: 'floor: a fresh Node process importing an empty handler (no post)',
    run: () => coldRun(process.execPath, ['--input-type=module', '-e', childScript('data:text/javascript,export const handler = async () => ({});')], env),
  },
  { name: 'blog-python', description: "blog's Lambda, behavioural equivalent (Python, boto3 at init, KMS call skipped)", run: () => coldRun('python3', [join(here, 'notifier', 'blog_lambda_equivalent.py')], env) },
];

const runs: Record<string, ColdRun[]> = {};
for (const v of variants) {
  await v.run(); // warm the file-system cache, not counted
  runs[v.name] = [];
}
// Alternate the variants so drift on the machine hits all alike.
for (let i = 0; i < REPETITIONS; i++) for (const v of variants) runs[v.name]!.push(await v.run());
const delivered = sink.messages.length;
await sink.close();

// Renders per second: parse the SNS message and render Block Kit, in process, after warm-up.
const record = event.Records[0]!.Sns;
const renderOnce = () => renderSlackMessage(parseSnsMessage(record.Message, { subject: record.Subject, topicArn: record.TopicArn }));
for (let i = 0; i < 2000; i++) renderOnce();
let renders = 0;
const renderStart = performance.now();
while (performance.now() - renderStart < 2000) {
  for (let i = 0; i < 500; i++) renderOnce();
  renders += 500;
}
const rendersPerSecond = renders / ((performance.now() - renderStart) / 1000);

const bundleBytes = statSync(join(LAMBDA_ASSET_DIR, 'index.mjs')).size;
const bundleGzipBytes = gzipSync(readFileSync(join(LAMBDA_ASSET_DIR, 'index.mjs'))).length;
const nm = join(here, '..', 'node_modules');
const unbundledBytes =
  dirSize(join(packageDir, 'lib')) +
  ['zod', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/parser', '@aws-lambda-powertools/commons', '@slack/webhook', '@slack/types', 'p-retry', 'retry', '@aws/lambda-invoke-store']
    .map((p) => { try { return dirSize(join(nm, p)); } catch { return 0; } })
    .reduce((a, b) => a + b, 0);

const summary = Object.fromEntries(
  Object.entries(runs).map(([name, r]) => [
    name,
    {
      coldMedianMs: median(r.map((x) => x.totalMs)),
      coldP90Ms: p90(r.map((x) => x.totalMs)),
      importMedianMs: median(r.map((x) => x.importMs)),
      firstInvokeMedianMs: median(r.map((x) => x.firstInvokeMs)),
      processWallMedianMs: median(r.map((x) => x.wallMs)),
      rssMedianMb: median(r.map((x) => x.rssMb)),
    },
  ]),
);
const ours = summary['bundled']!;
const fmt = (n: number) => n.toFixed(1);
console.log(`\nSlack notifier Lambda (${REPETITIONS} cold starts each, ${cpus().length} CPU, Node ${process.version})`);
console.log('variant      | cold import+first post (median / p90) | import | first post | process wall | RSS');
for (const [name, s] of Object.entries(summary)) {
  console.log(`${name.padEnd(12)} | ${fmt(s.coldMedianMs).padStart(8)} ms / ${fmt(s.coldP90Ms).padStart(7)} ms         | ${fmt(s.importMedianMs).padStart(6)} | ${fmt(s.firstInvokeMedianMs).padStart(10)} | ${fmt(s.processWallMedianMs).padStart(12)} | ${fmt(s.rssMedianMb)} MB`);
}
console.log(`blog report  | Init ${BLOG.initMs} ms + Duration ${BLOG.durationMs} ms = ${BLOG.initMs + BLOG.durationMs} ms on Lambda (128 MB)            | Max Memory ${BLOG.maxMemoryMb} MB`);
console.log(`bundle: ${fmt(bundleBytes / 1024)} KB (${fmt(bundleGzipBytes / 1024)} KB gzip) vs unbundled ${fmt(unbundledBytes / 1024)} KB on disk`);
console.log(`renders/s: ${Math.round(rendersPerSecond)} (parse + Block Kit render of the ho11y alarm)`);
const checks = {
  bundleKb: bundleBytes / 1024 <= TARGETS.bundleKb,
  coldMs: ours.coldMedianMs <= TARGETS.coldMs,
  rssMb: ours.rssMedianMb <= TARGETS.rssMb,
  rendersPerSecond: rendersPerSecond >= TARGETS.rendersPerSecond,
  allDelivered: delivered === (REPETITIONS + 1) * (variants.length - 1),
};
console.log(`targets: ${JSON.stringify(checks)}`);

writeResults('notifier', {
  repetitions: REPETITIONS,
  targets: TARGETS,
  blogReport: BLOG,
  variants: Object.fromEntries(variants.map((v) => [v.name, { description: v.description, ...summary[v.name] }])),
  bundle: { bytes: bundleBytes, gzipBytes: bundleGzipBytes, unbundledBytesOnDisk: unbundledBytes },
  rendersPerSecond: Math.round(rendersPerSecond),
  ratios: {
    coldBundledVsUnbundled: ours.coldMedianMs / summary['unbundled']!.coldMedianMs,
    coldBundledVsBlogPython: ours.coldMedianMs / summary['blog-python']!.coldMedianMs,
    coldBundledVsBlogReportInitPlusDuration: ours.coldMedianMs / (BLOG.initMs + BLOG.durationMs),
  },
  checks,
});
if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
