/**
 * Base class of every error thrown by `@eks-o11y/blueprint-addons`. Catch this to handle them all.
 */
class BlueprintAddOnError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlueprintAddOnError';
  }
}

/**
 * An add-on needs another add-on that is not in the blueprint, or that comes after it.
 */
class MissingAddOnDependencyError extends BlueprintAddOnError {
  /** Class name of the add-on that was added. */
  public readonly addOn: string;
  /** Class name of the add-on it needs. */
  public readonly dependency: string;

  public constructor(addOn: string, dependency: string, options?: ErrorOptions) {
    super(
      `${addOn} needs ${dependency} in the same blueprint, added before it: ` +
        `.addOns(..., new blueprints.addons.${dependency}(...), new ${addOn}(...))`,
      options,
    );
    this.name = 'MissingAddOnDependencyError';
    this.addOn = addOn;
    this.dependency = dependency;
  }
}

/**
 * The cluster does not send the control-plane log types an add-on's alarms read.
 */
class ControlPlaneLoggingError extends BlueprintAddOnError {
  /** Log types the add-on needs that the blueprint does not enable (`audit`, `api`, ...). */
  public readonly missingLogTypes: readonly string[];

  public constructor(message: string, missingLogTypes: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ControlPlaneLoggingError';
    this.missingLogTypes = missingLogTypes;
  }
}

/**
 * Add-on properties that cannot work; the message says which one and how to fix it.
 */
class InvalidAddOnPropsError extends BlueprintAddOnError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAddOnPropsError';
  }
}

export { BlueprintAddOnError, ControlPlaneLoggingError, InvalidAddOnPropsError, MissingAddOnDependencyError };
