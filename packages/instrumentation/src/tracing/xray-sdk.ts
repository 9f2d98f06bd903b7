import { createRequire } from 'node:module';
import type { Diagnostics } from '../logging/diagnostics.js';

/** @internal The parts of an aws-xray-sdk-core segment or subsegment this package uses. */
interface XRayEntity {
  id: string;
  name: string;
  trace_id?: string;
  namespace?: string;
  http?: unknown;
  in_progress?: boolean;
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown, namespace?: string): void;
  addError(error: Error | string, remote?: boolean): void;
  addErrorFlag(): void;
  addFaultFlag(): void;
  addThrottleFlag(): void;
  addNewSubsegment(name: string): XRayEntity;
  close(error?: Error | string | null, remote?: boolean): void;
  format(): string;
  flush(): void;
}

/** @internal The aws-xray-sdk-core module, as far as this package uses it. */
interface XRaySdk {
  Segment: new (name: string, rootId?: string, parentId?: string) => XRayEntity;
  setLogger(logger: { debug(...args: unknown[]): void; info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void }): void;
}

/**
 * @internal Loads the optional peer aws-xray-sdk-core synchronously (it is CommonJS). Returns undefined, after
 * reporting once, when it is missing or cannot load (a bad AWS_XRAY_DAEMON_ADDRESS makes it throw at load).
 */
const loadXRaySdk = (diagnostics: Diagnostics): XRaySdk | undefined => {
  try {
    const sdk = createRequire(import.meta.url)('aws-xray-sdk-core') as XRaySdk;
    // The SDK logs through its own logger; route its errors into the once-per-problem diagnostics.
    sdk.setLogger({
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => diagnostics.problem(`xray-sdk:${String(args[0]).slice(0, 60)}`, `aws-xray-sdk-core: ${args.map(String).join(' ')}`),
      error: (...args: unknown[]) => diagnostics.problem(`xray-sdk:${String(args[0]).slice(0, 60)}`, `aws-xray-sdk-core: ${args.map(String).join(' ')}`),
    });
    return sdk;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    diagnostics.problem(
      'xray-sdk-load',
      missing
        ? 'The X-Ray backend needs the optional peer aws-xray-sdk-core: npm install aws-xray-sdk-core@^3.12.0. X-Ray segments are not recorded.'
        : 'aws-xray-sdk-core failed to load (check AWS_XRAY_DAEMON_ADDRESS, format "host:port"); X-Ray segments are not recorded.',
      error,
    );
    return undefined;
  }
};

export { loadXRaySdk };
export type { XRayEntity, XRaySdk };
