import { join } from 'node:path';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.js';
import { startSlackSink } from '../../src/testing/slack-sink.js';

const EVENTS = join(import.meta.dirname, '..', 'events');
const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

function io(env: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    readStdin: async () => stdin,
    untilStopped: async () => undefined,
  };
  return { value, out, err };
}

describe('CLI: eks-o11y-slack', () => {
  it('preview prints the Block Kit JSON of an event file', async () => {
    const { value, out } = io();
    expect(await runCli(['preview', join(EVENTS, 'cloudwatch-sns', 'ho11y-400-alarm.json')], value)).toBe(0);
    const message = JSON.parse(out[0]!) as { text: string; attachments: unknown[] };
    expect(message.text).toMatch(/^400 errors from ho11y app: OK → ALARM/);
    expect(message.attachments).toHaveLength(1);
  });

  it('preview explains a missing or malformed file', async () => {
    const { value, err } = io();
    expect(await runCli(['preview', '/nonexistent.json'], value)).toBe(1);
    expect(err[0]).toMatch(/Cannot read \/nonexistent.json: ENOENT/);
  });

  it('send posts to the webhook given on the command line', async () => {
    const sink = await startSlackSink();
    try {
      const { value, out } = io();
      const code = await runCli(['send', join(EVENTS, 'alertmanager', 'webhook-v4-firing.json'), '--webhook-url', sink.url, '--allow-loopback'], value);
      expect(code).toBe(0);
      expect(out).toEqual(['Delivered 1 message(s) to Slack.']);
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it('send refuses a non-Slack webhook', async () => {
    const { value, err } = io();
    expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json'), '--webhook-url', 'https://example.com/hook'], value)).toBe(1);
    expect(err[0]).toMatch(/host must be hooks.slack.com, not example.com/);
  });

  it('encrypt-webhook encrypts stdin with the function-name encryption context and prints base64', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('cipher') });
    const url = 'https://hooks.slack.com/services/T1/B1/abc';
    const { value, out } = io({}, `${url}\n`);
    expect(await runCli(['encrypt-webhook', '--key-id', 'alias/slack', '--function-name', 'cloudwatch-to-slack'], value)).toBe(0);
    expect(out).toEqual([Buffer.from('cipher').toString('base64')]);
    const input = kms.commandCalls(EncryptCommand)[0]!.args[0].input;
    expect(input.EncryptionContext).toEqual({ LambdaFunctionName: 'cloudwatch-to-slack' });
    expect(Buffer.from(input.Plaintext!).toString()).toBe(url);
    expect(input.KeyId).toBe('alias/slack');
  });

  it('prints usage for an unknown command', async () => {
    const { value, err } = io();
    expect(await runCli(['frobnicate'], value)).toBe(2);
    expect(err[0]).toMatch(/Unknown command "frobnicate"/);
  });
});
