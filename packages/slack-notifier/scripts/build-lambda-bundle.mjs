// Builds the Lambda asset that @eks-o11y/cdk-constructs ships: dist/lambda/index.mjs (minified ESM,
// handler `index.handler`), and beside the asset folder dist/lambda-meta.json (esbuild metafile, for
// size analysis). The metafile stays out of dist/lambda: the whole folder is zipped into the function.
// The AWS SDK v3 stays external: the nodejs24.x runtime provides it.
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'lambda');

// `import { z } from 'zod'` (ours and Powertools Parser's) keeps zod's whole namespace object alive,
// including every locale and the JSON-schema converters: about 300 KB the handler never runs. This
// plugin gives the bundle a `z` that holds only the schema builders in use, with English messages.
const zodClassicDir = join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'v4', 'classic');
const ZOD_BUILDERS = ['object', 'string', 'number', 'boolean', 'literal', 'array', 'record', 'union', 'unknown', 'url', 'enum', 'any', 'null', 'optional', 'nullable'];
const slimZod = {
  name: 'slim-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: 'slim-zod', namespace: 'slim-zod' }));
    b.onLoad({ filter: /.*/, namespace: 'slim-zod' }, () => ({
      resolveDir: zodClassicDir,
      loader: 'js',
      contents: [
        "import * as s from './schemas.js';",
        "import * as iso from './iso.js';",
        "import { config } from '../core/core.js';",
        "import en from '../locales/en.js';",
        'config(en());',
        `export const z = { ${ZOD_BUILDERS.map((n) => `${n}: s.${n}`).join(', ')}, iso: { datetime: iso.datetime } };`,
        'export default z;',
      ].join('\n'),
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src', 'lambda', 'index.ts')],
  outfile: join(outdir, 'index.mjs'),
  bundle: true,
  minify: true,
  // Error class names stay readable in logs and in the dead-letter queue's error attributes.
  keepNames: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  external: ['@aws-sdk/*'],
  metafile: true,
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
  plugins: [slimZod],
  // @slack/webhook is CommonJS and requires node:os; give the ESM bundle a real `require`.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});
await writeFile(join(root, 'dist', 'lambda-meta.json'), JSON.stringify(result.metafile));
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
console.log(`Lambda bundle: dist/lambda/index.mjs ${(bytes / 1024).toFixed(1)} KiB`);
