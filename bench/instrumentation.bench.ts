/**
 * @eks-o11y/instrumentation against what an Express 5 user would pick instead, on loopback, in one run:
 *
 *   bare                      Express 5, no instrumentation (the baseline every ratio is against)
 *   ours-none                 our middleware, backend none: RED metrics, trace ids and propagation, no spans
 *   ours-otel                 our middleware, OpenTelemetry backend (OTLP/HTTP protobuf), every request recorded
 *   ours-xray                 our middleware, X-Ray backend (aws-xray-sdk-core segments over UDP), every request
 *   ours-both                 our middleware, both backends, every request
 *   xray-sdk-express          aws-xray-sdk-express openSegment/closeSegment, every request sampled
 *   otel-auto                 OpenTelemetry NodeTracerProvider + instrumentation-http + instrumentation-express (defaults)
 *   ours-otel-sampled         ours-otel with X-Ray's default sampling rule (1 request/s, then 5 %)
 *   ours-xray-sampled         ours-xray with the same rule
 *   xray-sdk-express-sampled  aws-xray-sdk-express with its default local rule (the same 1/s + 5 %)
 *
 * Fairness on 2 cores: each server runs in its own child process pinned to CPU 1; autocannon (this process) and
 * the telemetry sinks (another child process) share CPU 0. Traced variants export to real local sinks (a UDP
 * socket for the daemon, an OTLP/HTTP receiver for the collector), so serialising and sending is paid for.
 * Every variant without "-sampled" records every request. Variants run in a rotated order each round and the median is reported.
 * Our middleware also maintains the RED metrics (counter + histogram with exemplars); the peers do not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { autocannon, type AutocannonResult } from './support/autocannon.js';

const here = dirname(fileURLToPath(import.meta.url));
const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
const ROUNDS = Number(process.env['INSTRUMENTATION_BENCH_ROUNDS'] ?? 5);
const DURATION_S = Number(process.env['INSTRUMENTATION_BENCH_DURATION'] ?? 6);
const CONNECTIONS = 10;


const VARIANTS = [
  { name: 'bare', description: 'Express 5, no instrumentation' },
  { name: 'ours-none', description: '@eks-o11y/instrumentation, backend none (metrics, ids, no spans)' },
  { name: 'ours-otel', description: '@eks-o11y/instrumentation, backend otel (OTLP/HTTP protobuf), 100 % sampled' },
  { name: 'ours-xray', description: '@eks-o11y/instrumentation, backend xray (UDP daemon), 100 % sampled' },
  { name: 'ours-both', description: '@eks-o11y/instrumentation, backend both, 100 % sampled' },
  { name: 'xray-sdk-express', description: 'aws-xray-sdk-express 3.12, 100 % sampled' },
  { name: 'otel-auto', description: 'OpenTelemetry instrumentation-http 0.223 + instrumentation-express 0.71, 100 % sampled' },
  { name: 'ours-otel-sampled', description: '@eks-o11y/instrumentation, backend otel, X-Ray default rule (1/s + 5 %)' },
  { name: 'ours-xray-sampled', description: '@eks-o11y/instrumentation, backend xray, X-Ray default rule (1/s + 5 %)' },
  { name: 'xray-sdk-express-sampled', description: 'aws-xray-sdk-express 3.12, its default rule (1/s + 5 %)' },
] as const;
type VariantName = (typeof VARIANTS)[number]['name'];

/** Pins to CPUs with taskset when the machine has at least two; returns the command prefix. */
const canPin = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const pinned = (cpu: number, command: string[]): string[] => (canPin ? ['taskset', '-c', String(cpu), ...command] : command);
if (canPin) spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

const firstJsonLine = (child: ChildProcess, name: string): Promise<Record<string, number>> =>
  new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });

const start = (name: string, command: string[], env: NodeJS.ProcessEnv): ChildProcess =>
  spawn(command[0]!, command.slice(1), {
    env: { PATH: process.env['PATH'], NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
    cwd: here,
  });

const stop = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
};

const sink = start('sink', pinned(0, [process.execPath, join(here, 'instrumentation', 'sink.cjs')]), {});
const { udpPort, otlpPort } = await firstJsonLine(sink, 'sink');
const sinkStats = async (): Promise<Record<string, number>> =>
  (await (await fetch(`http://127.0.0.1:${otlpPort}/stats`)).json()) as Record<string, number>;

