/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: OpenTelemetry's auto-instrumentation patches require(), so tracing must be set up before express is required */
/**
 * The servers of instrumentation.bench.ts, one variant per process (VARIANT env). An Express 5 app:
 *   bare, bare-again (the same app again: the benchmark's control), noop-middleware, noop-context-middleware, ours-none,
 *   ours-otel, ours-xray, ours-both, ours-otel-sampled, ours-xray-sampled, xray-sdk-express, xray-sdk-express-sampled,
 *   otel-auto; and without Express, a plain node:http server serving GET /products/:id: http-bare, http-ours-none,
 *   http-ours-otel-sampled, http-ours-xray-sampled (wrapped with telemetry.httpHandler). "-sampled" variants use X-Ray's
 *   default rule (1 request a second, then 5 %); the others record every request.
 * noop-middleware and noop-context-middleware are reference points, not products: what any Express middleware costs, and
 * what any middleware that carries a request context costs, before it does anything else.
 * Every Express variant serves the same routes: GET /products/:id answers at once, GET /checkout/:id first calls the
 * downstream service in the sink process (GET /inventory/:id), each variant the way its tool documents for outgoing
 * calls. Traced variants export to the sinks in SINK_UDP_PORT / SINK_OTLP_PORT.
 * SAMPLE_RATIO replaces our "-sampled" variants' 5 % (an experiment; the peers keep their rule).
 * Prints {"port"} on stdout once listening.
 */
const variant = process.env.VARIANT;
const daemon = `127.0.0.1:${process.env.SINK_UDP_PORT}`;
const otlpEndpoint = `http://127.0.0.1:${process.env.SINK_OTLP_PORT}`;

let before = () => undefined;
let after = () => undefined;
/** Ours, for the plain node:http variants' handler. */
let telemetry;
/** How GET /checkout/:id calls the downstream service, when the variant's tool has its own way. */
let callDownstream;

if (variant === 'otel-auto') {
  // What the OpenTelemetry docs tell an Express user to do, with X-Ray ids and propagation for ADOT.
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const { AWSXRayIdGenerator } = require('@opentelemetry/id-generator-aws-xray');
  const { AWSXRayPropagator } = require('@opentelemetry/propagator-aws-xray');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
  const provider = new NodeTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }), { scheduledDelayMillis: 1000 })],
  });
  provider.register({ propagator: new AWSXRayPropagator() });
  registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });
} else if (variant.startsWith('xray-sdk-express')) {
  const AWSXRay = require('aws-xray-sdk-core');
  const xrayExpress = require('aws-xray-sdk-express');
  AWSXRay.setDaemonAddress(daemon);
  AWSXRay.captureHTTPsGlobal(require('node:http')); // what the X-Ray docs say to do to trace outgoing calls
  AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
  // Sample every request like the other traced variants (the SDK default is 1/s + 5%), no sampling-rule polling.
  AWSXRay.middleware.disableCentralizedSampling(); // no polling of the daemon for rules; the local default rule is 1/s + 5 %
  if (variant === 'xray-sdk-express') AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 1, rate: 1 } });
  before = (app) => app.use(xrayExpress.openSegment('bench'));
  after = (app) => app.use(xrayExpress.closeSegment());
} else if (variant.startsWith('ours-') || variant.startsWith('http-ours-')) {
  const { createTelemetry } = require('@eks-o11y/instrumentation');
  const sampled = variant.endsWith('-sampled');
  telemetry = createTelemetry({
    serviceName: 'bench',
    backend: variant.slice(variant.indexOf('ours-') + 'ours-'.length).replace('-sampled', ''),
    ...(sampled ? { sampleRatio: Number(process.env.SAMPLE_RATIO ?? 0.05), sampleReservoirPerSecond: 1 } : {}),
    otlpEndpoint,
    xrayDaemonAddress: daemon,
    logDestination: 'stderr',
  });
  before = (app) => app.use(telemetry.expressMiddleware());
  after = (app) => app.use(telemetry.expressErrorHandler());
  callDownstream = (url, onResponse) => telemetry.httpRequest(url, onResponse);
} else if (variant === 'noop-middleware') {
  before = (app) => app.use((_req, _res, next) => next());
} else if (variant === 'noop-context-middleware') {
  // What log correlation and propagation need at the least: the rest of the request runs in its own context.
  const { AsyncLocalStorage } = require('node:async_hooks');
  const requestContext = new AsyncLocalStorage();
  before = (app) => app.use((req, _res, next) => requestContext.run(req, next));
} else if (variant !== 'bare' && variant !== 'bare-again' && variant !== 'http-bare') {
  throw new Error(`unknown VARIANT ${variant}`);
}

// Required after the tracing set-up above, which may patch it (OpenTelemetry's instrumentation-http, X-Ray's capture).
const http = require('node:http');
callDownstream ??= (url, onResponse) => http.request(url, onResponse);

/**
 * The plain node:http variants: GET /products/:id with the body and content type of the Express app's res.json (not its
 * ETag and X-Powered-By headers).
 */
const serverWithoutExpress = () => {
  const PRODUCTS = '/products/';
  const products = (req, res) => {
    if (req.method !== 'GET' || !req.url.startsWith(PRODUCTS)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const body = JSON.stringify({ id: req.url.slice(PRODUCTS.length), name: 'widget', price: 9.99 });
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  };
  return http.createServer(telemetry ? telemetry.httpHandler(products, { route: '/products/:id' }) : products);
};

/** The Express variants' app. */
const expressApp = () => {
  const express = require('express');
  const app = express();
  before(app);
  app.get('/products/:id', (req, res) => {
    res.json({ id: req.params.id, name: 'widget', price: 9.99 });
  });
  // A service that calls another before it answers (the downstream is the sink process, over keep-alive connections).
  app.get('/checkout/:id', (req, res, next) => {
    callDownstream(`${otlpEndpoint}/inventory/${req.params.id}`, (downstream) => {
      let body = '';
      downstream.setEncoding('utf8');
      downstream.on('data', (chunk) => (body += chunk));
      downstream.on('end', () => res.json({ id: req.params.id, ...JSON.parse(body) }));
    })
      .on('error', next)
      .end();
  });
  after(app);
  return http.createServer(app);
};

const server = variant.startsWith('http-') ? serverWithoutExpress() : expressApp();
// Every variant starts serving after a full GC, so its routes are in V8's old generation, as a service's are once it
// has run a while. Left to chance, that depended on how much a variant loaded, and it decides whether V8 13.6 misses an
// inline cache in path-to-regexp on every request: docs/benchmarks/instrumentation.md, "One state for every server".
require('node:v8').setFlagsFromString('--expose-gc');
require('node:vm').runInNewContext('gc')();
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
