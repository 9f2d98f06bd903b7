import { loadConfig } from '../../src/config.js';
import type { RandomSource } from '../../src/failure-injection.js';
import { createHo11yTelemetry } from '../../src/instrumentation-telemetry.js';
import { Ho11yLogger } from '../../src/logger.js';
import { Ho11yMetrics } from '../../src/metrics.js';
import { startHo11y, type Ho11yServer } from '../../src/server.js';

interface Ho11yUnderTest {
  readonly server: Ho11yServer;
  readonly url: string;
  /** Parsed JSON log lines, in order. */
  readonly logs: Record<string, unknown>[];
  /** Raw lines of the instrumentation's own diagnostics (not ho11y's format). */
  readonly close: () => Promise<void>;
}

/** Starts ho11y in-process on 127.0.0.1 with a free port, the real instrumentation, and collected logs. */
async function startHo11yUnderTest(env: NodeJS.ProcessEnv = {}, random?: RandomSource): Promise<Ho11yUnderTest> {
  const config = loadConfig({ HO11Y_PORT: '', HO11Y_HOST: '127.0.0.1', ...env });
  const logs: Record<string, unknown>[] = [];
  const sink = {
    write: (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    },
  };
  const metrics = new Ho11yMetrics({ defaultMetrics: false });
  const telemetry = createHo11yTelemetry({
    serviceName: config.serviceName,
    otlpBaseUrl: config.otlpBaseUrl,
    registry: metrics.registry,
    logDestination: sink as unknown as NodeJS.WritableStream,
  });
  const server = await startHo11y({ config, telemetry, metrics, logger: new Ho11yLogger({ sink }), ...(random ? { random } : {}) });
  return { server, url: server.url, logs, close: () => server.close(1000) };
}

/** X-Ray trace id: version 1, 8 hex digits of epoch seconds, 24 hex digits. */
const XRAY_TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

export { startHo11yUnderTest, XRAY_TRACE_ID };
export type { Ho11yUnderTest };
