/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS like server.cjs; plain node, no build step */
/**
 * Local telemetry sinks for instrumentation.bench.ts, in their own process: a UDP socket standing in for the
 * X-Ray daemon and an OTLP/HTTP receiver standing in for the ADOT collector. They accept and count what the
 * servers export, so every traced variant pays its real export cost. The HTTP server is also the downstream service
 * that GET /checkout/:id calls (GET /inventory/:id). GET /stats returns the counts, POST /reset zeroes them.
 * Prints {"udpPort","otlpPort"} on stdout once both listen.
 */
const dgram = require('node:dgram');
const http = require('node:http');

const stats = { segments: 0, segmentBytes: 0, otlpRequests: 0, otlpBytes: 0, downstreamRequests: 0 };
const udp = dgram.createSocket('udp4');
udp.on('message', (message) => {
  stats.segments += 1;
  stats.segmentBytes += message.length;
});
const otlp = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
    return;
  }
  if (req.method === 'GET' && req.url.startsWith('/inventory/')) {
    // The downstream service of GET /checkout/:id.
    stats.downstreamRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end('{"inStock":3}');
    return;
  }
  if (req.method === 'POST' && req.url === '/reset') {
    for (const key of Object.keys(stats)) stats[key] = 0;
    res.end('{}');
    return;
  }
  req.on('data', (chunk) => (stats.otlpBytes += chunk.length));
  req.on('end', () => {
    stats.otlpRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
});
udp.bind(0, '127.0.0.1', () => {
  otlp.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ udpPort: udp.address().port, otlpPort: otlp.address().port })}\n`);
  });
});
process.on('SIGTERM', () => {
  udp.close();
  otlp.close(() => process.exit(0));
  otlp.closeAllConnections();
});
