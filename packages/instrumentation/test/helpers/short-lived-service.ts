import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/short-lived-service.ts', import.meta.url));

/**
 * Runs test/fixtures/short-lived-service.ts (three requests, then the process ends as `mode` says) with `env` added
 * to this process's environment, and resolves with its exit code once it has ended.
 */
const runShortLivedService = async (backend: 'otel' | 'xray', mode: string, env: Record<string, string>): Promise<number | null> => {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, backend, mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
};

export { runShortLivedService };
