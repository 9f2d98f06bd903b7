import { Stack, Token, ArnFormat } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { InvalidPropsError } from '../errors.js';

/**
 * Where the notifier Lambda finds one webhook URL, in the shape the handler reads
 * (`SLACK_ROUTES[].webhook`): exactly one of the three keys.
 */
interface SlackWebhookSource {
  /** Base64 KMS ciphertext of the URL, encrypted with `LambdaFunctionName=<function name>` as context. */
  readonly kmsCiphertext?: string;
  /** Secrets Manager secret id or ARN whose SecretString is the URL or `{"url": "..."}`. */
  readonly secretId?: string;
  /** Name of an SSM SecureString parameter holding the URL. */
  readonly ssmParameter?: string;
}

/** What a webhook needs to know about the function that will read it. */
interface SlackWebhookBindOptions {
  /** The function's execution role: the webhook grants itself read access on it. */
  readonly role: iam.IRole;
  /** The function's physical name (a literal, never a token): the KMS encryption context. */
  readonly functionName: string;
}

/** Options of {@link SlackWebhook.fromSsmParameter}. */
interface SsmWebhookOptions {
  /**
   * Customer-managed key the SecureString is encrypted with.
   * @default - the AWS-managed `aws/ssm` key, which needs no extra grant
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A Slack incoming-webhook URL, kept out of the template: the notifier reads it at run time from KMS
 * ciphertext, Secrets Manager or SSM Parameter Store, and gets read access to that one source only.
 *
 * @example
 * ```ts
 * SlackWebhook.fromSecret(secretsmanager.Secret.fromSecretNameV2(this, 'Hook', 'slack/alerts'));
 * SlackWebhook.fromKmsCiphertext(process.env.SLACK_WEBHOOK_CIPHERTEXT!, kms.Key.fromLookup(...));
 * SlackWebhook.fromSsmParameter('/slack/alerts-webhook');
 * ```
 */
abstract class SlackWebhook {
  /**
   * The URL is the SecretString of this secret (or its JSON field `url`). The function may read this
   * secret (and decrypt it with the secret's key) and nothing else.
   */
  public static fromSecret(secret: secretsmanager.ISecret): SlackWebhook {
    return new SecretWebhook(secret);
  }

  /**
   * The blog's scheme: the URL encrypted with a KMS key under the encryption context
   * `{ LambdaFunctionName: <the notifier's function name> }` (`eks-o11y-slack encrypt-webhook` does it).
   * The function may call `kms:Decrypt` on `key` only with that exact context.
   *
   * @param ciphertext - base64 `CiphertextBlob`; never the URL itself (that is rejected)
   * @param key - the key the URL was encrypted with
   */
  public static fromKmsCiphertext(ciphertext: string, key: kms.IKey): SlackWebhook {
    return new KmsCiphertextWebhook(ciphertext, key);
  }

  /**
   * The URL is an SSM SecureString parameter. The function may `ssm:GetParameter` on this parameter only.
   *
   * @param parameterName - e.g. `/slack/alerts-webhook`
   */
  public static fromSsmParameter(parameterName: string, options: SsmWebhookOptions = {}): SlackWebhook {
    return new SsmParameterWebhook(parameterName, options);
  }

  /** Grants the role read access to this source and returns where the handler finds the URL. */
  public abstract bind(scope: Construct, options: SlackWebhookBindOptions): SlackWebhookSource;
}

class SecretWebhook extends SlackWebhook {
  public constructor(private readonly secret: secretsmanager.ISecret) {
    super();
    if (!Token.isUnresolved(secret.secretName) && secret.secretName.trim() === '') {
      throw new InvalidPropsError('SlackWebhook.fromSecret: the secret has an empty name; give the secret that holds the webhook URL, e.g. Secret.fromSecretNameV2(this, \'Hook\', \'slack/alerts-webhook\').');
    }
  }

  public bind(_scope: Construct, options: SlackWebhookBindOptions): SlackWebhookSource {
    this.secret.grantRead(options.role);
    return { secretId: this.secret.secretArn };
  }
}

class KmsCiphertextWebhook extends SlackWebhook {
  public constructor(private readonly ciphertext: string, private readonly key: kms.IKey) {
    super();
    if (!Token.isUnresolved(ciphertext)) assertLooksLikeCiphertext(ciphertext);
  }

  public bind(_scope: Construct, options: SlackWebhookBindOptions): SlackWebhookSource {
    // Decrypt is allowed for this one encryption context only: the ciphertext of another function's
    // webhook, or any other secret under the same key, stays unreadable to this role.
    options.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:LambdaFunctionName': options.functionName } },
    }));
    return { kmsCiphertext: this.ciphertext };
  }
}

class SsmParameterWebhook extends SlackWebhook {
  public constructor(private readonly parameterName: string, private readonly options: SsmWebhookOptions) {
    super();
    if (!Token.isUnresolved(parameterName)) {
      if (!/^\/?[A-Za-z0-9_.\-/]{1,2047}$/.test(parameterName)) {
        throw new InvalidPropsError(
          `SlackWebhook.fromSsmParameter: "${parameterName}" is not an SSM parameter name (letters, digits, _ . - and /, e.g. /slack/alerts-webhook)`);
      }
      // SSM only knows hierarchical names by their full path: GetParameter("slack/pager") fails at run time.
      if (parameterName.includes('/') && !parameterName.startsWith('/')) {
        throw new InvalidPropsError(
          `SlackWebhook.fromSsmParameter: "${parameterName}" is a hierarchical name without the leading "/"; SSM would not find it. Use "/${parameterName}".`);
      }
    }
  }

  public bind(scope: Construct, options: SlackWebhookBindOptions): SlackWebhookSource {
    const stack = Stack.of(scope);
    options.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: this.parameterName.replace(/^\//, ''),
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      })],
    }));
    if (this.options.encryptionKey !== undefined) {
      options.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.options.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.${stack.urlSuffix}` } },
      }));
    }
    return { ssmParameter: this.parameterName };
  }
}

/**
 * A ciphertext is base64 of an opaque blob. Refuse the two mistakes that would put the URL in the
 * template: the URL itself, and the URL merely base64-encoded.
 */
function assertLooksLikeCiphertext(ciphertext: string): void {
  const value = ciphertext.trim();
  if (/^https?:\/\//i.test(value) || value.includes('hooks.slack.com')) {
    throw new InvalidPropsError(
      'SlackWebhook.fromKmsCiphertext was given a webhook URL, which would end up in the CloudFormation template. ' +
        'Encrypt it first: `eks-o11y-slack encrypt-webhook --key-id <key> --function-name <notifier function name>` ' +
        '(or `aws kms encrypt ... --encryption-context LambdaFunctionName=<name>`), and pass the base64 CiphertextBlob.');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length < 24) {
    throw new InvalidPropsError(
      'SlackWebhook.fromKmsCiphertext expects the base64 CiphertextBlob that `aws kms encrypt` prints; got a value that is not base64.');
  }
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  if (/^https?:\/\//i.test(decoded.trim())) {
    throw new InvalidPropsError(
      'SlackWebhook.fromKmsCiphertext was given the webhook URL encoded in base64, not encrypted: anyone reading the template could decode it. ' +
        'Encrypt it with KMS and pass the CiphertextBlob.');
  }
}

export { SlackWebhook };
export type { SlackWebhookSource, SlackWebhookBindOptions, SsmWebhookOptions };
