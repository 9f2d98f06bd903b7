import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LOOPBACK } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import type { ScrapeTarget } from './prometheus-config.js';
import { waitForHttp } from './wait-for-http.js';

/** The namespace the blog deploys ho11y into; the alert matches on it. */
const HO11Y_NAMESPACE = 'ho11y';

/** One ho11y service of the topology. */
interface Ho11yService {
  /** `frontend`, `downstream0` or `downstream1` (the pods' `app` label). */
  readonly app: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The running process (replaced when the frontend is redeployed). */
  readonly process: ManagedProcess;
  /** Pod name Prometheus labels its series with (`frontend-local`). */
  readonly pod: string;
}

/** Locates the `ho11y` executable of `@eks-o11y/ho11y` (its built CLI). */
function ho11yCliPath(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@eks-o11y/ho11y/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.ho11y;
  if (!bin) throw new Error(`${manifestPath} declares no "ho11y" bin`);
  return join(dirname(manifestPath), bin);
}

/** Options of {@link Ho11yTopology.start}. */
interface Ho11yTopologyOptions {
  readonly ports: { readonly frontend: number; readonly downstream0: number; readonly downstream1: number };
  /** Folder for the log files. */
  readonly logDir: string;
  /** Start the frontend with failure injection on. @default false */
  readonly injectFailure?: boolean;
  /** Called when a service answers. */
  readonly onUp?: (service: Ho11yService) => void;
}

/**
 * The blog's ho11y topology as local processes: `frontend` calls `downstream0` and `downstream1`
 * on every successful request. The downstreams' own downstreams are DUMMY payloads instead of the
 * public websites the blog's manifests call, so the loop never needs the internet.
 */
class Ho11yTopology {
  readonly #options: Ho11yTopologyOptions;
  readonly #cli: string;
  readonly #services = new Map<string, Ho11yService>();
  #injectFailure: boolean;

  private constructor(options: Ho11yTopologyOptions) {
    this.#options = options;
    this.#cli = ho11yCliPath();
    this.#injectFailure = options.injectFailure ?? false;
  }

  /** Starts downstream0, downstream1, then the frontend, each answering `/metrics` before the next. */
  public static async start(options: Ho11yTopologyOptions): Promise<Ho11yTopology> {
    const topology = new Ho11yTopology(options);
    try {
      await Promise.all([
        topology.#startService('downstream0', options.ports.downstream0, { DOWNSTREAM0: 'DUMMY:187kB:42ms' }),
        topology.#startService('downstream1', options.ports.downstream1, { DOWNSTREAM0: 'DUMMY:187kB:42ms', DOWNSTREAM1: 'DUMMY:13kB:2ms' }),
      ]);
      await topology.#startFrontend();
    } catch (error) {
      await topology.stop();
      throw error;
    }
    return topology;
  }

  public get frontend(): Ho11yService {
    return this.#services.get('frontend') as Ho11yService;
  }

  public get services(): readonly Ho11yService[] {
    return [...this.#services.values()];
  }

  public get failureInjected(): boolean {
    return this.#injectFailure;
  }

  /** What Prometheus scrapes: each service with the labels its pod would have in namespace ho11y. */
  public scrapeTargets(): ScrapeTarget[] {
    return this.services.map((service) => ({
      address: `${LOOPBACK}:${service.port}`,
      app: service.app,
      namespace: HO11Y_NAMESPACE,
      pod: service.pod,
    }));
  }

  /**
   * Switches failure injection on or off by redeploying the frontend with `HO11Y_INJECT_FAILURE`
   * set or unset, as changing the Deployment's environment would: the old process stops and a new
   * one starts on the same port (Prometheus sees a counter reset, which `increase()` handles).
   * Requests in the gap of a few hundred milliseconds fail to connect.
   */
  public async setFailureInjection(enabled: boolean): Promise<void> {
    if (enabled === this.#injectFailure) return;
    this.#injectFailure = enabled;
    await this.frontend.process.stop();
    await this.#startFrontend();
  }

  /** Stops every ho11y process. */
  public async stop(): Promise<void> {
    await Promise.all([...this.#services.values()].map((service) => service.process.stop()));
  }

  /** Process ids of every ho11y process started so far (including replaced frontends). */
  public readonly startedPids: number[] = [];

  async #startFrontend(): Promise<void> {
    const { downstream0, downstream1 } = this.#options.ports;
    await this.#startService(
      'frontend',
      this.#options.ports.frontend,
      {
        DOWNSTREAM0: `http://${LOOPBACK}:${downstream0}/`,
        DOWNSTREAM1: `http://${LOOPBACK}:${downstream1}/`,
        ...(this.#injectFailure ? { HO11Y_INJECT_FAILURE: 'enabled' } : {}),
      },
    );
  }

  async #startService(app: string, port: number, extraEnv: Record<string, string>): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // The blog's manifests, minus the ADOT endpoint (no collector here: traces are not exported).
      HO11Y_HOST: LOOPBACK,
      HO11Y_PORT: String(port),
      HO11Y_LOG_DEST: 'stdout',
      DISABLE_OM: 'on',
      OTEL_RESOURCE_ATTRIB: app,
      ...extraEnv,
    };
    const child = await ManagedProcess.start({
      name: `ho11y-${app}`,
      command: process.execPath,
      args: [this.#cli],
      env,
      logFile: join(this.#options.logDir, `ho11y-${app}.log`),
      // ho11y drains requests in flight on SIGTERM; nothing here needs more than a moment.
      stopTimeoutMs: 2000,
    });
    this.startedPids.push(child.pid);
    const service: Ho11yService = { app, port, url: `http://${LOOPBACK}:${port}`, process: child, pod: `${app}-local` };
    this.#services.set(app, service);
    await waitForHttp(`${service.url}/metrics`, child);
    this.#options.onUp?.(service);
  }
}

export { Ho11yTopology, HO11Y_NAMESPACE, ho11yCliPath };
export type { Ho11yService, Ho11yTopologyOptions };
