/**
 * The one error hierarchy of @eks-o11y/slack-notifier. Every error says what is wrong and how to fix it,
 * and never carries the webhook URL.
 */

/** Base class of every error thrown by the notifier. */
class NotifierError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotifierError';
  }
}

/** A payload could not be read as any known alert source. */
class AlertParseError extends NotifierError {
  /** Short, human-readable list of what did not match (zod issues, JSON syntax). */
  public readonly issues: readonly string[];

  public constructor(message: string, issues: readonly string[] = [], options?: ErrorOptions) {
    super(issues.length > 0 ? `${message}: ${issues.slice(0, 5).join('; ')}` : message, options);
    this.name = 'AlertParseError';
    this.issues = issues;
  }
}

/** The notifier's configuration (environment variables, routes, webhook sources) is invalid. */
class NotifierConfigError extends NotifierError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotifierConfigError';
  }
}

/** The webhook URL could not be resolved from KMS, Secrets Manager or SSM, or is not a Slack webhook. */
class WebhookResolutionError extends NotifierError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookResolutionError';
  }
}

/**
 * Slack did not accept a message. `permanent` failures (invalid_payload, channel_not_found, ...) will not
 * succeed on retry without a fix; transient ones (429, 5xx, network) ran out of retries or time.
 * Either way the error propagates, so Lambda's asynchronous retries and dead-letter queue keep the alert.
 */
class SlackDeliveryError extends NotifierError {
  /** HTTP status of the last attempt, or undefined when no response was received. */
  public readonly status: number | undefined;
  /** Slack's error code from the response body (`channel_not_found`), if any. */
  public readonly slackError: string | undefined;
  /** True when retrying without a configuration change cannot succeed. */
  public readonly permanent: boolean;
  /** Number of HTTP attempts made. */
  public readonly attempts: number;

  public constructor(
    message: string,
    details: { status?: number; slackError?: string; permanent: boolean; attempts: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackDeliveryError';
    this.status = details.status;
    this.slackError = details.slackError;
    this.permanent = details.permanent;
    this.attempts = details.attempts;
  }
}

/** Some alerts of one invocation could not be delivered; the others were. */
class PartialDeliveryError extends NotifierError {
  /** The individual failures, in the order they happened. */
  public readonly failures: readonly Error[];
  /** Messages that were delivered before or despite the failures. */
  public readonly delivered: number;
  /** Where each failure happened (`route "platform" (#alerts)`), in the order of `failures`; never a URL. */
  public readonly routes: readonly string[];

  /** @param routes - where each failure happened, so the message says which route to fix */
  public constructor(failures: readonly Error[], delivered: number, routes: readonly string[] = []) {
    super(
      `${failures.length} Slack message(s) failed, ${delivered} delivered: ${failures.map((f, i) => (routes[i] ? `${routes[i]}: ${f.message}` : f.message)).join(' | ')}`,
      { cause: failures[0] },
    );
    this.name = 'PartialDeliveryError';
    this.failures = failures;
    this.delivered = delivered;
    this.routes = routes;
  }
}

export { NotifierError, AlertParseError, NotifierConfigError, WebhookResolutionError, SlackDeliveryError, PartialDeliveryError };
