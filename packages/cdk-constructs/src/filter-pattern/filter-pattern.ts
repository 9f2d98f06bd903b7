import { FilterPatternError } from '../errors.js';
import { NUMBER } from './comparison.js';
import { evaluateJsonExpression, parseJsonPattern, type JsonExpression } from './json-pattern.js';
import { parseJsonSelector, resolveJsonSelector } from './json-selector.js';
import { matchSpaceDelimited, parseSpaceDelimitedPattern, type Column } from './space-delimited-pattern.js';
import { matchTerms, parseTermPattern, type TermPattern } from './term-pattern.js';

type Compiled =
  | { readonly kind: 'all' }
  | { readonly kind: 'json'; readonly expression: JsonExpression }
  | { readonly kind: 'space-delimited'; readonly columns: Column[] }
  | { readonly kind: 'terms'; readonly terms: TermPattern };

/** A log event: the raw message text, or an already-parsed JSON object. */
type LogEvent = string | Readonly<Record<string, unknown>>;

/** What {@link CompiledFilterPattern.extract} found in a matching event. */
interface FilterMatch {
  /** The parsed JSON event (JSON patterns), or the named columns (space-delimited patterns). */
  readonly fields: unknown;
  /** How `$.selector` (JSON) or `$column` (space-delimited) references are resolved. */
  readonly kind: Compiled['kind'];
}

/**
 * A CloudWatch Logs filter pattern parsed once and evaluated offline, so a pattern can be checked against
 * sample events in a unit test before it is deployed.
 *
 * Supported subset: the empty pattern; JSON patterns `{ $.a.b = "x" && ($.n >= 0 || $.c IS TRUE) }` with
 * `=`, `!=`, `<`, `<=`, `>`, `>=`, `*` wildcards in text, `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`,
 * array indexes and bracketed keys (`$.['k8s.namespace.name']`); space-delimited patterns
 * `[ip, user, status >= 400 && status < 500, ...]`; and plain terms (`ERROR`, `"a phrase"`, `?A ?B`, `-term`).
 * Regular expressions (`%...%`) and `$.a.*` selectors throw a {@link FilterPatternError}.
 */
class CompiledFilterPattern {
  /** The pattern as written. */
  public readonly pattern: string;
  private readonly compiled: Compiled;

  public constructor(pattern: string) {
    this.pattern = pattern;
    const trimmed = pattern.trim();
    if (trimmed === '') this.compiled = { kind: 'all' };
    else if (trimmed.startsWith('{')) this.compiled = { kind: 'json', expression: parseJsonPattern(pattern) };
    else if (trimmed.startsWith('[')) this.compiled = { kind: 'space-delimited', columns: parseSpaceDelimitedPattern(pattern) };
    else this.compiled = { kind: 'terms', terms: parseTermPattern(pattern) };
  }

  /** Whether the event matches. A JSON pattern never matches an event that is not a JSON object. */
  public matches(event: LogEvent): boolean {
    return this.extract(event) !== undefined;
  }

  /** The fields of a matching event, or `undefined` when it does not match. */
  public extract(event: LogEvent): FilterMatch | undefined {
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    switch (this.compiled.kind) {
      case 'all': return { kind: 'all', fields: undefined };
      case 'terms': return matchTerms(this.compiled.terms, text) ? { kind: 'terms', fields: undefined } : undefined;
      case 'space-delimited': {
        const fields = matchSpaceDelimited(this.compiled.columns, text);
        return fields === undefined ? undefined : { kind: 'space-delimited', fields };
      }
      case 'json': {
        const parsed = typeof event === 'string' ? parseJsonObject(event) : event;
        if (parsed === undefined) return undefined;
        return evaluateJsonExpression(this.compiled.expression, parsed) ? { kind: 'json', fields: parsed } : undefined;
      }
    }
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a log event matches a CloudWatch Logs filter pattern, evaluated offline.
 * See {@link CompiledFilterPattern} for the supported syntax; compile once with it when testing many events.
 *
 * @param pattern - the filter pattern, e.g. `{ $.ho11y_total >= 0 }`
 * @param event - the log event: its raw text, or an already-parsed JSON object
 * @throws FilterPatternError on a syntax error or syntax outside the supported subset
 *
 * @example
 * ```ts
 * matchesFilterPattern('{ $.responseStatus.code = 403 }', { responseStatus: { code: 403 } }); // true
 * ```
 */
function matchesFilterPattern(pattern: string, event: LogEvent): boolean {
  return new CompiledFilterPattern(pattern).matches(event);
}

/** A metric filter's transformation, as in `AWS::Logs::MetricFilter`. */
interface MetricFilterDefinition {
  /** The filter pattern. */
  readonly filterPattern: string;
  /** `"1"` (count events), another number, `$.selector` (JSON) or `$column` (space-delimited). */
  readonly metricValue: string;
  /**
   * Dimension name -> `$.selector` or `$column`.
   * @default {}
   */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** What one event contributes to the metric, as CloudWatch would publish it. */
interface MetricObservation {
  /** The value added to the metric, or `undefined` when the value reference does not resolve to a number. */
  readonly value: number | undefined;
  /** Resolved dimension values. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Dimensions whose reference found nothing (or an object) in the event. */
  readonly missingDimensions: readonly string[];
}

function resolveReference(reference: string, match: FilterMatch): unknown {
  if (match.kind === 'json' && reference.startsWith('$.')) {
    return resolveJsonSelector(match.fields, parseJsonSelector(reference, 0).steps);
  }
  if (match.kind === 'space-delimited' && /^\$[A-Za-z0-9_-]+$/.test(reference)) {
    return (match.fields as Record<string, string>)[reference.slice(1)];
  }
  throw new FilterPatternError(
    match.kind === 'json' ? 'JSON patterns reference fields as "$.name"' : 'space-delimited patterns reference columns as "$name"',
    reference, 0);
}

/**
 * Runs a metric filter on one event offline: `undefined` when the event does not match, otherwise the
 * value and dimensions it would publish. Use it to prove that a filter and its dimension selectors fit the
 * events your collector really writes.
 */
function evaluateMetricFilter(filter: MetricFilterDefinition, event: LogEvent): MetricObservation | undefined {
  const match = new CompiledFilterPattern(filter.filterPattern).extract(event);
  if (match === undefined) return undefined;
  let value: number | undefined;
  if (NUMBER.test(filter.metricValue)) value = Number(filter.metricValue);
  else {
    const raw = resolveReference(filter.metricValue, match);
    value = typeof raw === 'number' ? raw : typeof raw === 'string' && NUMBER.test(raw) ? Number(raw) : undefined;
  }
  const dimensions: Record<string, string> = {};
  const missingDimensions: string[] = [];
  for (const [name, reference] of Object.entries(filter.dimensions ?? {})) {
    const raw = resolveReference(reference, match);
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') dimensions[name] = String(raw);
    else missingDimensions.push(name);
  }
  return { value, dimensions, missingDimensions };
}

export { CompiledFilterPattern, matchesFilterPattern, evaluateMetricFilter };
export type { LogEvent, FilterMatch, MetricFilterDefinition, MetricObservation };
