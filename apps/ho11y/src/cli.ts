#!/usr/bin/env node
/**
 * `npx @eks-o11y/ho11y`: reads the environment (see the README's knobs table), starts ho11y and
 * shuts it down gracefully on SIGTERM or SIGINT.
 * @module
 */
import { loadConfig, LogDestination } from './config.js';
import { Ho11yError } from './errors.js';
import { TelemetryConfigurationError } from '@eks-o11y/instrumentation';
import { createHo11yTelemetry } from './instrumentation-telemetry.js';
import { Ho11yLogger } from './logger.js';
import { Ho11yMetrics } from './metrics.js';
import { Ho11yServer } from './server.js';

async function main(): Promise<void> {
  // The destination is known before the rest of the configuration, so even a config error is logged where asked.
  const sink = process.env.HO11Y_LOG_DEST === LogDestination.STDOUT ? process.stdout : process.stderr;
  const logger = new Ho11yLogger({ sink });
  process.on('unhandledRejection', (reason) => {
    logger.error(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });

  // Signal handlers go in before the server starts, so a SIGTERM right after "Launching ho11y" is graceful too.
  let server: Ho11yServer | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warning(`${signal} received again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received, shutting down ho11y`);
    void (server?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  try {
    const config = loadConfig(process.env);
    const metrics = new Ho11yMetrics();
    const telemetry = createHo11yTelemetry({
      serviceName: config.serviceName,
      otlpBaseUrl: config.otlpBaseUrl,
      registry: metrics.registry,
      logDestination: sink,
    });
    server = new Ho11yServer({ config, telemetry, metrics, logger });
    await server.listen();
  } catch (error) {
    // ho11y's own settings, and the telemetry settings the instrumentation reads from the same environment.
    if (error instanceof Ho11yError || error instanceof TelemetryConfigurationError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
}

await main();
