/** Comparison operators of filter patterns. */
type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal on the right of a comparison: a number, or text that may contain `*` wildcards. */
type Literal = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'text'; readonly value: string };

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Text form of a scalar event value, as CloudWatch compares it; `undefined` for objects, arrays and absent values. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/**
 * Compares an event value with a literal.
 * - A missing field (or an object/array) never matches, whatever the operator, `!=` included.
 * - A number literal compares numerically with JSON numbers and numeric strings.
 * - A text literal compares with the text form of the value; `*` matches any run of characters, and
 *   `= *` alone matches any present scalar value. Only `=` and `!=` apply to text.
 */
function compare(value: unknown, operator: ComparisonOperator, literal: Literal): boolean {
  if (literal.kind === 'number') {
    const actual = numberOf(value);
    if (actual === undefined) return false;
    switch (operator) {
      case '=': return actual === literal.value;
      case '!=': return actual !== literal.value;
      case '<': return actual < literal.value;
      case '<=': return actual <= literal.value;
      case '>': return actual > literal.value;
      case '>=': return actual >= literal.value;
    }
  }
  const text = textOf(value);
  if (text === undefined) return false;
  const equal = literal.value.includes('*') ? globToRegExp(literal.value).test(text) : text === literal.value;
  return operator === '=' ? equal : !equal;
}

/** Literal from a bare (unquoted) token: a number when it looks like one, text otherwise. */
function bareLiteral(token: string): Literal {
  return NUMBER.test(token) ? { kind: 'number', value: Number(token) } : { kind: 'text', value: token };
}

export { compare, bareLiteral, NUMBER };
export type { ComparisonOperator, Literal };
