import { describe, expect, it } from 'vitest';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InvalidPropsError, SlackNotifier, SlackWebhook } from '../src/index.js';
import { newStack } from './helpers.js';

const KEY_ARN = 'arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Stands in for `aws kms encrypt` output: base64 of an opaque blob. */
const CIPHERTEXT = Buffer.from(Array.from({ length: 180 }, (_, i) => (i * 37) % 256)).toString('base64');

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

function statementsOf(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement);
}

function notifierWithKms(functionName?: string) {
  const { stack } = newStack();
  const key = kms.Key.fromKeyArn(stack, 'WebhookKey', KEY_ARN);
  const notifier = new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromKmsCiphertext(CIPHERTEXT, key), functionName });
  return { stack, notifier, template: Template.fromStack(stack) };
}

describe('Class: SlackNotifier', () => {
  it('encrypts the topic with a customer-managed key that rotates, and enforces TLS', () => {
    const { template } = notifierWithKms();
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]) },
    });
  });

  it('lets CloudWatch alarms and EventBridge rules of this account publish and use the key', () => {
    const { template } = notifierWithKms();
    const services = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'];
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: services },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Principal: { Service: services }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      })]) },
    });
  });

  it('runs the bundled notifier on nodejs24.x arm64 with memory, timeout, retries and an encrypted DLQ', () => {
    const { template } = notifierWithKms();
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 15,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
  });

  it('runs on a Node.js runtime of your choice from nodejs22.x on, and refuses one that cannot run the bundle', () => {
    const { stack } = newStack();
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/hook'), runtime: lambda.Runtime.NODEJS_22_X });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x' });
    for (const runtime of [lambda.Runtime.NODEJS_20_X, lambda.Runtime.PYTHON_3_13]) {
      const { stack: other } = newStack();
      expect(() => new SlackNotifier(other, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/hook'), runtime }))
        .toThrow(new RegExp(`runtime ${runtime.name.replace('.', '\\.')} cannot run the notifier; give a Node.js runtime from nodejs22.x on`));
    }
  });

  it('keeps the logs for the retention given, in the log group named after the function', () => {
    const { template, notifier } = notifierWithKms('cloudwatch-to-slack');
    expect(notifier.functionName).toBe('cloudwatch-to-slack');
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/cloudwatch-to-slack', RetentionInDays: 30 });
  });

  it('deletes its fixed-name log group with the stack, so a redeploy does not fail on "already exists"', () => {
    const { template } = notifierWithKms('cloudwatch-to-slack');
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    const { stack } = newStack();
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/hook'), logRemovalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  it('allows kms:Decrypt only with the encryption context LambdaFunctionName = the literal function name', () => {
    // Prepare / Act
    const { template } = notifierWithKms('cloudwatch-to-slack');

    // Assess: the condition holds the same literal as FunctionName, so function and role do not depend on each other
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloudwatch-to-slack',
      Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_KMS_CIPHERTEXT: CIPHERTEXT }) },
    });
    const decrypt = statementsOf(template).filter((s) => s.Action === 'kms:Decrypt');
    expect(decrypt).toEqual([{
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:EncryptionContext:LambdaFunctionName': 'cloudwatch-to-slack' } },
    }]);
  });

  it('derives a default function name that is stable and valid', () => {
    const first = notifierWithKms().notifier.functionName;
    const second = notifierWithKms().notifier.functionName;
    expect(first).toBe(second);
    expect(first).toMatch(/^Test-Slack-[A-F0-9]{8}$/);
  });

  it('gives its role no wildcard action and no AWS-managed policy', () => {
    const { template } = notifierWithKms();
    const actions = statementsOf(template).flatMap((s) => [s.Action].flat());
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('alarms on function errors and on a non-empty DLQ, sent to the failure topic', () => {
    const { stack } = newStack();
    const failureAlarmTopic = new sns.Topic(stack, 'Pager');
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/hook'), failureAlarmTopic });
    const template = Template.fromStack(stack);
    const pagerId = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('Pager'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [{ Ref: pagerId }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [{ Ref: pagerId }],
    });
  });

  it('reads a secret webhook with read access to that secret only', () => {
    const { stack } = newStack();
    const secret = new secretsmanager.Secret(stack, 'Hook');
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSecret(secret), channel: '#alerts' });
    const template = Template.fromStack(stack);
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_ID: { Ref: secretId }, SLACK_CHANNEL: '#alerts' }) },
    });
    expect(statementsOf(template)).toContainEqual({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: secretId },
    });
  });

  it('reads an SSM SecureString with GetParameter on that parameter, and decrypts a CMK only via SSM', () => {
    const { stack } = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'SsmKey', KEY_ARN);
    new SlackNotifier(stack, 'Slack', { webhook: SlackWebhook.fromSsmParameter('/slack/alerts-webhook', { encryptionKey }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_SSM_PARAMETER: '/slack/alerts-webhook' }) },
    });
    const statements = statementsOf(template);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'ssm:GetParameter',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-2:123456789012:parameter/slack/alerts-webhook']] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['ssm.us-east-2.', { Ref: 'AWS::URLSuffix' }]] } } },
    }));
  });

  it('renders routes to several channels as SLACK_ROUTES, first match first', () => {
    const { stack } = newStack();
    const key = kms.Key.fromKeyArn(stack, 'WebhookKey', KEY_ARN);
    new SlackNotifier(stack, 'Slack', {
      functionName: 'alerts-to-slack',
      webhook: SlackWebhook.fromSsmParameter('/slack/platform'),
      mention: '@here',
      routes: [
        { name: 'ho11y-team', match: { namespace: ['ho11y'], alertName: '^400 errors' }, webhook: SlackWebhook.fromKmsCiphertext(CIPHERTEXT, key), channel: '#ho11y-alerts' },
        { name: 'pager', match: { severity: ['critical'], cluster: ['prod'] }, webhook: SlackWebhook.fromSsmParameter('/slack/pager'), mention: '<!subteam^S0123ABC>' },
      ],
    });
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0]!;
    const variables = (fn.Properties as { Environment: { Variables: { SLACK_ROUTES: string; SLACK_MENTION: string } } }).Environment.Variables;
    expect(JSON.parse(variables.SLACK_ROUTES)).toEqual([
      { name: 'ho11y-team', match: { namespace: ['ho11y'], alertName: '^400 errors' }, webhook: { kmsCiphertext: CIPHERTEXT }, channel: '#ho11y-alerts' },
      { name: 'pager', match: { severity: ['critical'], cluster: ['prod'] }, webhook: { ssmParameter: '/slack/pager' }, mention: '<!subteam^S0123ABC>' },
    ]);
    // The handler reads the same variables: the pager's mention and the default's.
    expect(variables.SLACK_MENTION).toBe('@here');
    expect(statementsOf(Template.fromStack(stack))).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:LambdaFunctionName': 'alerts-to-slack' } },
    }));
  });

  describe('refuses configurations that lose alerts or leak the URL', () => {
    const hook = () => SlackWebhook.fromSsmParameter('/slack/hook');

    it.each([
      [{}, /needs a webhook/],
      [{ routes: [{ name: 'a', match: { namespace: ['x'] }, webhook: hook() }] }, /would be dropped/],
      [{ webhook: hook(), routes: [{ name: 'a', match: { namespace: ['x'] }, webhook: hook() }, { name: 'a', webhook: hook() }] }, /both named "a"/],
      [{ webhook: hook(), routes: [{ name: 'a', match: { severity: ['page' as never] }, webhook: hook() }] }, /match\.severity\.0: .*\(got "page"\)/],
      [{ webhook: hook(), routes: [{ name: 'a', match: { alertName: '([' }, webhook: hook() }] }, /must be a valid regular expression/],
      [{ webhook: hook(), functionName: 'has spaces' }, /must be 1-64 letters/],
      [{ webhook: hook(), mention: 'here' }, /mention "here" is not a Slack mention/],
      [{ webhook: hook(), memorySize: 64 }, /memorySize 64 is outside what Lambda allows; give a whole number of MiB from 128 to 10240/],
      [{ webhook: hook(), memorySize: 10241 }, /memorySize 10241/],
      [{ webhook: hook(), logLevel: 'VERBOSE' as never }, /logLevel "VERBOSE" is not a log level; use DEBUG, INFO, WARN, ERROR/],
    ])('case %#', (props, message) => {
      const { stack } = newStack();
      expect(() => new SlackNotifier(stack, 'Slack', props)).toThrow(InvalidPropsError);
      expect(() => new SlackNotifier(stack, 'Slack2', props)).toThrow(message);
    });

    it('a catch-all route replaces the default webhook', () => {
      const { stack } = newStack();
      expect(() => new SlackNotifier(stack, 'Slack', { routes: [{ name: 'all', webhook: hook() }] })).not.toThrow();
    });

    it('rejects a plain or base64-encoded URL given as KMS ciphertext', () => {
      const { stack } = newStack();
      const key = kms.Key.fromKeyArn(stack, 'K', KEY_ARN);
      const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
      expect(() => SlackWebhook.fromKmsCiphertext(url, key)).toThrow(/was given a webhook URL/);
      expect(() => SlackWebhook.fromKmsCiphertext(Buffer.from(`${url}\n`).toString('base64'), key)).toThrow(/encoded in base64, not encrypted/);
      expect(() => SlackWebhook.fromKmsCiphertext('not base64!', key)).toThrow(/not base64/);
      expect(() => SlackWebhook.fromSsmParameter('slack hook')).toThrow(/not an SSM parameter name/);
    });

    it('refuses webhook sources the function could never read', () => {
      const { stack } = newStack();
      expect(() => SlackWebhook.fromSsmParameter('slack/pager')).toThrow(/hierarchical name without the leading "\/"; SSM would not find it\. Use "\/slack\/pager"/);
      expect(() => SlackWebhook.fromSsmParameter('slack-pager')).not.toThrow();
      expect(() => SlackWebhook.fromSecret(secretsmanager.Secret.fromSecretNameV2(stack, 'Empty', ''))).toThrow(/the secret has an empty name/);
    });
  });
});
