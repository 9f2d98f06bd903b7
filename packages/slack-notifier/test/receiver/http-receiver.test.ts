import { connect } from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../src/receiver/http-receiver.js';
import { startSlackSink, type SlackSink } from '../../src/testing/slack-sink.js';
import { loadEvent } from '../helpers/events.js';

const TOKEN = 's3cret-token';
let sink: SlackSink;
let receiver: Receiver;

beforeEach(async () => {
  sink = await startSlackSink();
  receiver = await startReceiver({
    config: { routes: [], defaultWebhook: { url: sink.url }, allowInsecureLoopbackWebhook: true },
    bearerToken: TOKEN,
    maxBodyBytes: 64 * 1024,
    delivery: { maxAttempts: 2, sleep: async () => undefined },
  });
});
afterEach(async () => {
  await receiver.close();
  await sink.close();
});

const body = async (res: Response) => (await res.json()) as { error: string; issues?: string[] };

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${receiver.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });

describe('Function: startReceiver', () => {
  it('delivers an Alertmanager webhook as one grouped Slack message', async () => {
    const res = await post('/alertmanager', JSON.stringify(loadEvent('alertmanager', 'webhook-v4-firing')));
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ ok: true, alerts: 2, messages: 1 });
    expect(sink.messages[0]!.text).toContain('2 firing - slack-notifier (alertname=Ho11yHigh400Rate)');
  });

  it('delivers a Grafana webhook', async () => {
    const res = await post('/grafana', JSON.stringify(loadEvent('grafana', 'webhook')));
    expect(res.status).toBe(200);
    expect(JSON.stringify(sink.messages[0])).toContain('High memory usage');
  });

  it('answers 401 without the right bearer token, and delivers nothing', async () => {
    const body = JSON.stringify(loadEvent('alertmanager', 'webhook-v4-firing'));
    expect((await post('/alertmanager', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    const res = await fetch(`${receiver.url}/alertmanager`, { method: 'POST', body });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(sink.requests).toHaveLength(0);
  });

  it('answers 4xx with the reason for bad input', async () => {
    const invalidJson = await post('/alerts', '{"alerts": [');
    expect(invalidJson.status).toBe(400);
    expect((await body(invalidJson)).error).toMatch(/not valid JSON/);

    const unknown = await post('/alerts', '{"hello":"world"}');
    expect(unknown.status).toBe(422);
    expect((await body(unknown)).error).toMatch(/Unrecognised alert payload/);

    const unversioned = await post('/alerts', JSON.stringify({ alerts: [{ name: 'CrashLoopBackOff ho11y/frontend', status: 'firing' }] }));
    expect(unversioned.status).toBe(422);
    expect((await body(unversioned)).error).toMatch(/no "version": add "version": "eks-o11y.alert\/v1"/);

    const invalid = await post('/alerts', JSON.stringify({ version: '4', alerts: [{ labels: {} }] }));
    expect(invalid.status).toBe(422);
    expect((await body(invalid)).issues).toEqual(['alerts.0.status: missing (expected string)']);

    expect((await post('/alerts', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${receiver.url}/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect((await post('/nope', '{}')).status).toBe(404);
    expect(sink.requests).toHaveLength(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post('/alerts', JSON.stringify({ padding: 'x'.repeat(100 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('answers 502 when Slack refuses, so Alertmanager retries', async () => {
    sink.respondWith({ status: 404, body: 'channel_not_found' });
    const res = await post('/alertmanager', JSON.stringify(loadEvent('alertmanager', 'webhook-v4-firing')));
    expect(res.status).toBe(502);
    const { error } = await body(res);
    expect(error).toMatch(/^the default webhook: Slack refused the message \(HTTP 404 channel_not_found\).* The receiver answers 502 so Alertmanager or Grafana sends it again\.$/);
    expect(error).not.toContain('/services/');
    // There is no Lambda here.
    expect(error).not.toMatch(/Lambda|dead-letter/);
  });

  it('gives up within its delivery deadline instead of outliving the caller', async () => {
    const slow = await startReceiver({
      config: { routes: [], defaultWebhook: { url: sink.url }, allowInsecureLoopbackWebhook: true },
      bearerToken: TOKEN,
      deliveryDeadlineMs: 1500,
    });
    try {
      sink.respondWith({ status: 429, body: 'rate_limited', headers: { 'retry-after': '5' } });
      const res = await fetch(`${slow.url}/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(loadEvent('generic', 'pod-crashloop')),
      });
      expect(res.status).toBe(502);
      expect((await body(res)).error).toMatch(/would pass the deadline/);
    } finally {
      await slow.close();
    }
  });

  it('logs a sender that hangs up mid-body as a warning, delivers nothing and keeps serving', async () => {
    const logged: { level: string; message: string }[] = [];
    const record = (level: string) => (message: string) => void logged.push({ level, message });
    const logging = await startReceiver({
      config: { routes: [], defaultWebhook: { url: sink.url }, allowInsecureLoopbackWebhook: true },
      bearerToken: TOKEN,
      logger: { info: record('info'), warn: record('warn'), error: record('error') },
    });
    try {
      const socket = connect(logging.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        `POST /alerts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"alerts": [`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await expect.poll(() => logged).toEqual([{ level: 'warn', message: expect.stringMatching(/closed its connection before its request body arrived/) }]);
      expect(sink.requests).toHaveLength(0);
      expect((await fetch(`${logging.url}/healthz`)).status).toBe(200);
    } finally {
      await logging.close();
    }
  });

  it('serves a health check', async () => {
    expect((await fetch(`${receiver.url}/healthz`)).status).toBe(200);
  });

  it('refuses to start without a token unless told the receiver is unauthenticated', async () => {
    await expect(startReceiver({ config: { routes: [], defaultWebhook: { url: sink.url } } })).rejects.toThrow(/needs a bearer token/);
  });
});
