import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ProcessFailedError } from './errors.js';

/** How to start one process of the loop. */
interface ManagedProcessOptions {
  /** Name shown in the timeline and used for the log file (`prometheus`, `ho11y-frontend`). */
  readonly name: string;
  /** Executable: an absolute path, or a name on PATH. */
  readonly command: string;
  readonly args: readonly string[];
  /** File that receives the process's stdout and stderr. */
  readonly logFile: string;
  /** Environment of the process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /**
   * Grace period between SIGTERM and SIGKILL when stopping.
   * @default 5000
   */
  readonly stopTimeoutMs?: number;
}

/**
 * A child process started in its own process group, so stopping it also stops anything it started
 * (signals go to the group, `kill(-pgid)`), and so a terminal's Ctrl-C reaches only the loop, which
 * then stops each group in order.
 */
class ManagedProcess {
  public readonly name: string;
  public readonly logFile: string;
  /** Process id; also the process-group id (the child leads its own group). */
  public readonly pid: number;
  readonly #exited: Promise<number | string>;
  readonly #stopTimeoutMs: number;
  #stopping = false;
  #exitedCode: number | string | undefined;

  private constructor(options: ManagedProcessOptions, child: ChildProcess, pid: number) {
    this.name = options.name;
    this.logFile = options.logFile;
    this.pid = pid;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitedCode = code ?? signal ?? 'unknown';
        resolve(this.#exitedCode);
      });
    });
  }

  /**
   * Starts the process. Resolves once it is spawned (not once it is ready: see `waitForHttp`).
   * @throws ProcessFailedError when the executable cannot be started
   */
  public static async start(options: ManagedProcessOptions): Promise<ManagedProcess> {
    const log = openSync(options.logFile, 'a');
    try {
      const child = spawn(options.command, [...options.args], {
        env: options.env ?? process.env,
        cwd: options.cwd,
        detached: true,
        stdio: ['ignore', log, log],
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid as number));
        child.once('error', reject);
      }).catch((error: unknown) => {
        throw new ProcessFailedError(options.name, options.logFile, `Could not start ${options.name} (${options.command}): ${String(error)}`, {
          cause: error,
        });
      });
      return new ManagedProcess(options, child, pid);
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(log);
    }
  }

  /** Whether the process is still running. */
  public get running(): boolean {
    return this.#exitedCode === undefined;
  }

  /** Exit code or signal once the process has exited. */
  public get exitCode(): number | string | undefined {
    return this.#exitedCode;
  }

  /** Whether {@link stop} was called: an exit after that is expected. */
  public get stopping(): boolean {
    return this.#stopping;
  }

  /** Resolves with the exit code or signal name when the process exits. */
  public exited(): Promise<number | string> {
    return this.#exited;
  }

  /**
   * Stops the whole process group: SIGTERM, then SIGKILL after the grace period. Idempotent.
   */
  public async stop(): Promise<void> {
    this.#stopping = true;
    if (!this.running) {
      this.#signalGroup('SIGKILL');
      return;
    }
    this.#signalGroup('SIGTERM');
    const killed = await Promise.race([
      this.#exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.#stopTimeoutMs).unref()),
    ]);
    // SIGKILL the group even after a clean exit: a grandchild may have outlived its parent.
    this.#signalGroup('SIGKILL');
    if (killed) await this.#exited;
  }

  #signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

export { ManagedProcess };
export type { ManagedProcessOptions };
