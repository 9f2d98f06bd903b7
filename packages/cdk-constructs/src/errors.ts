/**
 * Base class of every error thrown by `@eks-o11y/cdk-constructs`, so callers can catch them all with
 * one `instanceof` check. The `cause` is passed through when there is one.
 */
class CdkConstructsError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CdkConstructsError';
  }
}

/** A construct was given properties that cannot work (missing webhook, bad name, plaintext URL, ...). */
class InvalidPropsError extends CdkConstructsError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidPropsError';
  }
}

/** An {@link alertRules.AlertDefinition | AlertDefinition} is incomplete or inconsistent. */
class InvalidAlertDefinitionError extends CdkConstructsError {
  /** Name of the alert definition at fault, when it has one. */
  public readonly alertName: string | undefined;

  public constructor(message: string, alertName?: string, options?: ErrorOptions) {
    super(alertName === undefined ? message : `alert "${alertName}": ${message}`, options);
    this.name = 'InvalidAlertDefinitionError';
    this.alertName = alertName;
  }
}

/**
 * A CloudWatch Logs filter pattern that {@link matchesFilterPattern} cannot evaluate: a syntax error, or
 * syntax outside the supported subset (regular expressions, `$.a.*` wildcards). `position` is the
 * 0-based character offset in the pattern where the problem starts.
 */
class FilterPatternError extends CdkConstructsError {
  public readonly pattern: string;
  public readonly position: number;

  public constructor(message: string, pattern: string, position: number, options?: ErrorOptions) {
    super(`${message} (at character ${position} of filter pattern ${JSON.stringify(pattern)})`, options);
    this.name = 'FilterPatternError';
    this.pattern = pattern;
    this.position = position;
  }
}

export { CdkConstructsError, InvalidPropsError, InvalidAlertDefinitionError, FilterPatternError };
