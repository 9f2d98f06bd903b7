/**
 * Base class of every error the local alert loop throws, so callers can tell the loop's failures
 * (a missing binary, a process that died, a port that never opened) from their own.
 */
class AlertLoopError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertLoopError';
  }
}

/** A system binary (Prometheus, Alertmanager, promtool, amtool) is not installed. */
class MissingBinaryError extends AlertLoopError {
  /** The binaries that were looked for and not found. */
  public readonly binaries: readonly string[];

  public constructor(binaries: readonly string[], message: string) {
    super(message);
    this.name = 'MissingBinaryError';
    this.binaries = binaries;
  }
}

/** A process the loop started exited before it was asked to stop, or never became ready. */
class ProcessFailedError extends AlertLoopError {
  /** The name the loop gave the process (`prometheus`, `ho11y-frontend`). */
  public readonly processName: string;
  /** File holding the process's stdout and stderr. */
  public readonly logFile: string;

  public constructor(processName: string, logFile: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProcessFailedError';
    this.processName = processName;
    this.logFile = logFile;
  }
}

/** A generated Prometheus or Alertmanager file failed `promtool check` or `amtool check-config`. */
class InvalidConfigError extends AlertLoopError {
  /** The file that failed the check. */
  public readonly file: string;

  public constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidConfigError';
    this.file = file;
  }
}

/** Options given to {@link startAlertLoop} or the CLI are invalid. */
class InvalidOptionError extends AlertLoopError {
  public constructor(message: string) {
    super(message);
    this.name = 'InvalidOptionError';
  }
}

export { AlertLoopError, MissingBinaryError, ProcessFailedError, InvalidConfigError, InvalidOptionError };
