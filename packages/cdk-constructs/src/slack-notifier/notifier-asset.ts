import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LAMBDA_ASSET_DIR, LAMBDA_HANDLER } from '@eks-o11y/slack-notifier/lambda-asset';
import { InvalidPropsError } from '../errors.js';

/**
 * The notifier handler as shipped by `@eks-o11y/slack-notifier`: a pre-built esbuild bundle, so synthesis
 * needs neither esbuild nor Docker.
 */
function notifierCode(): { code: lambda.Code; handler: string } {
  if (!existsSync(join(LAMBDA_ASSET_DIR, 'index.mjs'))) {
    throw new InvalidPropsError(
      `The Slack notifier bundle is missing from ${LAMBDA_ASSET_DIR}. ` +
        'It is built with @eks-o11y/slack-notifier (`npm run build -w @eks-o11y/slack-notifier` in this repository); ' +
        'a published package always contains it.');
  }
  return { code: lambda.Code.fromAsset(LAMBDA_ASSET_DIR), handler: LAMBDA_HANDLER };
}

export { notifierCode };
