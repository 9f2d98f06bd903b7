/**
 * Base class of every error ho11y throws on purpose. Catch this to tell ho11y's own, explained
 * failures (bad configuration, a port already in use) from bugs.
 */
class Ho11yError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'Ho11yError';
  }
}

/**
 * The environment holds a value ho11y cannot use. `problems` lists every bad variable at once,
 * each with what is wrong and how to fix it, so one restart fixes them all.
 */
class Ho11yConfigError extends Ho11yError {
  /** One line per bad variable: `NAME="value": what is wrong; how to fix it`. */
  public readonly problems: readonly string[];

  public constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`Invalid ho11y configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, options);
    this.name = 'Ho11yConfigError';
    this.problems = problems;
  }
}

/** A `DUMMY:<size>:<duration>` size or duration that does not parse (see `parseDataSize`, `parseGoDuration`). */
class Ho11yParseError extends Ho11yError {
  /** The text that did not parse. */
  public readonly input: string;

  public constructor(message: string, input: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'Ho11yParseError';
    this.input = input;
  }
}

export { Ho11yError, Ho11yConfigError, Ho11yParseError };
