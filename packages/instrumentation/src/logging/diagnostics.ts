import type { JsonLogger } from '../types.js';

/**
 * @internal Reports problems of the telemetry pipeline itself (collector down, daemon address unusable,
 * bad annotation key) once per problem, not once per request, and says when the problem went away.
 */
class Diagnostics {
  readonly #logger: JsonLogger;
  readonly #active = new Set<string>();

  public constructor(logger: JsonLogger) {
    this.#logger = logger.child({ component: '@eks-o11y/instrumentation' });
  }

  /** Logs `message` at warn level unless the problem `key` is already reported. */
  public problem(key: string, message: string, error?: unknown): void {
    if (this.#active.has(key)) return;
    this.#active.add(key);
    this.#logger.warn(message, error === undefined ? { problem: key } : { problem: key, error: describe(error) });
  }

  /** Logs `message` at info level if the problem `key` was reported, and forgets it. */
  public recovered(key: string, message: string): void {
    if (this.#active.delete(key)) this.#logger.info(message, { problem: key, recovered: true });
  }

  /** True while `key` is reported and not recovered. */
  public isActive(key: string): boolean {
    return this.#active.has(key);
  }
}

const describe = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = error.cause instanceof Error ? `; cause: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}${cause}`;
  }
  return String(error);
};

export { Diagnostics };
