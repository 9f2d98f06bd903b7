import { resolveTelemetryConfig } from './config.js';
import { Telemetry } from './telemetry.js';
import type { TelemetryOptions } from './types.js';

/**
 * Creates the telemetry of one service: traces (OpenTelemetry over OTLP, X-Ray through aws-xray-sdk-core to the
 * daemon, or both), RED metrics in a prom-client registry, and a JSON logger stamped with the trace id.
 * Call it once per process, before the server starts.
 *
 * Invalid options throw a {@link TelemetryConfigurationError} that names the option; an unreachable or
 * unusable collector/daemon does not throw (telemetry fails open and logs the problem once).
 *
 * @param options - see {@link TelemetryOptions}; every option has a default or an environment variable
 * @example
 * ```ts
 * import http from 'node:http';
 * import { createTelemetry } from '@eks-o11y/instrumentation';
 *
 * const telemetry = createTelemetry({ serviceName: 'frontend', backend: 'otel' });
 * http.createServer(telemetry.httpHandler(async (req, res) => {
 *   const downstream = await telemetry.fetch('http://downstream0/');
 *   telemetry.logger.info('called downstream', { status: downstream.status });
 *   res.end(telemetry.currentTraceId());
 * }, { route: '/' })).listen(8765);
 * ```
 */
const createTelemetry = (options: TelemetryOptions = {}): Telemetry => new Telemetry(resolveTelemetryConfig(options));

export { createTelemetry };
