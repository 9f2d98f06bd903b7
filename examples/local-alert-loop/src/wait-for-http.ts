import type { ManagedProcess } from './managed-process.js';
import { ProcessFailedError } from './errors.js';

/**
 * Polls `url` until it answers 2xx. Fails fast, naming the log file, if `process` exits first.
 *
 * @param url - readiness endpoint (`http://127.0.0.1:9090/-/ready`)
 * @param process - the process expected to serve it
 * @param timeoutMs - how long to wait before giving up
 */
async function waitForHttp(url: string, process: ManagedProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!process.running) {
      throw new ProcessFailedError(
        process.name,
        process.logFile,
        `${process.name} exited (${String(process.exitCode)}) before ${url} answered; see ${process.logFile}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new ProcessFailedError(
    process.name,
    process.logFile,
    `${process.name} did not answer ${url} within ${timeoutMs} ms (${lastProblem}); see ${process.logFile}`,
  );
}

export { waitForHttp };
