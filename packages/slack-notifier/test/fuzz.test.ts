import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifierError } from '../src/errors.js';
import { createLambdaHandler } from '../src/lambda/handler.js';
import { batchesFromLambdaEvent } from '../src/lambda/lambda-event.js';
import type { Alert } from '../src/model/alert.js';
import { renderPlainTextMessage, renderSlackMessage } from '../src/render/slack-message.js';
import { parseAlertPayload } from '../src/sources/parse-alerts.js';
import { validateSlackMessage } from '../src/testing/slack-message-validator.js';
import { startSlackSink, type SlackSink } from '../src/testing/slack-sink.js';
import { loadEvent, snsMessage } from './helpers/events.js';

/** `FUZZ_SCALE=20 npx vitest run test/fuzz.test.ts` for a deep local run; CI uses the defaults. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const GARBAGE = /undefined|NaN|\[object Object\]/;

/** JavaScript's placeholders in a message are garbage, unless the input itself held those words (a random `"NaN"`). */
function expectNoPlaceholders(text: string, input: unknown): void {
  if (!GARBAGE.test(fc.stringify(input))) expect(text).not.toMatch(GARBAGE);
}

/** A message is garbage when Slack would refuse it or it shows placeholders that `input` did not hold. */
function expectSendable(message: ReturnType<typeof renderSlackMessage>, input: unknown): void {
  expect(validateSlackMessage(message).problems).toEqual([]);
  expect(message.text.trim().length).toBeGreaterThan(0);
  expectNoPlaceholders(message.text, input);
}

const SEED_MESSAGES = [
  snsMessage('cloudwatch-sns', 'ho11y-400-alarm'),
  snsMessage('cloudwatch-sns', 'metric-math'),
  snsMessage('cloudwatch-sns', 'composite'),
  snsMessage('amp-sns', 'json-template'),
  loadEvent('alertmanager', 'webhook-v4-firing'),
  loadEvent('generic', 'pod-crashloop'),
] as Record<string, unknown>[];

/** A known payload with some top-level fields replaced by random values. */
const mutated = fc
  .tuple(fc.constantFrom(...SEED_MESSAGES), fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }), fc.array(fc.nat(20), { maxLength: 3 }))
  .map(([seed, extra, pick]) => {
    const keys = Object.keys(seed);
    const copy: Record<string, unknown> = { ...seed };
    for (const [i, p] of pick.entries()) copy[keys[p % keys.length]!] = Object.values(extra)[i] ?? null;
    return copy;
  });

const snsEvent = (messages: string[]) => ({
  Records: messages.map((Message, i) => ({
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:us-east-2:123456789012:t:1',
    Sns: { Type: 'Notification', MessageId: `m-${i}`, TopicArn: 'arn:aws:sns:us-east-2:123456789012:t', Subject: null, Message, Timestamp: '2023-02-17T23:35:39.341Z' },
  })),
});

describe('Fuzz: parsers and renderer', () => {
  it('parseAlertPayload throws only NotifierError on any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated), (value) => {
        try {
          const batch = parseAlertPayload(value);
          for (const a of batch.alerts) expect(a.name.length).toBeGreaterThan(0);
          expectSendable(renderSlackMessage(batch), value);
        } catch (error) {
          expect(error).toBeInstanceOf(NotifierError);
        }
      }),
      { numRuns: 400 * SCALE },
    );
  });

  it('every SNS message, whatever it holds, becomes a message Slack accepts', () => {
    const message = fc.oneof(fc.string({ maxLength: 4000 }), fc.json(), mutated.map((m) => JSON.stringify(m)), fc.string({ unit: 'binary', maxLength: 500 }));
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 3 }), (messages) => {
        const items = batchesFromLambdaEvent(snsEvent(messages));
        expect(items).toHaveLength(messages.length);
        for (const item of items) {
          expectSendable(renderSlackMessage(item.batch), messages);
          expect(validateSlackMessage(renderPlainTextMessage(item.batch)).problems).toEqual([]);
        }
      }),
      // A message that says "NaN" is shown as it is (a seed found this in CI).
      { numRuns: 300 * SCALE, examples: [[['"NaN"', '']]] },
    );
  });

  it('any alert content renders within Slack limits', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 4000 }), fc.constantFrom('<!channel>', '&amp;', '```', '**', '<http://x|y>'));
    const alert: fc.Arbitrary<Alert> = fc.record(
      {
        source: fc.constantFrom('cloudwatch', 'alertmanager', 'grafana', 'generic', 'text', 'amazon-managed-prometheus'),
        name: text.filter((s) => s.length > 0),
        status: fc.constantFrom('firing', 'resolved', 'insufficient_data'),
        state: text.filter((s) => s.length > 0),
        previousState: text,
        severity: fc.constantFrom('critical', 'warning', 'info'),
        summary: text,
        reason: text,
        description: text,
        metric: text,
        condition: text,
        labels: fc.dictionary(fc.string({ maxLength: 40 }), fc.string({ maxLength: 300 }), { maxKeys: 40 }),
        cluster: text,
        namespace: text,
        timestamp: text,
        links: fc.array(fc.record({ kind: fc.constantFrom('console', 'runbook', 'dashboard', 'source', 'silence', 'panel'), url: fc.webUrl() }), { maxLength: 8 }),
      },
      { requiredKeys: ['source', 'name', 'status', 'state', 'labels', 'links'] },
    ) as fc.Arbitrary<Alert>;
    fc.assert(
      fc.property(fc.array(alert, { minLength: 1, maxLength: 15 }), fc.option(text, { nil: undefined }), (alerts, title) => {
        const message = renderSlackMessage({ alerts, ...(title !== undefined && { title }) });
        expect(validateSlackMessage(message).problems).toEqual([]);
      }),
      { numRuns: 200 * SCALE },
    );
  });
});

describe('Fuzz: the Lambda handler against the Slack-like sink', () => {
  let sink: SlackSink;
  beforeAll(async () => {
    sink = await startSlackSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('never crashes with anything but a NotifierError and never posts a message Slack would refuse', async () => {
    const handler = createLambdaHandler({
      env: { SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true' },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const event = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.array(fc.oneof(fc.string({ maxLength: 300 }), mutated.map((m) => JSON.stringify(m))), { minLength: 1, maxLength: 3 }).map(snsEvent),
      mutated,
    );
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const posted = sink.messages.length;
        try {
          await handler(e, { getRemainingTimeInMillis: () => 5000 });
        } catch (error) {
          expect(error).toBeInstanceOf(NotifierError);
        }
        for (const m of sink.messages.slice(posted)) expectNoPlaceholders(String(m.text), e);
      }),
      { numRuns: 150 * SCALE },
    );
    expect(sink.requests.length).toBeGreaterThan(0);
    expect(sink.requests.filter((r) => r.status !== 200).map((r) => r.raw.slice(0, 300))).toEqual([]);
  });
});
