/** Inputs of {@link renderAlertmanagerConfig}. */
interface AlertmanagerConfigOptions {
  /** URL of the notifier's Alertmanager webhook receiver. */
  readonly webhookUrl: string;
  /** File holding the bearer token the receiver expects (kept out of the config itself). */
  readonly bearerTokenFile?: string;
  /** Seconds before the first notification of a new group. Alertmanager's default is 30 s. @default 1 */
  readonly groupWaitSeconds?: number;
  /** Seconds between notifications about changes in a group (including resolution). Default 5 min. @default 1 */
  readonly groupIntervalSeconds?: number;
  /** Seconds before a still-firing alert is sent again. @default 3600 */
  readonly repeatIntervalSeconds?: number;
}

/**
 * Renders alertmanager.yml (as a plain object): one route to the notifier's webhook receiver with
 * `send_resolved: true`, grouped by alert name and namespace, with timings tuned for the demo
 * (Alertmanager's defaults of 30 s / 5 min would hide the loop's speed).
 */
function renderAlertmanagerConfig(options: AlertmanagerConfigOptions): Record<string, unknown> {
  return {
    route: {
      receiver: 'slack-notifier',
      group_by: ['alertname', 'namespace'],
      group_wait: `${options.groupWaitSeconds ?? 1}s`,
      group_interval: `${options.groupIntervalSeconds ?? 1}s`,
      repeat_interval: `${options.repeatIntervalSeconds ?? 3600}s`,
    },
    receivers: [
      {
        name: 'slack-notifier',
        webhook_configs: [
          {
            url: options.webhookUrl,
            send_resolved: true,
            ...(options.bearerTokenFile
              ? { http_config: { authorization: { type: 'Bearer', credentials_file: options.bearerTokenFile } } }
              : {}),
          },
        ],
      },
    ],
  };
}

export { renderAlertmanagerConfig };
export type { AlertmanagerConfigOptions };
