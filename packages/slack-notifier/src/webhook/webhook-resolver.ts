import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { WebhookSource } from '../delivery/routes.js';
import type { RunContext } from '../delivery/run-context.js';
import { NotifierConfigError, WebhookResolutionError } from '../errors.js';
import { validateWebhookUrl, type WebhookUrlPolicy } from './webhook-url.js';

/** Options of {@link WebhookResolver}. */
interface WebhookResolverOptions extends WebhookUrlPolicy {
  /**
   * The Lambda function name used as KMS encryption context `{ LambdaFunctionName }`.
   * @default process.env.AWS_LAMBDA_FUNCTION_NAME
   */
  readonly functionName?: string;
  /**
   * Where the resolver runs; an error about a missing setting names the one a user sets there.
   * @default 'library'
   */
  readonly runsIn?: RunContext;
}

/** How to give the KMS encryption context's function name, where it is missing. */
const FUNCTION_NAME_SETTING: Readonly<Record<RunContext, string>> = {
  lambda: 'Set AWS_LAMBDA_FUNCTION_NAME (Lambda sets it for the function).',
  cli:
    'Set AWS_LAMBDA_FUNCTION_NAME to the function name it was encrypted for (the --function-name given to encrypt-webhook), ' +
    'or pass the URL itself with --webhook-url.',
  receiver: 'Set AWS_LAMBDA_FUNCTION_NAME to the function name it was encrypted for.',
  library: 'Set AWS_LAMBDA_FUNCTION_NAME or pass functionName to WebhookResolver.',
};

/** What to do when the AWS SDK found no region: it says only "Region is missing". */
function regionHint(error: unknown): string {
  return error instanceof Error && /region is missing/i.test(error.message) ? ' Set AWS_REGION.' : '';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** Everything URL-shaped except AWS endpoints: the one form in which a webhook could leak into a message. */
const NON_AWS_URL = /\bhttps?:\/\/(?![\w.-]*\.amazonaws\.com(?:[:/]|$))\S+/gi;

/**
 * The cause as `Name: message`, so an error says what actually failed (a missing region, a denied action,
 * an unknown secret). The AWS SDK's messages name the resource and the action, never the secret value;
 * a URL other than an AWS endpoint is cut out all the same, and the length is bounded for a log line.
 */
function describeCause(error: unknown): string {
  const name = errorName(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(NON_AWS_URL, '<url removed>').replace(/\s+/g, ' ').trim();
  const short = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  return short && short !== name ? `${name}: ${short}` : name;
}

/**
 * Turns webhook sources into validated URLs, once per source for the lifetime of the process (one
 * Lambda cold start). The AWS SDK client for KMS, Secrets Manager or SSM is imported only when a
 * source of that kind is first resolved, so a function that uses one never loads the other two.
 * A failed resolution is not cached: the next invocation tries again.
 */
class WebhookResolver {
  private readonly cache = new Map<string, Promise<string>>();
  private readonly options: WebhookResolverOptions;
  private kms?: Promise<KMSClient>;
  private secrets?: Promise<SecretsManagerClient>;
  private ssm?: Promise<SSMClient>;

  public constructor(options: WebhookResolverOptions = {}) {
    this.options = options;
  }

  /**
   * The validated webhook URL for a source.
   * @throws WebhookResolutionError with the AWS error and how to fix it (never the URL)
   */
  public resolve(source: WebhookSource): Promise<string> {
    const key = JSON.stringify(source);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.fetch(source).then((url) => validateWebhookUrl(url, this.options));
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async fetch(source: WebhookSource): Promise<string> {
    if ('url' in source) return source.url;
    if ('kmsCiphertext' in source) return this.decrypt(source.kmsCiphertext);
    if ('secretId' in source) return this.secretValue(source.secretId);
    return this.parameterValue(source.ssmParameter);
  }

  private async decrypt(ciphertext: string): Promise<string> {
    const functionName = this.options.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
    if (!functionName) {
      throw new NotifierConfigError(
        `Cannot decrypt the KMS webhook ciphertext: the encryption context needs the function name. ${FUNCTION_NAME_SETTING[this.options.runsIn ?? 'library']}`,
      );
    }
    const blob = Buffer.from(ciphertext.trim(), 'base64');
    if (blob.length === 0) throw new WebhookResolutionError('SLACK_WEBHOOK_KMS_CIPHERTEXT is not base64 (it decoded to nothing).');
    const { DecryptCommand, KMSClient } = await import('@aws-sdk/client-kms');
    this.kms ??= Promise.resolve(new KMSClient({}));
    try {
      const out = await (await this.kms).send(
        new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { LambdaFunctionName: functionName } }),
      );
      if (!out.Plaintext) throw new WebhookResolutionError('KMS returned no plaintext for the webhook ciphertext.');
      return Buffer.from(out.Plaintext).toString('utf8');
    } catch (error) {
      if (error instanceof WebhookResolutionError) throw error;
      const hint =
        errorName(error) === 'InvalidCiphertextException'
          ? ` The ciphertext must be encrypted with EncryptionContext LambdaFunctionName=${functionName}: run \`eks-o11y-slack encrypt-webhook --key-id <key> --function-name ${functionName}\`.`
          : errorName(error) === 'AccessDeniedException'
            ? ` Grant kms:Decrypt on the key with the condition kms:EncryptionContext:LambdaFunctionName = ${functionName}.`
            : '';
      throw new WebhookResolutionError(`KMS could not decrypt the Slack webhook (${describeCause(error)}).${hint}${regionHint(error)}`, { cause: error });
    }
  }

  private async secretValue(secretId: string): Promise<string> {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    this.secrets ??= Promise.resolve(new SecretsManagerClient({}));
    let text: string | undefined;
    try {
      const out = await (await this.secrets).send(new GetSecretValueCommand({ SecretId: secretId }));
      text = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
    } catch (error) {
      throw new WebhookResolutionError(
        `Secrets Manager could not read the Slack webhook secret ${secretId} (${describeCause(error)}). Check the secret id and secretsmanager:GetSecretValue permission.${regionHint(error)}`,
        { cause: error },
      );
    }
    if (!text) throw new WebhookResolutionError(`The secret ${secretId} has no value.`);
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      try {
        const json = JSON.parse(trimmed) as Record<string, unknown>;
        const url = json.url ?? json.webhookUrl ?? json.webhook_url;
        if (typeof url === 'string') return url;
      } catch {
        // fall through to the error below
      }
      throw new WebhookResolutionError(`The secret ${secretId} is JSON but has no "url" field. Store the URL itself or {"url": "https://hooks.slack.com/..."}.`);
    }
    return trimmed;
  }

  private async parameterValue(name: string): Promise<string> {
    const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
    this.ssm ??= Promise.resolve(new SSMClient({}));
    try {
      const out = await (await this.ssm).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = out.Parameter?.Value;
      if (!value) throw new WebhookResolutionError(`The SSM parameter ${name} has no value.`);
      return value;
    } catch (error) {
      if (error instanceof WebhookResolutionError) throw error;
      throw new WebhookResolutionError(
        `SSM could not read the Slack webhook parameter ${name} (${describeCause(error)}). Check the name, ssm:GetParameter and kms:Decrypt permissions.${regionHint(error)}`,
        { cause: error },
      );
    }
  }
}

export { WebhookResolver };
export type { WebhookResolverOptions };
