import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, startOtlpReceiver, waitUntil, type OtlpReceiver } from './helpers/local-servers.js';

/** The README's fenced TypeScript block that follows the heading `## <title>`. */
const quickstart = (title: string): string => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf(`## ${title}`));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error(`README has no ts block under "## ${title}"`);
  return match[1]!;
};

/**
 * Runs a README block as a real program (tsx, importing the built package by its npm name), on an ephemeral
 * port instead of the fixed one, and returns the port it listens on.
 */
const runQuickstart = async (code: string, listenCall: string, env: Record<string, string>) => {
  expect(code).toContain(listenCall);
  const listening = code.replace(
    listenCall,
    `${listenCall.split('.listen(')[0]}.listen(0, '127.0.0.1', function (this: import('node:net').Server) { console.log(JSON.stringify({ quickstartPort: (this.address() as import('node:net').AddressInfo).port })); })`,
  );
  const file = fileURLToPath(new URL(`./fixtures/.readme-${process.pid}-${Math.random().toString(16).slice(2)}.ts`, import.meta.url));
  writeFileSync(file, listening);
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        // not a JSON line
      }
    }
  });
  const port = await waitUntil(() => lines.find((l) => l.quickstartPort)?.quickstartPort as number | undefined, 20_000, 'the quickstart to listen');
  return { child, port, lines, cleanup: () => rmSync(file, { force: true }) };
};

describe('README quickstarts run as written', () => {
  let collector: OtlpReceiver;
  let downstream: Awaited<ReturnType<typeof serve>>;
  const children: { child: ChildProcess; cleanup: () => void }[] = [];

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    downstream = await serve((_req, res) => res.end('downstream ok'));
  });

  afterAll(async () => {
    for (const { child, cleanup } of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      cleanup();
    }
    await downstream.close();
    await collector.close();
  });

  it('node:http quickstart: answers with its trace id, calls downstream, logs and exports spans', async () => {
    const code = quickstart('Quickstart (node:http)').replaceAll('http://localhost:8080/products/p-1', `${downstream.url}/`);
    const run = await runQuickstart(code, 'server.listen(8765)', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
    children.push(run);
    const body = (await (await fetch(`http://127.0.0.1:${run.port}/`)).json()) as { traceId: string };
    expect(body.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const served = await waitUntil(() => run.lines.find((l) => l.message === 'served'), 5000, 'the log line');
    expect(served).toMatchObject({ service: 'frontend', downstreamStatus: 200, xray_trace_id: body.traceId });
    const hex = body.traceId.slice(2).replace('-', '');
    const spans = await waitUntil(() => {
      const found = collector.spans.filter((s) => s.traceId === hex);
      return found.length >= 2 ? found : undefined;
    }, 10_000, 'the spans');
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'GET /']);
    const metrics = await (await fetch(`http://127.0.0.1:${run.port}/metrics`)).text();
    expect(metrics).toContain('http_server_requests_total{method="GET",route="/",status_code="200"} 1');
  });

  it('node:http quickstart: keeps serving when its downstream is not running', async () => {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    const code = quickstart('Quickstart (node:http)').replaceAll('http://localhost:8080/products/p-1', 'http://127.0.0.1:1/');
    const run = await runQuickstart(code, 'server.listen(8765)', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
    children.push(run);
    for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${run.port}/`)).status).toBe(200);
    const served = await waitUntil(() => {
      const lines = run.lines.filter((l) => l.message === 'served');
      return lines.length >= 2 ? lines : undefined;
    }, 5000, 'the log lines');
    expect(served.map((l) => l.downstreamStatus)).toEqual(['unreachable', 'unreachable']);
  });

  it('Express quickstart: names the span after the route and serves /metrics', async () => {
    const run = await runQuickstart(quickstart('Quickstart (Express 5)'), 'app.listen(8080)', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
    children.push(run);
    const response = await fetch(`http://127.0.0.1:${run.port}/products/p-1`);
    expect(await response.json()).toEqual({ id: 'p-1' });
    expect(response.headers.get('x-amzn-trace-id')).toBeNull(); // off by default, as in the X-Ray SDK and OpenTelemetry
    const span = await waitUntil(() => collector.spans.find((s) => s.attributes.ProductID === 'p-1'), 10_000, 'the span');
    expect(span.name).toBe('GET /products/:id');
    expect(span.attributes).toMatchObject({ ProductID: 'p-1', 'aws.xray.annotations': ['ProductID'] });
    expect(await (await fetch(`http://127.0.0.1:${run.port}/metrics`)).text()).toContain('route="/products/:id"');
  });
});
