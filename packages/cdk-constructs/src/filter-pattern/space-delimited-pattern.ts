import { FilterPatternError } from '../errors.js';
import { bareLiteral, compare, type ComparisonOperator, type Literal } from './comparison.js';

/** One condition on a column: `status >= 400`. */
interface ColumnCondition {
  readonly operator: ComparisonOperator;
  readonly literal: Literal;
}

/** One column of `[ip, user, status >= 400 && status < 500, ...]`. `...` is written as `{ ellipsis: true }`. */
type Column =
  | { readonly ellipsis: true }
  | { readonly ellipsis: false; readonly name: string; readonly any: readonly (readonly ColumnCondition[])[] };

const OPERATORS: readonly ComparisonOperator[] = ['!=', '<=', '>=', '=', '<', '>'];

/** Splits on a separator that is not inside double quotes. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && text.startsWith(separator, i)) {
      parts.push(current);
      current = '';
      i += separator.length - 1;
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function parseCondition(text: string, pattern: string, name: string): ColumnCondition {
  const body = text.trim();
  if (!body.startsWith(name)) {
    throw new FilterPatternError(`conditions of column "${name}" must all test "${name}"`, pattern, pattern.indexOf(body));
  }
  const rest = body.slice(name.length).trim();
  const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (operator === undefined) throw new FilterPatternError(`expected a comparison after "${name}"`, pattern, pattern.indexOf(body));
  const raw = rest.slice(operator.length).trim();
  if (raw.startsWith('%')) throw new FilterPatternError('regular expressions (%...%) are not supported by this matcher', pattern, pattern.indexOf(raw));
  const literal: Literal = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2
    ? { kind: 'text', value: raw.slice(1, -1).replace(/\\"/g, '"') }
    : bareLiteral(raw);
  if (literal.kind === 'text' && operator !== '=' && operator !== '!=') {
    throw new FilterPatternError(`"${operator}" compares numbers; "${literal.value}" is not a number`, pattern, pattern.indexOf(body));
  }
  return { operator, literal };
}

/** Parses `[a, b, c > 200, ...]`. */
function parseSpaceDelimitedPattern(pattern: string): Column[] {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) {
    throw new FilterPatternError('a space-delimited filter pattern is enclosed in [ ]', pattern, 0);
  }
  const columns = splitOutsideQuotes(trimmed.slice(1, -1), ',').map((text): Column => {
    const body = text.trim();
    if (body === '...') return { ellipsis: true };
    const name = /^[A-Za-z0-9_-]+/.exec(body)?.[0];
    if (name === undefined) throw new FilterPatternError(`column "${body}" must start with a name`, pattern, pattern.indexOf(text));
    if (body === name) return { ellipsis: false, name, any: [] };
    const any = splitOutsideQuotes(body, '||').map((alternative) =>
      splitOutsideQuotes(alternative, '&&').map((condition) => parseCondition(condition, pattern, name)));
    return { ellipsis: false, name, any };
  });
  if (columns.filter((column) => column.ellipsis).length > 1) {
    throw new FilterPatternError('at most one "..." column is allowed', pattern, 0);
  }
  return columns;
}

/** Splits a log line into fields: runs of non-space, with "quoted text" and [bracketed text] kept whole. */
function splitLogLine(line: string): string[] {
  const fields: string[] = [];
  const field = /"((?:[^"\\]|\\.)*)"|\[([^\]]*)\]|(\S+)/g;
  for (const match of line.matchAll(field)) fields.push(match[1] ?? match[2] ?? match[3] ?? '');
  return fields;
}

/** Named values of a matching line, or `undefined` when the line does not match. */
function matchSpaceDelimited(columns: readonly Column[], line: string): Record<string, string> | undefined {
  const fields = splitLogLine(line);
  const ellipsis = columns.findIndex((column) => column.ellipsis);
  const fixed = columns.length - (ellipsis >= 0 ? 1 : 0);
  if (ellipsis < 0 ? fields.length !== fixed : fields.length < fixed) return undefined;
  const values: Record<string, string> = {};
  for (let c = 0; c < columns.length; c += 1) {
    const column = columns[c]!;
    if (column.ellipsis) continue;
    const f = ellipsis >= 0 && c > ellipsis ? fields.length - (columns.length - c) : c;
    const value = fields[f]!;
    const ok = column.any.length === 0
      || column.any.some((all) => all.every((condition) => compare(value, condition.operator, condition.literal)));
    if (!ok) return undefined;
    values[column.name] = value;
  }
  return values;
}

export { parseSpaceDelimitedPattern, matchSpaceDelimited, splitLogLine };
export type { Column };
