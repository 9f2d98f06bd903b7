// The baseline: a bare node:http server answering GET / with the same JSON body ho11y returns
// ({"traceId":"1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy"}, a fresh X-Ray-format id per request), and nothing else.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const hex = randomBytes(12).toString('hex');
  const traceId = `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${hex}`;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ traceId }));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on port :${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
