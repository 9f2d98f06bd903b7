/** State of one alert in Prometheus's `/api/v1/alerts`. */
type AlertState = 'inactive' | 'pending' | 'firing';

interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing';
}

/** Options of {@link PrometheusAlertWatcher}. */
interface PrometheusAlertWatcherOptions {
  /** Base URL of Prometheus (`http://127.0.0.1:9090`). */
  readonly prometheusUrl: string;
  /** Alert name to follow (the `alertname` label). */
  readonly alertName: string;
  /** Poll period. @default 200 */
  readonly pollMs?: number;
  /** Called whenever the alert's state changes. */
  readonly onChange: (state: AlertState, at: number) => void;
}

/**
 * Follows one alert's state in Prometheus by polling `/api/v1/alerts`, so the timeline can show
 * when Prometheus itself saw the alert pending, firing and gone, apart from when Slack heard of it.
 */
class PrometheusAlertWatcher {
  readonly #options: PrometheusAlertWatcherOptions;
  #state: AlertState = 'inactive';
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  public constructor(options: PrometheusAlertWatcherOptions) {
    this.#options = options;
  }

  public get state(): AlertState {
    return this.#state;
  }

  public start(): void {
    this.#timer ??= setInterval(() => void this.#poll(), this.#options.pollMs ?? 200);
  }

  public stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const response = await fetch(`${this.#options.prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { data?: { alerts?: PrometheusAlert[] } };
      const alerts = (body.data?.alerts ?? []).filter((alert) => alert.labels.alertname === this.#options.alertName);
      const state: AlertState = alerts.some((alert) => alert.state === 'firing')
        ? 'firing'
        : alerts.length > 0
          ? 'pending'
          : 'inactive';
      if (state !== this.#state) {
        this.#state = state;
        this.#options.onChange(state, Date.now());
      }
    } catch {
      // Prometheus is stopping or briefly busy: the next poll tells.
    } finally {
      this.#polling = false;
    }
  }
}

export { PrometheusAlertWatcher };
export type { AlertState, PrometheusAlertWatcherOptions };
