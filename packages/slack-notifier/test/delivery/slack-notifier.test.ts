import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/delivery/slack-notifier.js';
import { PartialDeliveryError, SlackDeliveryError, WebhookResolutionError } from '../../src/errors.js';
import { parseAlertPayload } from '../../src/sources/parse-alerts.js';
import { startSlackSink, type SlackSink } from '../../src/testing/slack-sink.js';

let platform: SlackSink;
let fallback: SlackSink;

beforeEach(async () => {
  platform = await startSlackSink();
  fallback = await startSlackSink();
});
afterEach(async () => {
  await platform.close();
  await fallback.close();
});

const batch = parseAlertPayload({
  version: 'eks-o11y.alert/v1',
  alerts: [
    { name: 'CrashLoopBackOff ho11y/frontend', status: 'firing', severity: 'critical', namespace: 'ho11y' },
    { name: 'DiskPressure node-1', status: 'firing', severity: 'warning' },
  ],
});

describe('Class: SlackNotifier', () => {
  it('names the route that failed when others were delivered, by name and channel, never by URL', async () => {
    platform.respondWith({ status: 404, body: 'channel_not_found' });
    const notifier = new SlackNotifier({
      config: {
        routes: [{ name: 'platform', match: { namespace: ['ho11y'] }, webhook: { url: platform.url }, channel: '#ho11y-alerts' }],
        defaultWebhook: { url: fallback.url },
        allowInsecureLoopbackWebhook: true,
      },
    });
    const error = (await notifier.notify(batch).catch((e: unknown) => e)) as PartialDeliveryError;
    expect(error).toBeInstanceOf(PartialDeliveryError);
    expect(error.message).toMatch(/^1 Slack message\(s\) failed, 1 delivered: route "platform" \(#ho11y-alerts\): Slack refused the message \(HTTP 404 channel_not_found\)/);
    expect(error.routes).toEqual(['route "platform" (#ho11y-alerts)']);
    expect(error.message).not.toContain('/services/');
    expect(fallback.messages).toHaveLength(1);
  });

  it('calls the default webhook by that name when it is the one that failed', async () => {
    fallback.respondWith({ status: 410, body: 'channel_is_archived' });
    const notifier = new SlackNotifier({
      config: {
        routes: [{ name: 'platform', match: { namespace: ['ho11y'] }, webhook: { url: platform.url } }],
        defaultWebhook: { url: fallback.url },
        allowInsecureLoopbackWebhook: true,
      },
    });
    await expect(notifier.notify(batch)).rejects.toThrow(/1 delivered: the default webhook: Slack refused the message \(HTTP 410 channel_is_archived\)/);
  });

  it('names the route when it is the only one and it failed, keeping the error class and its fields', async () => {
    platform.respondWith({ status: 404, body: 'channel_not_found' });
    const notifier = new SlackNotifier({
      config: { routes: [{ name: 'platform', match: {}, webhook: { url: platform.url }, channel: '#ho11y-alerts' }], allowInsecureLoopbackWebhook: true },
    });
    const error = (await notifier.notify(batch).catch((e: unknown) => e)) as SlackDeliveryError;
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect(error).toMatchObject({ name: 'SlackDeliveryError', status: 404, slackError: 'channel_not_found', permanent: true, attempts: 1 });
    expect(error.message).toMatch(/^route "platform" \(#ho11y-alerts\): Slack refused the message \(HTTP 404 channel_not_found\)/);
    expect(error.stack).toContain('route "platform" (#ho11y-alerts): Slack refused');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('/services/');
  });

  it('names the default webhook once per failure, even when the same resolution error comes back again', async () => {
    const notifier = new SlackNotifier({ config: { routes: [], defaultWebhook: { url: 'https://example.com/hook' } } });
    for (let i = 0; i < 2; i++) {
      const error = (await notifier.notify(batch).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(WebhookResolutionError);
      expect(error.message).toMatch(/^the default webhook: .*hooks\.slack\.com/);
      expect(error.message.match(/the default webhook/g)).toHaveLength(1);
    }
  });
});
