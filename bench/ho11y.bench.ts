/**
 * ho11y frontend (no downstreams, no failure injection, OpenMetrics on, logs to a pipe) against a bare
 * node:http server returning the same JSON, in requests per second on loopback.
 *
 * Both servers run as child processes; autocannon drives them from this process with the same load,
 * in alternating order so drift on the machine hits both alike. What the ratio shows is what ho11y's
 * per-request work costs: the server span and X-Ray trace id (backend `none`: no export), the RED
 * metrics, the `ho11y_total` counter and the JSON log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { autocannon, type AutocannonResult } from './support/autocannon.js';
import { writeResults } from './support/results.js';
import { median } from './support/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env['HO11Y_BENCH_ROUNDS'] ?? 3);
const DURATION_S = Number(process.env['HO11Y_BENCH_DURATION'] ?? 8);
const CONNECTIONS = 10;


const ho11yDir = dirname(fileURLToPath(import.meta.resolve('@eks-o11y/ho11y/package.json')));
const ho11yCli = join(
  ho11yDir,
  (JSON.parse(readFileSync(join(ho11yDir, 'package.json'), 'utf8')) as { bin: { ho11y: string } }).bin.ho11y,
);

interface Variant {
  readonly name: 'bare' | 'ho11y';
  readonly description: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  /** Which stream announces the port. */
  readonly announces: 'stdout' | 'stderr';
}

const variants: Variant[] = [
  { name: 'bare', description: 'bare node:http server, same JSON body', args: [join(here, 'ho11y', 'bare-server.mjs')], env: {}, announces: 'stdout' },
  {
    name: 'ho11y',
    description: 'ho11y frontend: no downstreams, no failure injection',
    args: [ho11yCli],
    env: { HO11Y_PORT: '', HO11Y_HOST: '127.0.0.1', OTEL_RESOURCE_ATTRIB: 'frontend' },
    announces: 'stderr',
  },
];

async function startServer(variant: Variant): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, variant.args, {
    env: { PATH: process.env['PATH'], NODE_ENV: 'production', ...variant.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Read and drop the log lines, as a container runtime would consume them.
  const port = await new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        const match = /listening on port :(\d+)/.exec(line);
        if (match) resolve(Number(match[1]));
      });
    }
    child.once('exit', (code) => reject(new Error(`${variant.name} exited with ${code} before listening`)));
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

async function measure(variant: Variant, durationS: number): Promise<AutocannonResult> {
  const { child, url } = await startServer(variant);
  try {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS });
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(`${variant.name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    }
    return result;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

// Warm-up: one short run each (JIT, page cache), not counted.
for (const variant of variants) await measure(variant, 2);

const samples: Record<Variant['name'], AutocannonResult[]> = { bare: [], ho11y: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    samples[variant.name].push(await measure(variant, DURATION_S));
  }
}

const rows = variants.map((variant) => ({
  variant: variant.name,
  description: variant.description,
  requestsPerSec: Math.round(median(samples[variant.name].map((r) => r.requests.average))),
  p50Ms: median(samples[variant.name].map((r) => r.latency.p50)),
  p99Ms: median(samples[variant.name].map((r) => r.latency.p99)),
  samplesRequestsPerSec: samples[variant.name].map((r) => Math.round(r.requests.average)),
}));
const [bare, ho11y] = rows as [(typeof rows)[number], (typeof rows)[number]];
const throughputRatio = ho11y.requestsPerSec / bare.requestsPerSec;
console.table(rows.map(({ samplesRequestsPerSec: _samples, ...row }) => row));
console.log(`ho11y keeps ${(throughputRatio * 100).toFixed(1)}% of the bare server's requests/s (p99 ${ho11y.p99Ms} ms vs ${bare.p99Ms} ms)`);

writeResults('ho11y', {
  method: `autocannon on 127.0.0.1, ${CONNECTIONS} connections, ${DURATION_S} s per run, ${ROUNDS} alternating rounds after a 2 s warm-up each; each server a child process; median of the rounds`,
  rounds: ROUNDS,
  variants: rows,
  throughputRatio: Number(throughputRatio.toFixed(3)),
  p99Ratio: Number((ho11y.p99Ms / bare.p99Ms).toFixed(3)),
});