async function measure(variant: VariantName, durationS: number): Promise<AutocannonResult & { cpuMicrosPerRequest: number; exported: Record<string, number> }> {
  const server = start(variant, pinned(1, [process.execPath, join(here, 'instrumentation', 'server.cjs')]), {
    VARIANT: variant,
    SINK_UDP_PORT: String(udpPort),
    SINK_OTLP_PORT: String(otlpPort),
  });
  try {
    const { port } = await firstJsonLine(server, variant);
    await fetch(`http://127.0.0.1:${otlpPort}/reset`, { method: 'POST' });
    // The server is the last process of the (optional) taskset exec chain: taskset execs node in place.
    const cpuBefore = cpuSeconds(server.pid!);
    const result = await autocannon({ url: `http://127.0.0.1:${port}/products/42`, connections: CONNECTIONS, duration: durationS });
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the last span batch arrive (and be paid for)
    const cpuAfter = cpuSeconds(server.pid!);
    const cpuMicrosPerRequest =
      cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : ((cpuAfter - cpuBefore) * 1e6) / result.requests.total;
    return { ...result, cpuMicrosPerRequest, exported: await sinkStats() };
  } finally {
    await stop(server);
  }
}

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux). With the load generator on the other core the
 * server is not always saturated, so requests/s alone understates per-request cost; CPU per request does not.
 */
const cpuSeconds = (pid: number): number | undefined => {
  try {
    const fieldsAfterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fieldsAfterName[11]) + Number(fieldsAfterName[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

try {
  for (const { name } of VARIANTS) await measure(name, 2); // warm-up (page cache, module loading), not counted

  const samples = Object.fromEntries(VARIANTS.map(({ name }) => [name, [] as Awaited<ReturnType<typeof measure>>[]])) as Record<
    VariantName,
    Awaited<ReturnType<typeof measure>>[]
  >;
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = [...VARIANTS.slice(round % VARIANTS.length), ...VARIANTS.slice(0, round % VARIANTS.length)];
    for (const { name } of order) samples[name].push(await measure(name, DURATION_S));
  }

  const bareRps = median(samples.bare.map((r) => r.requests.average));
  const bareP99 = median(samples.bare.map((r) => r.latency.p99));
  const bareCpu = median(samples.bare.map((r) => r.cpuMicrosPerRequest));
  const rows = VARIANTS.map(({ name, description }) => {
    const runs = samples[name];
    const requestsPerSec = Math.round(median(runs.map((r) => r.requests.average)));
    const p99Ms = median(runs.map((r) => r.latency.p99));
    const last = runs.at(-1)!;
    return {
      variant: name,
      description,
      requestsPerSec,
      throughputRatio: Number((requestsPerSec / bareRps).toFixed(3)),
      p50Ms: median(runs.map((r) => r.latency.p50)),
      p99Ms,
      // autocannon reports latency in whole milliseconds; on loopback bare p99 is often 0, so the ratio's
      // denominator is at least 1 ms.
      p99Ratio: Number((p99Ms / Math.max(bareP99, 1)).toFixed(2)),
      serverCpuMicrosPerRequest: Number(median(runs.map((r) => r.cpuMicrosPerRequest)).toFixed(1)),
      // Requests/s one saturated core could serve, relative to bare: bare CPU per request / this CPU per request.
      capacityRatio: Number((bareCpu / median(runs.map((r) => r.cpuMicrosPerRequest))).toFixed(3)),
      samplesRequestsPerSec: runs.map((r) => Math.round(r.requests.average)),
      // What reached the sinks in the last round: proof that the variant really exported.
      exportedLastRound: { requests: last.requests.total, ...last.exported },
    };
  });
  console.table(rows.map(({ samplesRequestsPerSec: _s, exportedLastRound: _e, description: _d, ...row }) => row));
  for (const row of rows) {
    if (row.variant !== 'bare') {
      console.log(
        `${row.variant}: ${(row.throughputRatio * 100).toFixed(1)}% of bare requests/s, p99 x${row.p99Ratio}, ` +
          `${(row.capacityRatio * 100).toFixed(1)}% of bare capacity (${row.serverCpuMicrosPerRequest} µs CPU/request)`,
      );
    }
  }

  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'instrumentation.json'),
    `${JSON.stringify(
      {
        benchmark: 'instrumentation',
        measuredAt: new Date().toISOString(),
        machine: {
          node: process.version,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          pinned: canPin,
          // The machine may be shared (other builds): its load during the run says how much to trust the figures.
          loadAverageAtStart: loadAtStart,
          loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
        },
        method:
          `autocannon on 127.0.0.1, GET /products/42 on an Express 5 app, ${CONNECTIONS} connections, ${DURATION_S} s per run, ` +
          `${ROUNDS} rotated rounds after a 2 s warm-up each; each server a child process` +
          (canPin ? ' pinned to CPU 1, load generator and telemetry sinks on CPU 0' : '') +
          '; traced variants export to local sinks (UDP daemon socket, OTLP/HTTP receiver); "-sampled" variants use the 1/s + 5 % rule, ' +
          'the others record every request; median of the rounds; latency has 1 ms resolution (p99Ratio divides by at least 1 ms). capacityRatio = bare server CPU per request / variant server CPU per request',
        baseline: 'bare',
        variants: rows,
        target: 'ours keeps >= 90% of bare throughput and beats both peers',
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await stop(sink);
}
