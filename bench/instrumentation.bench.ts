/**
 * @eks-o11y/instrumentation against what an Express 5 user would pick instead, on loopback, in one run, on three
 * endpoints (ENDPOINTS): GET /products/:id answers with JSON at once; GET /checkout/:id first calls a downstream
 * service, so it also measures propagation and client spans; and GET /products/:id again from a plain node:http server.
 * The variants (the second endpoint measures a subset):
 *
 *   bare                      Express 5, no instrumentation (the baseline every ratio is against)
 *   bare-again                control: a second, identical bare server, paired with a bare server like every
 *                             variant; how far its ratios stray from 1 is the method's noise in this run
 *   noop-middleware           reference: one Express middleware that only calls next() (what any middleware costs)
 *   noop-context-middleware   reference: one that runs the rest of the request in an AsyncLocalStorage context (what any
 *                             middleware that carries a request context, for log correlation and propagation, costs)
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
 * and on the third endpoint, without Express, against a bare node:http server (http-bare):
 *
 *   http-ours-none            a plain node:http handler wrapped with telemetry.httpHandler, backend none
 *   http-ours-otel-sampled    the same, OpenTelemetry backend, X-Ray's default sampling rule
 *   http-ours-xray-sampled    the same, X-Ray backend, X-Ray's default sampling rule
 *
 * Fairness on 2 cores: each server runs in its own child process pinned to CPU 1; autocannon (this process) and
 * the telemetry sinks with the downstream service (another child process) share CPU 0. Traced variants export to
 * real local sinks (a UDP socket for the daemon, an OTLP/HTTP receiver for the collector), so serialising and sending
 * is paid for.
 * Every variant without "-sampled" records every request. Each variant is paired with a bare server of its own; a
 * pair is started, warmed up and measured together (both servers sharing CPU 1, at the same time), and replaced by
 * fresh processes a few times over the run (INSTRUMENTATION_BENCH_PROCESSES). Each round measures every pair (rotated
 * order), and a ratio is the median over the rounds of variant / bare from those simultaneous runs.
 * Our middleware also maintains the RED metrics (counter + histogram with exemplars); the peers do not.
 * Memory: every server's peak resident memory (what a container limit must allow), as a ratio to bare's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { autocannon, type AutocannonResult } from './support/autocannon.js';
import { writeResults } from './support/results.js';
import { interquartile, median } from './support/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
const ROUNDS = Number(process.env['INSTRUMENTATION_BENCH_ROUNDS'] ?? 8);
const DURATION_S = Number(process.env['INSTRUMENTATION_BENCH_DURATION'] ?? 3);
/** Server processes per variant over the run (fresh processes every ROUNDS / PROCESSES rounds). */
const PROCESSES = Number(process.env['INSTRUMENTATION_BENCH_PROCESSES'] ?? 4);
const CONNECTIONS = 10;
const WARM_UP_S = 2;


const VARIANTS = [
  { name: 'bare', description: 'Express 5, no instrumentation' },
  { name: 'bare-again', description: 'control: a second bare server, measured against bare like every variant (the noise)' },
  { name: 'noop-middleware', description: 'reference: Express 5 with one middleware that only calls next()' },
  { name: 'noop-context-middleware', description: 'reference: one middleware that runs the request in an AsyncLocalStorage context' },
  { name: 'ours-none', description: '@eks-o11y/instrumentation, backend none (metrics, ids, no spans)' },
  { name: 'ours-otel', description: '@eks-o11y/instrumentation, backend otel (OTLP/HTTP protobuf), 100 % sampled' },
  { name: 'ours-xray', description: '@eks-o11y/instrumentation, backend xray (UDP daemon), 100 % sampled' },
  { name: 'ours-both', description: '@eks-o11y/instrumentation, backend both, 100 % sampled' },
  { name: 'xray-sdk-express', description: 'aws-xray-sdk-express 3.12, 100 % sampled' },
  { name: 'otel-auto', description: 'OpenTelemetry instrumentation-http 0.223 + instrumentation-express 0.71, 100 % sampled' },
  { name: 'ours-otel-sampled', description: '@eks-o11y/instrumentation, backend otel, X-Ray default rule (1/s + 5 %)' },
  { name: 'ours-xray-sampled', description: '@eks-o11y/instrumentation, backend xray, X-Ray default rule (1/s + 5 %)' },
  { name: 'xray-sdk-express-sampled', description: 'aws-xray-sdk-express 3.12, its default rule (1/s + 5 %)' },
  { name: 'http-bare', description: 'plain node:http server, no Express, no instrumentation' },
  { name: 'http-ours-none', description: '@eks-o11y/instrumentation httpHandler on plain node:http, backend none' },
  { name: 'http-ours-otel-sampled', description: '@eks-o11y/instrumentation httpHandler on plain node:http, backend otel, X-Ray default rule' },
  { name: 'http-ours-xray-sampled', description: '@eks-o11y/instrumentation httpHandler on plain node:http, backend xray, X-Ray default rule' },
] as const;
type VariantName = (typeof VARIANTS)[number]['name'];
/** The names listed in a comma-separated environment variable (undefined when it is unset); throws on a name not in `known`. */
const namesFromEnv = (variable: string, known: readonly { name: string }[]): string[] | undefined => {
  const names = process.env[variable]?.split(',').map((name) => name.trim());
  const unknown = names?.filter((name) => !known.some((item) => item.name === name));
  if (unknown?.length) throw new Error(`${variable}: unknown ${unknown.join(', ')}; known: ${known.map((item) => item.name).join(', ')}`);
  return names;
};
/**
 * The endpoints, each measured in its own rounds with fresh server processes, against its baseline (the first of its
 * variants). `checkout` is what most services do: call another service before answering. Every variant calls it the
 * way its tool documents: plain `http.request` (bare), `telemetry.httpRequest` (ours), `http.request` after
 * `AWSXRay.captureHTTPsGlobal` (aws-xray-sdk), and plain `http.request` patched by instrumentation-http
 * (OpenTelemetry), all over Node's keep-alive global agent. `products-node-http` serves the first endpoint's response
 * from a plain node:http server, wrapped with `telemetry.httpHandler`: what the middleware costs without Express.
 */
