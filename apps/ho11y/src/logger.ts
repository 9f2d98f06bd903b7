/** Log levels ho11y writes, spelled as logrus spells them in its JSON lines. */
const LogLevel = { INFO: 'info', WARNING: 'warning', ERROR: 'error', FATAL: 'fatal' } as const;
/** Log levels ho11y writes, spelled as logrus spells them in its JSON lines. */
type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Values a log field may hold. */
type LogFieldValue = string | number | boolean | null;

/** Anything with a `write(string)`, such as `process.stdout` or a test's collector. */
interface LogSink {
  write(chunk: string): unknown;
}

/** Options of {@link Ho11yLogger}. */
interface Ho11yLoggerOptions {
  /** Where the lines go. */
  readonly sink: LogSink;
  /** The clock stamping `time`. @default () => new Date() */
  readonly now?: () => Date;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Go's `time.RFC3339` in local time, which logrus uses for `time`: seconds precision and a numeric
 * offset, or `Z` when the local zone is UTC (as in a container).
 */
function formatRfc3339Local(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
  );
}

/** Go's encoding/json escapes these, so logrus lines carry `\u003c` rather than `<`. */
const GO_JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Writes ho11y's log lines exactly as the Go original's logrus `JSONFormatter` did: one JSON object
 * per line, keys sorted, `level`, `msg` and `time` (RFC 3339, local time) next to the fields.
 *
 * @example
 * ```ts
 * const logger = new Ho11yLogger({ sink: process.stderr });
 * logger.info('ho11y was invoked', { event: 'invoke', traceID: '1-…', remote: '10.0.1.2:54321' });
 * // {"event":"invoke","level":"info","msg":"ho11y was invoked","remote":"10.0.1.2:54321","time":"…","traceID":"1-…"}
 * ```
 */
class Ho11yLogger {
  private readonly sink: LogSink;
  private readonly now: () => Date;

  public constructor(options: Ho11yLoggerOptions) {
    this.sink = options.sink;
    this.now = options.now ?? (() => new Date());
  }

  /** Logs at `info`. */
  public info(msg: string, fields: Readonly<Record<string, LogFieldValue>> = {}): void {
    this.log(LogLevel.INFO, msg, fields);
  }

  /** Logs at `warning`. */
  public warning(msg: string, fields: Readonly<Record<string, LogFieldValue>> = {}): void {
    this.log(LogLevel.WARNING, msg, fields);
  }

  /** Logs at `error`. */
  public error(msg: string, fields: Readonly<Record<string, LogFieldValue>> = {}): void {
    this.log(LogLevel.ERROR, msg, fields);
  }

  /** Logs at `fatal` (the caller exits). */
  public fatal(msg: string, fields: Readonly<Record<string, LogFieldValue>> = {}): void {
    this.log(LogLevel.FATAL, msg, fields);
  }

  /** Formats and writes one line; keys are sorted like Go's map encoding. */
  public log(level: LogLevel, msg: string, fields: Readonly<Record<string, LogFieldValue>>): void {
    const entry: Record<string, LogFieldValue> = { ...fields, level, msg, time: formatRfc3339Local(this.now()) };
    const sorted = Object.fromEntries(Object.keys(entry).sort().map((key) => [key, entry[key] ?? null]));
    const line = JSON.stringify(sorted).replace(/[<>&\u2028\u2029]/g, (char) => GO_JSON_ESCAPES[char] ?? char);
    this.sink.write(`${line}\n`);
  }
}

export { Ho11yLogger, LogLevel, formatRfc3339Local };
export type { LogSink, LogFieldValue, Ho11yLoggerOptions };
