/** Base class of every error thrown by @eks-o11y/instrumentation. */
class InstrumentationError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InstrumentationError';
  }
}

/** Thrown by {@link createTelemetry} when an option or environment variable is invalid. */
class TelemetryConfigurationError extends InstrumentationError {
  /** The option or environment variable at fault. */
  public readonly setting: string;

  public constructor(setting: string, message: string, options?: ErrorOptions) {
    super(`${setting}: ${message}`, options);
    this.name = 'TelemetryConfigurationError';
    this.setting = setting;
  }
}

export { InstrumentationError, TelemetryConfigurationError };