const ENDPOINTS = [
  {
    name: 'products',
    path: '/products/42',
    description: 'GET /products/:id, a JSON body and no I/O',
    baseline: 'bare',
    variants: VARIANTS.map((v) => v.name).filter((name) => !name.startsWith('http-')),
  },
  {
    name: 'checkout',
    path: '/checkout/42',
    description: 'GET /checkout/:id, which first calls a downstream service (GET /inventory/:id over node:http) and answers with JSON',
    baseline: 'bare',
    variants: ['bare', 'bare-again', 'ours-none', 'ours-otel', 'ours-otel-sampled', 'ours-xray-sampled', 'xray-sdk-express-sampled', 'otel-auto'],
  },
  {
    name: 'products-node-http',
    path: '/products/42',
    description: 'GET /products/:id with the same JSON body, from a plain node:http server (no Express)',
    baseline: 'http-bare',
    variants: ['http-bare', 'http-ours-none', 'http-ours-otel-sampled', 'http-ours-xray-sampled'],
  },
] as const satisfies readonly { name: string; path: string; description: string; baseline: VariantName; variants: readonly VariantName[] }[];
type Endpoint = (typeof ENDPOINTS)[number];
/** The servers every variant is measured against: each endpoint's bare server. */
const BASELINES: readonly VariantName[] = ENDPOINTS.map((endpoint) => endpoint.baseline);
/** INSTRUMENTATION_BENCH_VARIANTS=ours-none,ours-otel-sampled measures just those (and the baselines) while you iterate. */
const only = namesFromEnv('INSTRUMENTATION_BENCH_VARIANTS', VARIANTS);
const SELECTED = only ? VARIANTS.filter(({ name }) => BASELINES.includes(name) || only.includes(name)) : VARIANTS;
/** INSTRUMENTATION_BENCH_ENDPOINTS=checkout measures just that endpoint (an experiment, like a selection of variants). */
const onlyEndpoints = namesFromEnv('INSTRUMENTATION_BENCH_ENDPOINTS', ENDPOINTS);
const SELECTED_ENDPOINTS = onlyEndpoints ? ENDPOINTS.filter(({ name }) => onlyEndpoints.includes(name)) : ENDPOINTS;
/** INSTRUMENTATION_BENCH_SAMPLE_RATIO=0.01 runs the "-sampled" variants at another ratio (still 1/s first): an experiment. */
const sampleRatio = process.env['INSTRUMENTATION_BENCH_SAMPLE_RATIO'];
if (sampleRatio !== undefined && (sampleRatio.trim() === '' || !(Number(sampleRatio) >= 0 && Number(sampleRatio) <= 1))) {
  throw new Error(`INSTRUMENTATION_BENCH_SAMPLE_RATIO must be a number from 0 to 1, not "${sampleRatio}"`);
}
const experiment = only !== undefined || onlyEndpoints !== undefined || sampleRatio !== undefined;

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

