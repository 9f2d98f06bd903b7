import { SlackWebhook } from '@eks-o11y/cdk-constructs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { InvalidAddOnPropsError } from './errors.js';

/**
 * Where the Slack incoming-webhook URL is stored. Plain data, so that add-on props can be written
 * before the stack exists; the add-on resolves it inside the cluster's stack.
 */
type SlackWebhookReference =
  /** A Secrets Manager secret whose SecretString is the URL (or JSON `{"url": "..."}`). */
  | { readonly secretName: string }
  /** The same, by full secret ARN (another account, or a name that clashes). */
  | { readonly secretArn: string }
  /** An SSM Parameter Store SecureString parameter holding the URL. */
  | { readonly ssmParameterName: string };

/**
 * Throws unless the reference names exactly one source, by a non-empty name.
 * @internal
 */
function assertSlackWebhookReference(reference: SlackWebhookReference): void {
  const keys = Object.keys(reference);
  if (keys.length !== 1) {
    throw new InvalidAddOnPropsError(
      `webhook must name exactly one source (secretName, secretArn or ssmParameterName), got: ${keys.join(', ') || 'none'}`,
    );
  }
  const [key] = keys;
  const value: unknown = (reference as Record<string, unknown>)[key!];
  if (!['secretName', 'secretArn', 'ssmParameterName'].includes(key!)) {
    throw new InvalidAddOnPropsError(`webhook.${key} is not a webhook source: use secretName, secretArn or ssmParameterName.`);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidAddOnPropsError(
      `webhook.${key} is ${JSON.stringify(value)}: give the name of the secret (or parameter) that holds the Slack webhook URL, ` +
        "e.g. { secretName: 'eks-o11y/slack-webhook' } or { ssmParameterName: '/slack/alerts-webhook' }.",
    );
  }
}

/**
 * Turns a {@link SlackWebhookReference} into the notifier's webhook, inside the cluster's stack.
 * @internal
 */
function resolveSlackWebhook(scope: Construct, reference: SlackWebhookReference): SlackWebhook {
  assertSlackWebhookReference(reference);
  if ('secretName' in reference) {
    return SlackWebhook.fromSecret(Secret.fromSecretNameV2(scope, 'WebhookSecret', reference.secretName));
  }
  if ('secretArn' in reference) {
    return SlackWebhook.fromSecret(Secret.fromSecretCompleteArn(scope, 'WebhookSecret', reference.secretArn));
  }
  return SlackWebhook.fromSsmParameter(reference.ssmParameterName);
}

export { assertSlackWebhookReference, resolveSlackWebhook };
export type { SlackWebhookReference };
