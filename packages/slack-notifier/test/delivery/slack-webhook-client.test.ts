import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.js';
import { SlackWebhookClient, parseRetryAfter } from '../../src/delivery/slack-webhook-client.js';
import { SlackDeliveryError } from '../../src/errors.js';
import { startSlackSink, type SlackSink } from '../../src/testing/slack-sink.js';

const MESSAGE = { text: 'Disk full', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Disk full*' } }] };
const FALLBACK = { text: 'Disk full (plain)' };

let sink: SlackSink;
let sleeps: number[];
const client = (extra: ConstructorParameters<typeof SlackWebhookClient>[1] = {}) =>
  new SlackWebhookClient(sink.url, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...extra });

beforeEach(async () => {
  sink = await startSlackSink();
  sleeps = [];
});
afterEach(async () => sink.close());

async function failure(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SlackDeliveryError);
  return error as SlackDeliveryError;
}

describe('Class: SlackWebhookClient', () => {
  it('posts the message as JSON and resolves on 200 ok', async () => {
    const result = await client().post(MESSAGE);
    expect(result).toEqual({ attempts: 1, degraded: false });
    expect(sink.requests[0]!.headers['content-type']).toBe('application/json');
    expect(sink.messages).toEqual([MESSAGE]);
  });

  it('falls back to the plain-text message when Slack answers 400 invalid_payload', async () => {
    sink.respondWith({ status: 400, body: 'invalid_payload' });
    const result = await client().post(MESSAGE, FALLBACK);
    expect(result).toEqual({ attempts: 2, degraded: true });
    expect(sink.messages).toEqual([FALLBACK]);
  });

  it('fails permanently when the fallback is refused too', async () => {
    sink.respondWith({ status: 400, body: 'invalid_payload' }, { status: 400, body: 'invalid_payload' });
    const error = await failure(client().post(MESSAGE, FALLBACK));
    expect(error).toMatchObject({ status: 400, slackError: 'invalid_payload', permanent: true, attempts: 2 });
    expect(error.message).toBe('Slack refused the message (HTTP 400 invalid_payload): Slack could not read the message. Report it with the alert payload.');
  });

  it.each([
    [403, 'action_prohibited', /workspace admin restricted posting/],
    [404, 'channel_not_found', /channel no longer exists/],
    [410, 'channel_is_archived', /archived/],
  ])('fails at once, permanently, on %i %s with what to do', async (status, code, hint) => {
    sink.respondWith({ status, body: code });
    const error = await failure(client().post(MESSAGE, FALLBACK));
    expect(error).toMatchObject({ status, slackError: code, permanent: true, attempts: 1 });
    expect(error.message).toMatch(hint);
    expect(sink.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says on 429, then delivers', async () => {
    sink.respondWith({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } });
    const result = await client().post(MESSAGE);
    expect(result.attempts).toBe(2);
    expect(sleeps).toEqual([2000]);
    expect(sink.messages).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff and jitter', async () => {
    sink.respondWith({ status: 500, body: 'internal_error' }, { status: 503 }, { status: 500 });
    const result = await client({ baseDelayMs: 100 }).post(MESSAGE);
    expect(result.attempts).toBe(4);
    // random() = 0.5 of 100, 200, 400 ms
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up after maxAttempts with a transient error', async () => {
    sink.respondWith(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
    const error = await failure(client({ maxAttempts: 3 }).post(MESSAGE));
    expect(error).toMatchObject({ status: 500, permanent: false, attempts: 3 });
    expect(error.message).toMatch(/after 3 attempt\(s\) \(HTTP 500 internal_error\)/);
  });

  it('does not wait past the deadline: a Retry-After beyond the remaining time fails now', async () => {
    sink.respondWith({ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } });
    const error = await failure(client({ remainingTimeMs: () => 5000 }).post(MESSAGE));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/would pass the deadline/);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['lambda', / The invocation fails so Lambda retries it and the dead-letter queue keeps it\.$/],
    ['receiver', / The receiver answers 502 so Alertmanager or Grafana sends it again\.$/],
    ['cli', / It was not posted; run the command again once this is fixed\.$/],
    [undefined, /\(HTTP 500 internal_error\)\.$/],
  ] as const)('says what happens next where it runs (%s), and only there', async (runsIn, consequence) => {
    sink.respondWith({ status: 500, body: 'internal_error' });
    const error = await failure(client({ maxAttempts: 1, ...(runsIn && { runsIn }) }).post(MESSAGE));
    expect(error.message).toMatch(consequence);
    if (runsIn !== 'lambda') expect(error.message).not.toMatch(/Lambda|dead-letter/);
  });

  it('does not sit out a Retry-After of more than a minute', async () => {
    sink.respondWith({ status: 429, body: 'rate_limited', headers: { 'retry-after': '600' } });
    const error = await failure(client().post(MESSAGE));
    expect(error.message).toMatch(/Slack asked to wait 600 s/);
    expect(sleeps).toEqual([]);
  });

  it('posts the plain-text fallback even when it was the last allowed attempt', async () => {
    sink.respondWith({ status: 400, body: 'invalid_blocks' });
    expect(await client({ maxAttempts: 1 }).post(MESSAGE, FALLBACK)).toEqual({ attempts: 2, degraded: true });
  });

  it('does not post at all when no time is left', async () => {
    const error = await failure(client({ remainingTimeMs: () => 1000 }).post(MESSAGE));
    expect(error.message).toMatch(/no time left/);
    expect(sink.requests).toHaveLength(0);
  });

  it('says a request timed out, and after how long, instead of a DOMException code', async () => {
    // A webhook that accepts the request and never answers.
    const silent = createServer(() => undefined);
    const { origin } = await listen(silent, 0, '127.0.0.1');
    try {
      const c = new SlackWebhookClient(`${origin}/services/T0000/B0000/silent`, { sleep: async () => undefined, maxAttempts: 2, requestTimeoutMs: 150 });
      const error = await failure(c.post(MESSAGE));
      expect(error.message).toMatch(/after 2 attempt\(s\) \(timed out after 150 ms\)/);
      expect(error.permanent).toBe(false);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('fails at once on a redirect, without following it or retrying', async () => {
    sink.respondWith({ status: 302, body: 'found', headers: { location: 'https://example.com/collect' } });
    const error = await failure(client().post(MESSAGE, FALLBACK));
    expect(error).toMatchObject({ status: 302, permanent: true, attempts: 1 });
    expect(error.slackError).toBeUndefined();
    expect(error.message).toMatch(/\(HTTP 302 redirect\): Slack does not redirect incoming webhooks/);
    expect(sink.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors and never puts the URL in the error', async () => {
    const closed = sink.url;
    await sink.close();
    const c = new SlackWebhookClient(closed, { sleep: async () => undefined, maxAttempts: 2 });
    const error = await failure(c.post(MESSAGE));
    expect(error.message).toMatch(/request failed: ECONNREFUSED/);
    expect(error.attempts).toBe(2);
    expect(JSON.stringify({ m: error.message, s: error.stack, c: String(error.cause) })).not.toContain('/services/T0000');
    sink = await startSlackSink();
  });
});

describe('Function: parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
