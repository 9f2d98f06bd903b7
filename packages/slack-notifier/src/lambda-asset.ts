import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the pre-built Lambda bundle folder (`dist/lambda`, holding only `index.mjs`), for
 * `lambda.Code.fromAsset(LAMBDA_ASSET_DIR)`. This module imports nothing else, so CDK apps can load it
 * without pulling in the notifier.
 */
const LAMBDA_ASSET_DIR: string = fileURLToPath(new URL('../dist/lambda', import.meta.url));

/** Handler string of the bundled function. */
const LAMBDA_HANDLER = 'index.handler';

export { LAMBDA_ASSET_DIR, LAMBDA_HANDLER };
