import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertParseError, PartialDeliveryError, SlackDeliveryError } from '../../src/errors.js';
import { createLambdaHandler } from '../../src/lambda/handler.js';
import { LAMBDA_ASSET_DIR, LAMBDA_HANDLER } from '../../src/lambda-asset.js';
import { startSlackSink, type SlackSink } from '../../src/testing/slack-sink.js';
import { loadEvent } from '../helpers/events.js';

const kms = mockClient(KMSClient);
const context = { getRemainingTimeInMillis: () => 30_000, functionName: 'cloudwatch-to-slack', awsRequestId: 'req-1' };
let sink: SlackSink;
let output: string[];

function snsEventWith(...names: string[]) {
  const records = names.flatMap((n) => (loadEvent('cloudwatch-sns', n) as { Records: unknown[] }).Records);
  return { Records: records };
}

beforeEach(async () => {
  sink = await startSlackSink();
  output = [];
  const capture = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(async () => {
  vi.restoreAllMocks();
  kms.reset();
  await sink.close();
});

const env = (extra: Record<string, string> = {}) => ({ SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', ...extra });

describe('Function: createLambdaHandler', () => {
  it('delivers every record of an SNS event, not just the first', async () => {
    const handler = createLambdaHandler({ env: env() });
    const result = await handler(snsEventWith('ho11y-400-alarm', 'ho11y-400-ok', 'composite'), context);
    expect(result).toEqual({ records: 3, messages: 3, alerts: 3 });
    expect(sink.messages.map((m) => m.text)).toEqual([
      expect.stringContaining('400 errors from ho11y app: OK → ALARM'),
      expect.stringContaining('400 errors from ho11y app: ALARM → OK'),
      expect.stringContaining('ho11y unhealthy: OK → ALARM'),
    ]);
  });

  it('delivers an EventBridge alarm state change', async () => {
    const handler = createLambdaHandler({ env: env({ SLACK_CHANNEL: '#alarms' }) });
    await handler(loadEvent('cloudwatch-eventbridge', 'single-metric'), context);
    expect(sink.messages[0]).toMatchObject({ channel: '#alarms', text: expect.stringContaining('ServerCpuTooHigh: OK → ALARM') });
  });

  it('decrypts the KMS webhook once per cold start and never logs the URL, even when delivery fails', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(`${sink.url}\n`) });
    const handler = createLambdaHandler({
      env: { SLACK_WEBHOOK_KMS_CIPHERTEXT: 'AQIDBA==', AWS_LAMBDA_FUNCTION_NAME: 'cloudwatch-to-slack', SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    await handler(snsEventWith('ho11y-400-alarm'), context);
    sink.respondWith({ status: 404, body: 'channel_not_found' });
    const error = (await handler(snsEventWith('ho11y-400-ok'), context).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect(error.message).toMatch(/^the default webhook: Slack refused the message \(HTTP 404 channel_not_found\)/);
    expect(error.message).toMatch(/The invocation fails so Lambda retries it and the dead-letter queue keeps it\.$/);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input.EncryptionContext).toEqual({ LambdaFunctionName: 'cloudwatch-to-slack' });
    const logs = output.join('');
    expect(logs).toContain('Delivered to Slack');
    expect(logs).toContain('channel_not_found');
    expect(logs).not.toContain('/services/T0000/B0000/sink');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('/services/');
  });

  it('tries every record and then fails the invocation, so Lambda retries and the DLQ keeps the alert', async () => {
    sink.respondWith({ status: 200, body: 'ok' }, { status: 410, body: 'channel_is_archived' });
    const handler = createLambdaHandler({ env: env() });
    const error = await handler(snsEventWith('ho11y-400-alarm', 'ho11y-400-ok', 'composite'), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialDeliveryError);
    expect((error as PartialDeliveryError).delivered).toBe(2);
    expect((error as Error).message).toMatch(/^1 Slack message\(s\) failed, 2 delivered: the default webhook: Slack refused the message \(HTTP 410 channel_is_archived\)/);
    expect((error as PartialDeliveryError).routes).toEqual(['the default webhook']);
    expect(sink.requests).toHaveLength(3);
  });

  it('sends alerts to their route', async () => {
    const other = await startSlackSink();
    try {
      const routes = [{ name: 'ho11y', match: { namespace: ['ho11y'] }, webhook: { url: other.url }, channel: '#ho11y-alerts' }];
      const handler = createLambdaHandler({ env: env({ SLACK_ROUTES: JSON.stringify(routes) }) });
      await handler(snsEventWith('ho11y-400-alarm', 'blog-test-event'), context);
      expect(other.messages.map((m) => [m.channel, m.text])).toEqual([['#ho11y-alerts', expect.stringContaining('400 errors from ho11y app')]]);
      expect(sink.messages.map((m) => m.text)).toEqual([expect.stringContaining('Message from Test event')]);
    } finally {
      await other.close();
    }
  });

  it('rejects an event it does not understand without posting anything', async () => {
    const handler = createLambdaHandler({ env: env() });
    await expect(handler({ foo: 'bar' }, context)).rejects.toBeInstanceOf(AlertParseError);
    await expect(handler({ Records: [{ EventSource: 'aws:sqs' }] }, context)).rejects.toThrow(/Not a valid SNS event/);
    expect(sink.requests).toHaveLength(0);
  });

  it('fails clearly when no webhook is configured', async () => {
    await expect(createLambdaHandler({ env: {} })(snsEventWith('ho11y-400-alarm'), context)).rejects.toThrow(/No Slack webhook configured/);
  });
});

describe('Lambda asset (the esbuild bundle)', () => {
  const bundle = join(LAMBDA_ASSET_DIR, 'index.mjs');

  it('is where the lambda-asset subpath says, and the folder zipped into the function holds only the bundle', () => {
    expect(LAMBDA_HANDLER).toBe('index.handler');
    expect(existsSync(bundle)).toBe(true);
    expect(readdirSync(LAMBDA_ASSET_DIR)).toEqual(['index.mjs']);
  });

  it('runs in a fresh Node process: imports, posts the blog test event to the sink, logs no URL', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(bundle)});
      const event = JSON.parse(process.env.EVENT);
      const result = await handler(event, { getRemainingTimeInMillis: () => 3000, functionName: 'f', awsRequestId: 'r' });
      console.log('RESULT ' + JSON.stringify(result));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', EVENT: JSON.stringify(loadEvent('cloudwatch-sns', 'blog-test-event')) },
    });
    expect(stdout).toContain('RESULT {"records":1,"messages":1,"alerts":1}');
    expect(sink.messages[0]!.text).toBe('Message from Test event: OK → ALARM (demo-cluster) - New state from test event.');
    expect(stdout + stderr).not.toContain('/services/T0000');
  });

  it('keeps the AWS SDK external and stays under 300 KB', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    // The esbuild metafile sits beside the asset folder, not in it.
    const meta = JSON.parse(await readFile(join(LAMBDA_ASSET_DIR, '..', 'lambda-meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(meta.inputs).some((k) => k.includes('@aws-sdk/'))).toBe(false);
    expect((await stat(bundle)).size).toBeLessThanOrEqual(300 * 1024);
  });
});
