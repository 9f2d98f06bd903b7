import { FilterPatternError } from '../errors.js';
import { bareLiteral, compare, type ComparisonOperator, type Literal } from './comparison.js';
import { parseJsonSelector, resolveJsonSelector, type SelectorStep } from './json-selector.js';

/** A parsed JSON filter pattern (`{ ... }`), ready to evaluate against many events. */
type JsonExpression =
  | { readonly op: '&&' | '||'; readonly left: JsonExpression; readonly right: JsonExpression }
  | { readonly op: 'compare'; readonly selector: SelectorStep[]; readonly operator: ComparisonOperator; readonly literal: Literal }
  | { readonly op: 'postfix'; readonly selector: SelectorStep[]; readonly test: 'IS TRUE' | 'IS FALSE' | 'IS NULL' | 'NOT EXISTS' };

const OPERATORS: readonly ComparisonOperator[] = ['!=', '<=', '>=', '=', '<', '>'];

/**
 * Recursive-descent parser for the JSON form. `&&` binds tighter than `||`; parentheses group.
 */
class JsonPatternParser {
  private position: number;

  public constructor(private readonly pattern: string, private readonly start: number, private readonly end: number) {
    this.position = start;
  }

  public parse(): JsonExpression {
    const expression = this.parseOr();
    this.skipSpace();
    if (this.position < this.end) this.fail(`unexpected "${this.pattern.slice(this.position, this.position + 10)}"`);
    return expression;
  }

  private parseOr(): JsonExpression {
    let left = this.parseAnd();
    while (this.consume('||')) left = { op: '||', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): JsonExpression {
    let left = this.parsePrimary();
    while (this.consume('&&')) left = { op: '&&', left, right: this.parsePrimary() };
    return left;
  }

  private parsePrimary(): JsonExpression {
    this.skipSpace();
    if (this.consume('(')) {
      const inner = this.parseOr();
      if (!this.consume(')')) this.fail('expected ")"');
      return inner;
    }
    if (this.pattern[this.position] !== '$') this.fail('expected a selector such as "$.level" or "("');
    const { steps, end } = parseJsonSelector(this.pattern.slice(0, this.end), this.position, this.pattern);
    this.position = end;
    this.skipSpace();
    for (const test of ['IS TRUE', 'IS FALSE', 'IS NULL', 'NOT EXISTS'] as const) {
      if (this.consumeWords(test)) return { op: 'postfix', selector: steps, test };
    }
    const operator = OPERATORS.find((candidate) => this.pattern.startsWith(candidate, this.position));
    if (operator === undefined) this.fail('expected a comparison (=, !=, <, <=, >, >=) or IS TRUE/IS FALSE/IS NULL/NOT EXISTS');
    this.position += operator!.length;
    const literal = this.parseLiteral();
    if (literal.kind === 'text' && operator !== '=' && operator !== '!=') {
      this.fail(`"${operator}" compares numbers; "${literal.value}" is not a number`);
    }
    return { op: 'compare', selector: steps, operator: operator!, literal };
  }

  private parseLiteral(): Literal {
    this.skipSpace();
    const char = this.pattern[this.position];
    if (char === '%') this.fail('regular expressions (%...%) are not supported by this matcher');
    if (char === '"') {
      let value = '';
      let i = this.position + 1;
      while (i < this.end && this.pattern[i] !== '"') {
        if (this.pattern[i] === '\\' && i + 1 < this.end) i += 1;
        value += this.pattern[i];
        i += 1;
      }
      if (i >= this.end) this.fail('unterminated string');
      this.position = i + 1;
      return { kind: 'text', value };
    }
    const start = this.position;
    while (this.position < this.end && /[^\s()&|]/.test(this.pattern[this.position]!)) this.position += 1;
    const token = this.pattern.slice(start, this.position);
    if (token === '') this.fail('expected a value after the comparison');
    return bareLiteral(token);
  }

  private consume(token: string): boolean {
    this.skipSpace();
    if (!this.pattern.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private consumeWords(words: string): boolean {
    const text = this.pattern.slice(this.position, this.position + words.length);
    const after = this.pattern[this.position + words.length];
    if (text.toUpperCase() !== words || (after !== undefined && /[A-Za-z0-9_]/.test(after))) return false;
    this.position += words.length;
    return true;
  }

  private skipSpace(): void {
    while (this.position < this.end && /\s/.test(this.pattern[this.position]!)) this.position += 1;
  }

  private fail(message: string): never {
    throw new FilterPatternError(message, this.pattern, this.position);
  }
}

/** Parses `{ ... }` (the braces included). */
function parseJsonPattern(pattern: string): JsonExpression {
  const open = pattern.indexOf('{');
  const close = pattern.lastIndexOf('}');
  if (open < 0 || close < open || pattern.slice(close + 1).trim() !== '') {
    throw new FilterPatternError('a JSON filter pattern is enclosed in { }', pattern, Math.max(close, 0));
  }
  return new JsonPatternParser(pattern, open + 1, close).parse();
}

/** Evaluates a parsed JSON pattern against an already-parsed JSON event. */
function evaluateJsonExpression(expression: JsonExpression, event: unknown): boolean {
  switch (expression.op) {
    case '&&': return evaluateJsonExpression(expression.left, event) && evaluateJsonExpression(expression.right, event);
    case '||': return evaluateJsonExpression(expression.left, event) || evaluateJsonExpression(expression.right, event);
    case 'compare': return compare(resolveJsonSelector(event, expression.selector), expression.operator, expression.literal);
    case 'postfix': {
      const value = resolveJsonSelector(event, expression.selector);
      switch (expression.test) {
        case 'IS TRUE': return value === true;
        case 'IS FALSE': return value === false;
        case 'IS NULL': return value === null;
        case 'NOT EXISTS': return value === undefined;
      }
    }
  }
}

export { parseJsonPattern, evaluateJsonExpression };
export type { JsonExpression };
