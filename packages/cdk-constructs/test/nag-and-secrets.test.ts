import { describe, expect, it } from 'vitest';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import {
  ControlPlaneForbiddenAlarm,
  ControlPlaneQueries,
  Ho11yErrorAlarm,
  SlackNotifier,
  SlackWebhook,
} from '../src/index.js';
import { nagFindings, newStack, synthesiseToFiles, tempOutdir } from './helpers.js';

const WEBHOOK_URL = 'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnopqrstuvwx';

/** Every construct of the package in one stack, with every kind of webhook source. */
function everything() {
  const { app, stack } = newStack('Everything', { nag: true, outdir: tempOutdir() });
  const key = new kms.Key(stack, 'WebhookKey', { enableKeyRotation: true });
  const secret = new secretsmanager.Secret(stack, 'TeamWebhook');
  // The test's own secret, not part of the package: rotation of a webhook URL is a manual Slack operation.
  NagSuppressions.addResourceSuppressions(secret, [
    { id: 'AwsSolutions-SMG4', reason: 'A Slack webhook URL cannot be rotated by a Lambda; it is replaced by hand in Slack.' },
  ]);
  const notifier = new SlackNotifier(stack, 'Slack', {
    functionName: 'cloudwatch-to-slack',
    webhook: SlackWebhook.fromKmsCiphertext(Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 53) % 256)).toString('base64'), key),
    routes: [
      { name: 'team', match: { namespace: ['ho11y'] }, webhook: SlackWebhook.fromSecret(secret) },
      { name: 'pager', match: { severity: ['critical'] }, webhook: SlackWebhook.fromSsmParameter('/slack/pager') },
    ],
  });
  new Ho11yErrorAlarm(stack, 'Ho11y', { clusterName: 'demo-cluster', notifier });
  new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName: 'demo-cluster', notifier });
  new ControlPlaneQueries(stack, 'Queries', { clusterName: 'demo-cluster' });
  return { app, stack };
}

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing on the package constructs (no suppression inside the package)', () => {
    const { app, stack } = everything();
    app.synth();
    expect(nagFindings(stack)).toEqual([]);
  });

  it('is really checking: an unencrypted queue next to them is reported', async () => {
    const { app, stack } = everything();
    const sqs = await import('aws-cdk-lib/aws-sqs');
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    app.synth();
    expect(nagFindings(stack).join('\n')).toMatch(/AwsSolutions-SQS2/);
  });
});

describe('Secrets stay out of the cloud assembly', () => {
  it('no synthesised file contains a webhook URL, whichever source holds it', () => {
    const { app } = everything();
    // the URL the ciphertext, secret and parameter stand for exists only here
    const files = synthesiseToFiles(app);
    expect(files.size).toBeGreaterThan(2);
    // A real webhook URL has its three path secrets; the bundled handler only names the host it accepts.
    const webhookUrl = /hooks\.slack(-gov)?\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+/;
    const leaks = [...files].filter(([, text]) => webhookUrl.test(text) || text.includes(WEBHOOK_URL));
    expect(leaks.map(([path]) => path)).toEqual([]);
  });
});

describe('The leak check itself', () => {
  it('would catch a webhook URL in an environment variable', () => {
    const { app, stack } = newStack('Leaky', { outdir: tempOutdir() });
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/hook') }).function.addEnvironment('OOPS', WEBHOOK_URL);
    const files = synthesiseToFiles(app);
    expect([...files.values()].some((text) => text.includes(WEBHOOK_URL))).toBe(true);
  });
});
