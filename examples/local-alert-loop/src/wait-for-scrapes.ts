import { ProcessFailedError } from './errors.js';
import type { ManagedProcess } from './managed-process.js';

interface TargetsResponse {
  data?: { activeTargets?: { health: string; scrapeUrl: string }[] };
}

/**
 * Waits until Prometheus has scraped every target successfully. Prometheus applies new target
 * sets on a 5-second tick after it starts, so "ready" comes seconds before the first scrape; a
 * loop that injected errors before that would measure Prometheus's start-up, not the alert path.
 *
 * @returns the number of healthy targets
 */
async function waitForScrapes(prometheusUrl: string, expectedTargets: number, prometheus: ManagedProcess, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let healthy = 0;
  while (Date.now() < deadline) {
    if (!prometheus.running) break;
    try {
      const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as TargetsResponse;
      healthy = (body.data?.activeTargets ?? []).filter((target) => target.health === 'up').length;
      if (healthy >= expectedTargets) return healthy;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new ProcessFailedError(
    prometheus.name,
    prometheus.logFile,
    `Prometheus scraped ${healthy} of ${expectedTargets} targets successfully within ${timeoutMs} ms; see ${prometheus.logFile} and ${prometheusUrl}/targets`,
  );
}

export { waitForScrapes };
