/** What happened, in the order the loop reports it. */
const TimelineEventKind = {
  /** A process or in-process server is up and answering. */
  ProcessUp: 'process-up',
  /** The traffic generator sent its first request. */
  TrafficStarted: 'traffic-started',
  /** Failure injection was switched on at the frontend. */
  ErrorsInjected: 'errors-injected',
  /** The first response carrying the alert's status code (the first injected error a user would see). */
  FirstError: 'first-error',
  /** Prometheus evaluates the alert as pending (condition true, `for` not yet elapsed). */
  AlertPending: 'alert-pending',
  /** Prometheus evaluates the alert as firing. */
  AlertFiring: 'alert-firing',
  /** Slack (or the local sink) received the firing message. */
  NotificationFiring: 'notification-firing',
  /** Failure injection was switched off. */
  ErrorsStopped: 'errors-stopped',
  /** Prometheus no longer reports the alert. */
  AlertResolved: 'alert-resolved',
  /** Slack (or the local sink) received the resolved message. */
  NotificationResolved: 'notification-resolved',
  /** Shutdown began / ended. */
  Stopping: 'stopping',
  Stopped: 'stopped',
} as const;
type TimelineEventKind = (typeof TimelineEventKind)[keyof typeof TimelineEventKind];

/** One line of the timeline. */
interface TimelineEvent {
  readonly kind: TimelineEventKind;
  /** Wall-clock time (ms since the epoch). */
  readonly at: number;
  /** Milliseconds since the loop started. */
  readonly sinceStartMs: number;
  /** One readable sentence. */
  readonly message: string;
}

type TimelineListener = (event: TimelineEvent) => void;

/** Records what the loop does, in order, and tells listeners as it happens. */
class Timeline {
  readonly #startedAt: number;
  readonly #events: TimelineEvent[] = [];
  readonly #listeners: TimelineListener[] = [];
  readonly #waiters: { kind: TimelineEventKind; after: number; resolve: (event: TimelineEvent) => void }[] = [];

  public constructor(startedAt = Date.now()) {
    this.#startedAt = startedAt;
  }

  /** Every event so far. */
  public get events(): readonly TimelineEvent[] {
    return this.#events;
  }

  public onEvent(listener: TimelineListener): void {
    this.#listeners.push(listener);
  }

  public record(kind: TimelineEventKind, message: string, at = Date.now()): TimelineEvent {
    const event: TimelineEvent = { kind, at, sinceStartMs: at - this.#startedAt, message };
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.kind === kind && at >= waiter.after) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
    return event;
  }

  /** The latest event of a kind, if any. */
  public last(kind: TimelineEventKind): TimelineEvent | undefined {
    return this.#events.findLast((event) => event.kind === kind);
  }

  /**
   * Resolves with the first event of `kind` recorded at or after `after` (already recorded or future).
   * Rejects after `timeoutMs`.
   */
  public waitFor(kind: TimelineEventKind, options: { after?: number; timeoutMs?: number } = {}): Promise<TimelineEvent> {
    const after = options.after ?? 0;
    const existing = this.#events.find((event) => event.kind === kind && event.at >= after);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter = { kind, after, resolve: (event: TimelineEvent) => { clearTimeout(timer); resolve(event); } };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`No "${kind}" event within ${options.timeoutMs} ms`));
      }, options.timeoutMs ?? 60_000);
      timer.unref();
      this.#waiters.push(waiter);
    });
  }
}

/** Formats an event as one timeline line: `+  12.3 s  alert-firing  ...`. */
function formatTimelineEvent(event: TimelineEvent): string {
  return `+${(event.sinceStartMs / 1000).toFixed(1).padStart(6)} s  ${event.kind.padEnd(21)} ${event.message}`;
}

export { Timeline, TimelineEventKind, formatTimelineEvent };
export type { TimelineEvent, TimelineListener };
