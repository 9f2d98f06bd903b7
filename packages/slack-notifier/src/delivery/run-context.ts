/**
 * Where the notifier runs. It decides what a failed delivery means for the alert (Lambda retries and a
 * dead-letter queue, an HTTP sender that resends, a command to run again) and how a missing webhook is
 * configured there, so messages never point a CLI user at Lambda machinery, or the other way round.
 */
type RunContext = 'lambda' | 'receiver' | 'cli' | 'library';

/** What happens to an alert whose delivery failed, said after the failure. */
const FAILURE_CONSEQUENCE: Readonly<Record<RunContext, string>> = {
  lambda: 'The invocation fails so Lambda retries it and the dead-letter queue keeps it.',
  receiver: 'The receiver answers 502 so Alertmanager or Grafana sends it again.',
  cli: 'It was not posted; run the command again once this is fixed.',
  // Code that calls the notifier decides itself what a thrown error means.
  library: '',
};

/** How to give the notifier a webhook, where no webhook was configured. */
const WEBHOOK_SETTINGS: Readonly<Record<RunContext, string>> = {
  lambda: 'set SLACK_WEBHOOK_KMS_CIPHERTEXT, SLACK_WEBHOOK_SECRET_ID or SLACK_WEBHOOK_SSM_PARAMETER, or SLACK_ROUTES',
  cli:
    'pass --webhook-url https://hooks.slack.com/services/... or set SLACK_WEBHOOK_URL ' +
    '(SLACK_WEBHOOK_SECRET_ID, SLACK_WEBHOOK_SSM_PARAMETER and SLACK_ROUTES work too)',
  receiver: 'set SLACK_WEBHOOK_URL, SLACK_WEBHOOK_SECRET_ID or SLACK_WEBHOOK_SSM_PARAMETER, or SLACK_ROUTES',
  library: 'set SLACK_WEBHOOK_URL, SLACK_WEBHOOK_SECRET_ID or SLACK_WEBHOOK_SSM_PARAMETER, or SLACK_ROUTES',
};

export { FAILURE_CONSEQUENCE, WEBHOOK_SETTINGS };
export type { RunContext };