interface RunningServer {
  readonly variant: VariantName;
  readonly child: ChildProcess;
  readonly origin: string;
}

const launch = async (variant: VariantName): Promise<RunningServer> => {
  const child = start(variant, pinned(1, [process.execPath, join(here, 'instrumentation', 'server.cjs')]), {
    VARIANT: variant,
    SINK_UDP_PORT: String(udpPort),
    SINK_OTLP_PORT: String(otlpPort),
    ...(sampleRatio === undefined ? {} : { SAMPLE_RATIO: sampleRatio }),
  });
  const { port } = await firstJsonLine(child, variant);
  return { variant, child, origin: `http://127.0.0.1:${port}` };
};

type Run = AutocannonResult & { cpuMicrosPerRequest: number; mainThreadCpuMicrosPerRequest: number };

/** One autocannon run against an endpoint of a server, with the server's CPU time per request over the run. */
const run = async (server: RunningServer, endpoint: Endpoint, durationS: number): Promise<Run> => {
  // The server is the last process of the (optional) taskset exec chain: taskset execs node in place.
  const cpuBefore = cpuSeconds(server.child.pid!);
  const result = await autocannon({ url: `${server.origin}${endpoint.path}`, connections: CONNECTIONS, duration: durationS });
  const cpuAfter = cpuSeconds(server.child.pid!);
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.variant}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  const microsPerRequest = (of: 'all' | 'mainThread'): number =>
    cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : ((cpuAfter[of] - cpuBefore[of]) * 1e6) / result.requests.total;
  return { ...result, cpuMicrosPerRequest: microsPerRequest('all'), mainThreadCpuMicrosPerRequest: microsPerRequest('mainThread') };
};

/** What reached the sinks from one second of load on a warm server: proof that the variant really exports. */
const exportCheck = async (server: RunningServer, endpoint: Endpoint): Promise<Record<string, number>> => {
  await settle();
  await fetch(`http://127.0.0.1:${otlpPort}/reset`, { method: 'POST' });
  const { requests } = await run(server, endpoint, 1);
  await settle();
  return { requests: requests.total, ...(await sinkStats()) };
};

/** Longer than the span batch interval (1 s), so the last batch has been sent. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1500));

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux), in all its threads and in its main thread alone
 * (the JavaScript thread; the others are V8's garbage-collection and compiler helpers and, for the OpenTelemetry
 * backend, the export thread). With the load generator on the other core the server is not always saturated, so
 * requests/s alone understates per-request cost; CPU per request does not.
 */
