import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI, resolved through package.json `bin` as `npx @eks-o11y/ho11y` would. */
const CLI = join(PACKAGE_DIR, (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { bin: { ho11y: string } }).bin.ho11y);

interface Ho11yProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` once it listens. */
  readonly url: string;
  /** Parsed JSON lines from stderr and stdout, as they arrive. */
  readonly stderr: Record<string, unknown>[];
  readonly stdout: Record<string, unknown>[];
  /**
   * Resolves once `count` lines on `stream` match, because a line written before a response can still be in
   * the pipe when the client reads that response. Rejects after `timeoutMs`, naming what arrived.
   */
  waitForLines(stream: 'stderr' | 'stdout', matches: (line: Record<string, unknown>) => boolean, count?: number, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code once its output is fully read. */
  stop(): Promise<number | null>;
}

/**
 * Runs the built CLI as a child process on 127.0.0.1 with a free port (HO11Y_PORT empty) and a clean
 * environment, and resolves once its "Launching ho11y" line names the port.
 */
async function spawnHo11y(env: NodeJS.ProcessEnv = {}): Promise<Ho11yProcess> {
  const child = spawn(process.execPath, [CLI], {
    env: { PATH: process.env.PATH, HO11Y_PORT: '', HO11Y_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: Record<string, unknown>[] = [];
  const stdout: Record<string, unknown>[] = [];
  const lines = { stderr, stdout };
  let resolvePort: (port: number) => void = () => undefined;
  const portKnown = new Promise<number>((resolve) => (resolvePort = resolve));
  const collect = (stream: NodeJS.ReadableStream, into: Record<string, unknown>[]) => {
    createInterface({ input: stream }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      into.push(entry);
      const match = /^Launching ho11y: .* listening on port :(\d+) /.exec(String(entry.msg));
      if (match) resolvePort(Number(match[1]));
    });
  };
  collect(child.stdout as NodeJS.ReadableStream, stdout);
  collect(child.stderr as NodeJS.ReadableStream, stderr);
  // 'close' rather than 'exit': it fires after stdout and stderr have ended, so every line has been read.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const port = await Promise.race([
    portKnown,
    exited.then((code) => {
      throw new Error(`ho11y exited with ${code} before listening: ${JSON.stringify([...stderr, ...stdout])}`);
    }),
  ]);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stderr,
    stdout,
    waitForLines: (stream, matches, count = 1, timeoutMs = 10_000) =>
      vi.waitFor(
        () => {
          const seen = lines[stream].filter(matches).length;
          if (seen < count) throw new Error(`expected ${count} matching ${stream} lines, saw ${seen}: ${JSON.stringify(lines[stream].slice(-5))}`);
        },
        { timeout: timeoutMs, interval: 5 },
      ),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the CLI to completion (for startup failures) and returns its exit code and output. */
async function runHo11yToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

export { spawnHo11y, runHo11yToExit, CLI, PACKAGE_DIR };
export type { Ho11yProcess };
