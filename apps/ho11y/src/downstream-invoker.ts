import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfiguredDownstream } from './config.js';
import type { DummyDownstream, UrlDownstream } from './downstream-spec.js';
import type { Ho11yLogger, LogFieldValue } from './logger.js';
import type { Ho11yMetrics } from './metrics.js';

/** Dependencies of {@link DownstreamInvoker}. */
interface DownstreamInvokerOptions {
  /** `DOWNSTREAM0`..`DOWNSTREAM4`, called in this order. */
  readonly downstreams: readonly ConfiguredDownstream[];
  /** The traced fetch. */
  readonly fetch: typeof globalThis.fetch;
  /** ho11y's metrics. */
  readonly metrics: Ho11yMetrics;
  /** ho11y's logger. */
  readonly logger: Ho11yLogger;
  /** The longest one URL downstream call may take, in ms. */
  readonly timeoutMs: number;
}

/** What one downstream call produced. */
interface DownstreamOutcome {
  readonly bodyBytes: number;
  readonly httpStatusCode?: number;
}

/**
 * Calls the configured downstreams one after the other, as the original did, and records each call:
 * the log line `ho11y invoked <value>` (`event=downstream`, `body_bytes`, `duration_sec`), the
 * `ho11y_downstream_payload_bytes{downstream}` summary and the `ho11y_downstream_duration_seconds`
 * histogram with the trace id as exemplar.
 *
 * Fixed defects: a downstream that cannot be reached is logged at error level and counted as
 * `ho11y_downstream_responses_total{http_status_code="error"}` instead of killing the process; a
 * downstream's HTTP status is recorded (`http_status_code` log field and counter label) instead of
 * ignored; the duration covers the whole call, not just the body read; calls time out.
 */
class DownstreamInvoker {
  private readonly options: DownstreamInvokerOptions;

  public constructor(options: DownstreamInvokerOptions) {
    this.options = options;
  }

  /** Calls every downstream in order; never throws. */
  public async invokeAll(traceId: string | undefined): Promise<void> {
    for (const { spec } of this.options.downstreams) {
      const started = performance.now();
      let outcome: DownstreamOutcome;
      try {
        outcome = spec.kind === 'dummy' ? await this.invokeDummy(spec) : await this.invokeUrl(spec);
      } catch (error) {
        this.options.metrics.downstreamResponses.inc({ downstream: spec.raw, http_status_code: 'error' });
        this.options.logger.error(`HTTP GET to ${spec.raw} failed: ${describe(error)}`, {
          event: 'downstream',
          duration_sec: (performance.now() - started) / 1000,
        });
        continue;
      }
      const durationSeconds = (performance.now() - started) / 1000;
      const fields: Record<string, LogFieldValue> = {
        event: 'downstream',
        body_bytes: outcome.bodyBytes,
        duration_sec: durationSeconds,
      };
      if (outcome.httpStatusCode !== undefined) {
        fields.http_status_code = outcome.httpStatusCode;
      }
      this.options.logger.info(`ho11y invoked ${spec.raw}`, fields);
      this.options.metrics.observeDownstream(spec.raw, outcome.bodyBytes, durationSeconds, traceId);
    }
  }

  private async invokeDummy(spec: DummyDownstream): Promise<DownstreamOutcome> {
    await sleep(spec.durationMs);
    return { bodyBytes: spec.sizeBytes };
  }

  private async invokeUrl(spec: UrlDownstream): Promise<DownstreamOutcome> {
    const response = await this.options.fetch(spec.url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    let bodyBytes = 0;
    // Count the body as it streams rather than buffering it: a downstream may answer with megabytes.
    if (response.body) {
      for await (const chunk of response.body) {
        bodyBytes += (chunk as Uint8Array).byteLength;
      }
    }
    this.options.metrics.downstreamResponses.inc({ downstream: spec.raw, http_status_code: String(response.status) });
    return { bodyBytes, httpStatusCode: response.status };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
  }
  return String(error);
}

export { DownstreamInvoker };
export type { DownstreamInvokerOptions };