const cpuSeconds = (pid: number): { all: number; mainThread: number } | undefined => {
  const userPlusSystem = (statFile: string): number => {
    const fieldsAfterName = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fieldsAfterName[11]) + Number(fieldsAfterName[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  };
  try {
    return { all: userPlusSystem(`/proc/${pid}/stat`), mainThread: userPlusSystem(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return undefined;
  }
};

/**
 * A process's peak resident memory in MiB (VmHWM, Linux): what a container memory limit must allow. Read just before a
 * server is replaced, so it covers its start, warm-up and every round it served.
 */
const peakRssMiB = (pid: number): number | undefined => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};
let servers: RunningServer[] = [];

/** A variant's server and the bare server it is measured against, started, warmed up and replaced together. */
interface Pair {
  readonly bare: RunningServer;
  readonly variant: RunningServer;
}

/** What both servers of a pair did in the same seconds. */
interface PairRuns {
  readonly bare: Run;
  readonly variant: Run;
}

/** Runs both servers of a pair at the same time, on the same CPU, for the same seconds. */
const runPair = async (pair: Pair, endpoint: Endpoint, durationS: number): Promise<PairRuns> => {
  const [bare, variant] = await Promise.all([run(pair.bare, endpoint, durationS), run(pair.variant, endpoint, durationS)]);
  return { bare, variant };
};

/**
 * Measures one endpoint in every selected variant it lists: rounds of simultaneous pairs with bare, in fresh server
 * processes every few rounds, then one export check per variant. Returns a row per variant (the baseline first).
 */
const measure = async (endpoint: Endpoint) => {
  const selected = SELECTED.filter(({ name }) => (endpoint.variants as readonly VariantName[]).includes(name));
  const peakRss = new Map<VariantName, number[]>();
  /** Adds every running server's peak memory to its variant's list. */
  const recordPeakRss = (): void => {
    for (const server of servers) {
      const mib = peakRssMiB(server.child.pid!);
      if (mib === undefined) continue;
      const list = peakRss.get(server.variant);
      if (list) list.push(mib);
      else peakRss.set(server.variant, [mib]);
    }
  };
  let generation: Pair[] = [];
  /**
   * Stops the running servers (after reading their peak memory) and starts, for every variant, a fresh process and a
   * fresh bare process of its own, warmed up together. A bare server shared by all variants would serve a dozen times
   * the load of each of them, and a process that has served more runs faster: the control read 0.96-0.97 that way.
   */
  const startGeneration = async (): Promise<void> => {
    recordPeakRss();
    await Promise.all(servers.map((server) => stop(server.child)));
    servers = [];
    generation = [];
    for (const { name } of selected.filter(({ name }) => name !== endpoint.baseline)) {
      const pair = { bare: await launch(endpoint.baseline), variant: await launch(name) };
      servers.push(pair.bare, pair.variant);
      generation.push(pair);
    }
    for (const pair of generation) await runPair(pair, endpoint, WARM_UP_S);
  };

  // Each variant is measured at the same time as its bare partner: both servers share CPU 1 and two load generators
  // share CPU 0 for the same seconds, so a slow spell of the (shared) machine hits both alike and the ratio of their
  // CPU time per request cancels it. Every PROCESSES rounds' worth, all servers are replaced by fresh, warmed-up
  // processes: how V8 optimised the shared Express and node:http code lasts as long as a process and differs
  // between processes, so one process per variant would make that luck part of the result.
  const roundsPerGeneration = Math.max(1, Math.ceil(ROUNDS / PROCESSES));
  const pairs = new Map<VariantName, PairRuns[]>(selected.filter(({ name }) => name !== endpoint.baseline).map(({ name }) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    if (round % roundsPerGeneration === 0) await startGeneration();
    const order = [...generation.slice(round % generation.length), ...generation.slice(0, round % generation.length)];
    for (const pair of order) pairs.get(pair.variant.variant)!.push(await runPair(pair, endpoint, DURATION_S));
  }
  recordPeakRss();
  const exported = new Map<VariantName, Record<string, number>>();
  for (const { variant } of generation) exported.set(variant.variant, await exportCheck(variant, endpoint));
  await Promise.all(servers.map((server) => stop(server.child)));
  servers = [];

  const bareRuns = [...pairs.values()].flatMap((runs) => runs.map((pair) => pair.bare));
  const bareP99 = median(bareRuns.map((r) => r.latency.p99));
  const round3 = (value: number): number => Number(value.toFixed(3));
  const medianPeakRss = (name: VariantName): number => median(peakRss.get(name) ?? [Number.NaN]);
  const barePeakRss = medianPeakRss(endpoint.baseline);
  return selected.map(({ name, description }) => {
    const variantPairs = pairs.get(name); // none for the endpoint's baseline, what every ratio is against
    const peakMiB = medianPeakRss(name);
    const runs = variantPairs ? variantPairs.map((pair) => pair.variant) : bareRuns;
    const ratios = (of: (pair: PairRuns) => number): number[] => (variantPairs ? variantPairs.map(of) : [1]);
    const capacityRatios = ratios((pair) => pair.bare.cpuMicrosPerRequest / pair.variant.cpuMicrosPerRequest);
    const mainThreadCapacityRatios = ratios((pair) => pair.bare.mainThreadCpuMicrosPerRequest / pair.variant.mainThreadCpuMicrosPerRequest);
    const throughputRatios = ratios((pair) => pair.variant.requests.average / pair.bare.requests.average);
    const p99Ms = median(runs.map((r) => r.latency.p99));
    return {
      variant: name,
      description,
      // While sharing CPU 1 with bare (or with a variant, for bare itself): about half of what a server alone serves.
      requestsPerSec: Math.round(median(runs.map((r) => r.requests.average))),
      // Median over the pairs of (variant requests/s / bare requests/s, measured at the same time).
      throughputRatio: round3(median(throughputRatios)),
      p50Ms: median(runs.map((r) => r.latency.p50)),
      p99Ms,
      // autocannon reports latency in whole milliseconds; the ratio's denominator is at least 1 ms.
      p99Ratio: Number((p99Ms / Math.max(bareP99, 1)).toFixed(2)),
      serverCpuMicrosPerRequest: Number(median(runs.map((r) => r.cpuMicrosPerRequest)).toFixed(1)),
      // Of that, what the server's other threads (garbage collection, the compiler, the export thread) used.
      otherThreadsCpuMicrosPerRequest: Number(median(runs.map((r) => r.cpuMicrosPerRequest - r.mainThreadCpuMicrosPerRequest)).toFixed(1)),
      // Requests/s one core could serve, relative to bare: bare CPU per request / this CPU per request, per pair.
      capacityRatio: round3(median(capacityRatios)),
      // The middle half of the per-pair capacity ratios: how much one pair can be trusted on this machine.
      capacityRatioInterquartile: interquartile(capacityRatios).map(round3),
      // The same ratio for the main (JavaScript) thread's CPU alone: how much of the cost is the request's own code.
      mainThreadCapacityRatio: round3(median(mainThreadCapacityRatios)),
      // Median over the variant's processes of each one's peak resident memory, and its ratio to bare's.
      peakRssMiB: Number(peakMiB.toFixed(1)),
      peakRssRatio: Number((peakMiB / barePeakRss).toFixed(2)),
      samplesRequestsPerSec: runs.map((r) => Math.round(r.requests.average)),
      exportCheck: exported.get(name),
    };
  });
};

type Row = Awaited<ReturnType<typeof measure>>[number];

const print = (endpoint: Endpoint, rows: Row[]): void => {
  console.log(`\n${endpoint.description}`);
  console.table(rows.map(({ samplesRequestsPerSec: _s, exportCheck: _e, description: _d, capacityRatioInterquartile: iqr, ...row }) => ({ ...row, iqr: iqr.join('-') })));
  for (const row of rows) {
    if (row.variant !== endpoint.baseline) {
      console.log(
        `${endpoint.name} ${row.variant}: ${(row.throughputRatio * 100).toFixed(1)}% of bare requests/s, p99 x${row.p99Ratio}, ` +
          `${(row.capacityRatio * 100).toFixed(1)}% of bare capacity (${row.serverCpuMicrosPerRequest} µs CPU/request, ` +
          `${row.otherThreadsCpuMicrosPerRequest} µs of it in other threads; main thread alone ${(row.mainThreadCapacityRatio * 100).toFixed(1)}%), ` +
          `peak RSS ${row.peakRssMiB} MiB (x${row.peakRssRatio})`,
      );
    }
  }
  if (experiment) for (const row of rows) console.log(`${endpoint.name} ${row.variant} rounds: ${row.samplesRequestsPerSec.join(', ')} requests/s`);
};

try {
  const results: { endpoint: string; path: string; description: string; baseline: VariantName; variants: Row[] }[] = [];
  for (const endpoint of SELECTED_ENDPOINTS) {
    // A selection of variants may leave an endpoint nothing to measure against its baseline.
    if (!SELECTED.some(({ name }) => name !== endpoint.baseline && (endpoint.variants as readonly VariantName[]).includes(name))) continue;
    const rows = await measure(endpoint);
    print(endpoint, rows);
    results.push({ endpoint: endpoint.name, path: endpoint.path, description: endpoint.description, baseline: endpoint.baseline, variants: rows });
  }

  if (experiment) {
    console.log('A selection of variants or endpoints, or another sample ratio: results/instrumentation.json is left as it was.');
  } else {
    writeResults('instrumentation', {
      machine: {
        pinned: canPin,
        // The machine may be shared (other builds): its load during the run says how much to trust the figures.
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
      },
      method:
        `autocannon on 127.0.0.1 against an Express 5 app (a plain node:http server for products-node-http), ${CONNECTIONS} connections, ${DURATION_S} s per run; per endpoint, ` +
        `${ROUNDS} rotated rounds, each variant run at the same time as a bare server of its own (both servers sharing one CPU); every server a child process, replaced with its partner by a fresh pair ${PROCESSES} times over the endpoint's rounds and warmed up with it with ${WARM_UP_S} s of the same load each time` +
        (canPin ? ' pinned to CPU 1, load generator, telemetry sinks and the downstream service on CPU 0' : '') +
        '; traced variants export to local sinks (UDP daemon socket, OTLP/HTTP receiver); "-sampled" variants use the 1/s + 5 % rule, ' +
        'the others record every request; ratios are medians over the rounds of variant / the baseline of the endpoint (its bare server) from the simultaneous runs; requestsPerSec is while sharing the CPU; latency has 1 ms resolution (p99Ratio divides by at least 1 ms). capacityRatio = bare server CPU per request / variant server CPU per request; mainThreadCapacityRatio = the same for the main (JavaScript) thread alone, and otherThreadsCpuMicrosPerRequest = the rest of serverCpuMicrosPerRequest (garbage collection, the compiler, the export thread); ' +
        'peakRssMiB = median over the processes of each server\'s peak resident memory (VmHWM), read when it is replaced',
      endpoints: results,
      target: 'ours keeps >= 90% of bare throughput and beats both peers',
    });
  }
} finally {
  await Promise.all([...servers.map((server) => stop(server.child)), stop(sink)]);
}
