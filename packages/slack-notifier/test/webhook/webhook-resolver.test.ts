import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookResolutionError } from '../../src/errors.js';
import { WebhookResolver } from '../../src/webhook/webhook-resolver.js';
import { validateWebhookUrl } from '../../src/webhook/webhook-url.js';

const URL_ = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

afterEach(() => {
  kms.reset();
  secrets.reset();
  ssm.reset();
});

describe('Class: WebhookResolver', () => {
  it('decrypts the KMS ciphertext once, with the function name as encryption context, and trims the newline', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(`${URL_}\n`) });
    const resolver = new WebhookResolver({ functionName: 'cloudwatch-to-slack' });
    const source = { kmsCiphertext: Buffer.from('ciphertext').toString('base64') };
    expect(await resolver.resolve(source)).toBe(URL_);
    expect(await resolver.resolve(source)).toBe(URL_);
    const calls = kms.commandCalls(DecryptCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.EncryptionContext).toEqual({ LambdaFunctionName: 'cloudwatch-to-slack' });
    expect(Buffer.from(calls[0]!.args[0].input.CiphertextBlob!).toString()).toBe('ciphertext');
  });

  it('explains InvalidCiphertextException with the encrypt command to run, and tries again next time', async () => {
    kms.on(DecryptCommand).rejectsOnce(Object.assign(new Error('x'), { name: 'InvalidCiphertextException' })).resolves({ Plaintext: Buffer.from(URL_) });
    const resolver = new WebhookResolver({ functionName: 'fn' });
    await expect(resolver.resolve({ kmsCiphertext: 'AQID' })).rejects.toThrow(
      /KMS could not decrypt the Slack webhook \(InvalidCiphertextException: x\).*LambdaFunctionName=fn.*encrypt-webhook --key-id <key> --function-name fn/,
    );
    expect(await resolver.resolve({ kmsCiphertext: 'AQID' })).toBe(URL_);
  });

  it('says what the AWS call reported (a missing region, an unknown secret), but never a URL it quoted', async () => {
    kms.on(DecryptCommand).rejects(new Error('Region is missing'));
    await expect(new WebhookResolver({ functionName: 'fn' }).resolve({ kmsCiphertext: 'AQID' })).rejects.toThrow(
      'KMS could not decrypt the Slack webhook (Error: Region is missing).',
    );
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' }));
    await expect(new WebhookResolver().resolve({ secretId: 'slack/alerts' })).rejects.toThrow(
      "Secrets Manager could not read the Slack webhook secret slack/alerts (ResourceNotFoundException: Secrets Manager can't find the specified secret.)",
    );
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error(`Value ${URL_} at 'name' failed to satisfy constraint`), { name: 'ValidationException' }));
    const error = (await new WebhookResolver().resolve({ ssmParameter: '/p' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/\(ValidationException: Value <url removed> at 'name' failed to satisfy constraint\)/);
    expect(error.message).not.toContain('/services/');
  });

  it('reads a Secrets Manager secret holding the URL or {"url"}', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'plain' }).resolves({ SecretString: URL_ });
    secrets.on(GetSecretValueCommand, { SecretId: 'json' }).resolves({ SecretString: JSON.stringify({ url: URL_ }) });
    secrets.on(GetSecretValueCommand, { SecretId: 'other' }).resolves({ SecretString: JSON.stringify({ token: 'x' }) });
    const resolver = new WebhookResolver();
    expect(await resolver.resolve({ secretId: 'plain' })).toBe(URL_);
    expect(await resolver.resolve({ secretId: 'json' })).toBe(URL_);
    await expect(resolver.resolve({ secretId: 'other' })).rejects.toThrow(/JSON but has no "url" field/);
  });

  it('reads an SSM SecureString with decryption', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: URL_ } });
    expect(await new WebhookResolver().resolve({ ssmParameter: '/slack/webhook' })).toBe(URL_);
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: '/slack/webhook', WithDecryption: true });
  });

  it('refuses a secret that is not a Slack webhook, without echoing it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'https://evil.example.com/services/SECRET' } });
    const error = (await new WebhookResolver().resolve({ ssmParameter: '/p' }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(WebhookResolutionError);
    expect(error.message).toMatch(/host must be hooks.slack.com, not evil.example.com/);
    expect(error.message).not.toContain('SECRET');
  });
});

describe('Function: validateWebhookUrl', () => {
  it('accepts hooks.slack.com over https only', () => {
    expect(validateWebhookUrl(`  ${URL_}\n`)).toBe(URL_);
    expect(() => validateWebhookUrl(URL_.replace('https', 'http'))).toThrow(/must use https, not http/);
    expect(() => validateWebhookUrl('not a url with secret')).toThrow(/not a URL/);
  });

  it('accepts a loopback sink only when explicitly allowed', () => {
    expect(() => validateWebhookUrl('http://127.0.0.1:9/services/x')).toThrow(/SLACK_ALLOW_LOOPBACK_WEBHOOK=true/);
    expect(validateWebhookUrl('http://127.0.0.1:9/services/x', { allowInsecureLoopbackWebhook: true })).toBe('http://127.0.0.1:9/services/x');
  });
});
