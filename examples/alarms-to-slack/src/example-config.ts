import type { App } from 'aws-cdk-lib';

/** What the example needs to know about the target account; every value comes from CDK context. */
export interface ExampleConfig {
  /** AWS account id (context `account`). */
  readonly account: string;
  /** AWS region (context `region`). */
  readonly region: string;
  /** EKS cluster and stack name (context `clusterName`). */
  readonly clusterName: string;
  /** Name of the Secrets Manager secret that holds the Slack webhook URL (context `slackWebhookSecretName`). */
  readonly slackWebhookSecretName: string;
  /** Slack channel shown on the messages, e.g. `#ho11y-alerts` (context `slackChannel`, optional). */
  readonly slackChannel?: string;
  /**
   * ho11y image the cluster pulls (context `ho11yImage`); defaults to the `ho11y` ECR repository of
   * the account and region, tag `0.1.0`.
   */
  readonly ho11yImage: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * Reads the example's settings from CDK context (cdk.json, or `-c key=value` on the command line).
 * Context rather than environment variables keeps synthesis deterministic: the CDK CLI rewrites
 * CDK_DEFAULT_REGION when no AWS profile exists, context it leaves alone.
 */
export function readExampleConfig(app: App): ExampleConfig {
  const get = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const require = (key: string, pattern: RegExp, example: string): string => {
    const value = get(key);
    if (value === undefined) {
      throw new Error(`Context "${key}" is missing: set it in cdk.json or pass -c ${key}=${example}`);
    }
    if (!pattern.test(value)) {
      throw new Error(`Context "${key}" is "${value}", which is not valid: expected something like ${example}`);
    }
    return value;
  };
  const slackChannel = get('slackChannel');
  const account = require('account', ACCOUNT, '123456789012');
  const region = require('region', REGION, 'us-east-2');
  return {
    account,
    region,
    clusterName: require('clusterName', CLUSTER_NAME, 'demo-cluster'),
    slackWebhookSecretName: get('slackWebhookSecretName') ?? 'eks-o11y/slack-webhook',
    ...(slackChannel ? { slackChannel } : {}),
    ho11yImage: get('ho11yImage') ?? `${account}.dkr.ecr.${region}.amazonaws.com/ho11y:0.1.0`,
  };
}
