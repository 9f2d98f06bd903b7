import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.js';
import { startSlackSink } from '../../src/testing/slack-sink.js';

const EVENTS = join(import.meta.dirname, '..', 'events');
const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

function io(env: Record<string, string> = {}, stdin = '', untilStopped: () => Promise<void> = async () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    readStdin: async () => stdin,
    untilStopped,
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

  it('preview --builder-url prints a Block Kit Builder link holding the message', async () => {
    const { value, out } = io();
    expect(await runCli(['preview', join(EVENTS, 'cloudwatch-sns', 'ho11y-400-alarm.json'), '--builder-url'], value)).toBe(0);
    expect(out[0]).toMatch(/^https:\/\/app\.slack\.com\/block-kit-builder#/);
    const payload = JSON.parse(decodeURIComponent(out[0]!.split('#')[1]!)) as { blocks: unknown[]; attachments: unknown[] };
    expect(payload.blocks).toHaveLength(1);
    expect(payload.attachments).toHaveLength(1);
  });

  it.each(['preview', 'send'])('%s with a file that does not exist is a usage error (exit 2), as the README says; a malformed one fails (exit 1)', async (command) => {
    const missing = io();
    expect(await runCli([command, '/nonexistent.json'], missing.value)).toBe(2);
    expect(missing.err[0]).toMatch(new RegExp(`^eks-o11y-slack ${command}: Cannot read /nonexistent.json: ENOENT \\(no such file\\)`));
    expect(missing.err[1]).toMatch(/eks-o11y-slack help/);
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/2 for a usage error \([^)]*event file that does not exist/);

    const dir = mkdtempSync(join(tmpdir(), 'eks-o11y-slack-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{ not json');
      const malformed = io();
      expect(await runCli([command, join(dir, 'bad.json')], malformed.value)).toBe(1);
      expect(malformed.err[0]).toMatch(/bad\.json is not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it('send --webhook-url replaces only the default webhook: SLACK_MENTION, SLACK_CHANNEL and SLACK_ROUTES still apply', async () => {
    const sink = await startSlackSink();
    const routeSink = await startSlackSink();
    const event = join(EVENTS, 'generic', 'pod-crashloop.json');
    try {
      const env = { SLACK_WEBHOOK_SECRET_ID: 'slack/prod', SLACK_MENTION: '@here', SLACK_CHANNEL: '#oncall' };
      expect(await runCli(['send', event, '--webhook-url', sink.url, '--allow-loopback'], io(env).value)).toBe(0);
      expect(sink.messages[0]).toMatchObject({ channel: '#oncall', text: expect.stringMatching(/^<!here> CrashLoopBackOff/) });

      const routes = JSON.stringify([{ name: 'ho11y', match: { namespace: ['ho11y'] }, webhook: { url: routeSink.url } }]);
      expect(await runCli(['send', event, '--webhook-url', sink.url, '--allow-loopback'], io({ ...env, SLACK_ROUTES: routes }).value)).toBe(0);
      expect(routeSink.messages).toHaveLength(1);
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
      await routeSink.close();
    }
  });

  it('send reports each retry with its status, delay and reason, never the webhook URL', async () => {
    const sink = await startSlackSink();
    try {
      sink.respondWith({ status: 503, body: 'service_unavailable' });
      const { value, err } = io();
      expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json'), '--webhook-url', sink.url, '--allow-loopback'], value)).toBe(0);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^Retrying Slack delivery \{"route":"default","attempt":1,"status":503,"delayMs":\d+,"reason":"HTTP 503 service_unavailable"\}$/);
      expect(err[0]).not.toContain('/services/');
    } finally {
      await sink.close();
    }
  });

  it('send says the message was not posted and to run it again, not that Lambda will retry it', async () => {
    const sink = await startSlackSink();
    try {
      sink.respondWith({ status: 404, body: 'channel_not_found' });
      const { value, err } = io();
      expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json'), '--webhook-url', sink.url, '--allow-loopback'], value)).toBe(1);
      expect(err[0]).toMatch(/^eks-o11y-slack send: the default webhook: Slack refused the message \(HTTP 404 channel_not_found\).* It was not posted; run the command again once this is fixed\.$/);
      expect(err.join('\n')).not.toContain('/services/');
      expect(err[0]).not.toMatch(/Lambda|dead-letter/);
    } finally {
      await sink.close();
    }
  });

  it('send tries every SNS record of the file, then fails naming the route and counting what was delivered', async () => {
    const sink = await startSlackSink();
    const dir = mkdtempSync(join(tmpdir(), 'eks-o11y-slack-'));
    try {
      const records = ['ho11y-400-alarm', 'ho11y-400-ok', 'composite'].flatMap(
        (n) => (JSON.parse(readFileSync(join(EVENTS, 'cloudwatch-sns', `${n}.json`), 'utf8')) as { Records: unknown[] }).Records,
      );
      const file = join(dir, 'three-records.json');
      writeFileSync(file, JSON.stringify({ Records: records }));
      sink.respondWith({ status: 410, body: 'channel_is_archived' });
      const { value, out, err } = io();
      expect(await runCli(['send', file, '--webhook-url', sink.url, '--allow-loopback'], value)).toBe(1);
      // the first record failed; the two after it were still posted
      expect(sink.requests).toHaveLength(3);
      expect(sink.messages).toHaveLength(2);
      expect(out).toEqual([]);
      expect(err[0]).toMatch(/^eks-o11y-slack send: 1 Slack message\(s\) failed, 2 delivered: the default webhook: Slack refused the message \(HTTP 410 channel_is_archived\)/);
      expect(err.join('\n')).not.toContain('/services/');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await sink.close();
    }
  });

  it('send refuses a non-Slack webhook', async () => {
    const { value, err } = io();
    expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json'), '--webhook-url', 'https://example.com/hook'], value)).toBe(1);
    expect(err[0]).toMatch(/host must be hooks.slack.com, not example.com/);
  });

  it('encrypt-webhook without a region says how to give one', async () => {
    kms.on(EncryptCommand).rejects(new Error('Region is missing'));
    const { value, err } = io({}, 'https://hooks.slack.com/services/T1/B1/abc\n');
    expect(await runCli(['encrypt-webhook', '--key-id', 'alias/slack', '--function-name', 'cloudwatch-to-slack'], value)).toBe(1);
    expect(err[0]).toBe('eks-o11y-slack encrypt-webhook: Region is missing: pass --region or set AWS_REGION.');
  });

  it('send with a KMS ciphertext names the variable the CLI user sets for its function name, and reads it', async () => {
    const missing = io({ SLACK_WEBHOOK_KMS_CIPHERTEXT: 'AQIDBA==' });
    expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json')], missing.value)).toBe(1);
    expect(missing.err[0]).toMatch(/Set AWS_LAMBDA_FUNCTION_NAME to the function name it was encrypted for \(the --function-name given to encrypt-webhook\), or pass the URL itself with --webhook-url\./);
    expect(missing.err[0]).not.toMatch(/functionName/);

    const sink = await startSlackSink();
    try {
      kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(sink.url) });
      const { value } = io({ SLACK_WEBHOOK_KMS_CIPHERTEXT: 'AQIDBA==', AWS_LAMBDA_FUNCTION_NAME: 'cloudwatch-to-slack', SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true' });
      expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json')], value)).toBe(0);
      expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input.EncryptionContext).toEqual({ LambdaFunctionName: 'cloudwatch-to-slack' });
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it('serve without a token says to pass --token or set RECEIVER_TOKEN, not a library option (exit 2)', async () => {
    const { value, err } = io({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B1/abc' });
    expect(await runCli(['serve', '--port', '0'], value)).toBe(2);
    expect(err[0]).toBe('eks-o11y-slack serve: serve needs a bearer token for Alertmanager or Grafana to send: pass --token T or set RECEIVER_TOKEN.');
    expect(err.join('\n')).not.toMatch(/allowUnauthenticated|bearerToken|\/services\//);
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

  it('sink prints each message readably while it runs', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { value, out } = io({}, '', () => stopped);
    const running = runCli(['sink', '--port', '0'], value);
    await expect.poll(() => out.length).toBeGreaterThan(0);
    const url = /listening: (\S+)/.exec(out[0]!)![1]!;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Disk full on node-1' }) });
    expect(await res.text()).toBe('ok');
    await expect.poll(() => out.join('\n')).toContain('Disk full on node-1');
    stop();
    expect(await running).toBe(0);
  });

  it('serve receives Alertmanager webhooks with the token and delivers them', async () => {
    const sink = await startSlackSink();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { value, out } = io({ SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', RECEIVER_TOKEN: 't0ken' }, '', () => stopped);
    try {
      const running = runCli(['serve', '--port', '0'], value);
      await expect.poll(() => out.find((l) => l.startsWith('Receiving'))).toBeDefined();
      const base = /on (http:\/\/\S+)\/alertmanager/.exec(out.find((l) => l.startsWith('Receiving'))!)![1]!;
      const body = readFileSync(join(EVENTS, 'alertmanager', 'webhook-v4-resolved.json'), 'utf8');
      const res = await fetch(`${base}/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer t0ken', 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(sink.messages[0]!.text).toContain('2 resolved');
      stop();
      expect(await running).toBe(0);
    } finally {
      await sink.close();
    }
  });

  it('serve logs a failed delivery with its route and reason, never the webhook URL', async () => {
    const sink = await startSlackSink();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { value, out, err } = io({ SLACK_WEBHOOK_URL: sink.url, SLACK_ALLOW_LOOPBACK_WEBHOOK: 'true', RECEIVER_TOKEN: 't0ken' }, '', () => stopped);
    try {
      const running = runCli(['serve', '--port', '0'], value);
      await expect.poll(() => out.find((l) => l.startsWith('Receiving'))).toBeDefined();
      const base = /on (http:\/\/\S+)\/alertmanager/.exec(out.find((l) => l.startsWith('Receiving'))!)![1]!;
      sink.respondWith({ status: 404, body: 'channel_not_found' });
      const body = readFileSync(join(EVENTS, 'alertmanager', 'webhook-v4-firing.json'), 'utf8');
      const res = await fetch(`${base}/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer t0ken', 'content-type': 'application/json' }, body });
      expect(res.status).toBe(502);
      stop();
      expect(await running).toBe(0);
      const line = err.find((l) => l.startsWith('Slack delivery failed'));
      expect(line).toMatch(/"route":"default"/);
      expect(line).toMatch(/"alerts":\["Ho11yHigh400Rate","Ho11yHigh400Rate"\]/);
      expect(line).toMatch(/"error":"SlackDeliveryError: Slack refused the message \(HTTP 404 channel_not_found\)/);
      expect(err.join('\n')).not.toContain('/services/');
    } finally {
      await sink.close();
    }
  });

  it('send without a webhook says how to give one on the command line, not how to configure the Lambda', async () => {
    const { value, err } = io();
    expect(await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json')], value)).toBe(1);
    expect(err[0]).toMatch(/No Slack webhook configured: pass --webhook-url https:\/\/hooks\.slack\.com\/services\/\.\.\. or set SLACK_WEBHOOK_URL/);
    expect(err[0]).not.toMatch(/KMS_CIPHERTEXT/);
  });

  it('send to a loopback sink without --allow-loopback names the flag that allows it', async () => {
    const { value, err } = io();
    const code = await runCli(['send', join(EVENTS, 'generic', 'pod-crashloop.json'), '--webhook-url', 'http://127.0.0.1:9/services/T/B/x'], value);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/points at a loopback address.*pass --allow-loopback/);
  });

  it.each(['send', 'preview'])('%s without an event file is a usage error (exit 2) about that command', async (command) => {
    const { value, err } = io();
    expect(await runCli([command], value)).toBe(2);
    expect(err[0]).toBe(`eks-o11y-slack ${command}: Give the event file: eks-o11y-slack ${command} <event.json>`);
    expect(err[1]).toMatch(/eks-o11y-slack help/);
  });

  it('help lists the same commands and options as the README synopsis', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const synopsis = /## CLI\n\n```\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    const { value, out } = io();
    expect(await runCli(['help'], value)).toBe(0);
    const options = (text: string) => [...text.replace(/#.*/, '').matchAll(/--[a-z-]+/g)].map((m) => m[0]).sort();
    const documented = Object.fromEntries(synopsis.map((line) => [line.split(' ')[1], options(line)]));
    const helped = Object.fromEntries(
      out[0]!
        .split('\n')
        .filter((line) => /^ {2}[a-z]/.test(line))
        .map((line) => [line.trim().split(' ')[0], options(line.trim().split(/\s{2,}/)[0]!)]),
    );
    expect(documented).toEqual(helped);
  });

  it('prints usage for an unknown command', async () => {
    const { value, err } = io();
    expect(await runCli(['frobnicate'], value)).toBe(2);
    expect(err[0]).toMatch(/Unknown command "frobnicate"/);
  });
});
