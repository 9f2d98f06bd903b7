import { FilterPatternError } from '../errors.js';

/** A plain-text pattern: `ERROR`, `ERROR Exception`, `"exact phrase"`, `?ERROR ?WARN`, `ERROR -Retry`. */
interface TermPattern {
  readonly required: readonly string[];
  readonly excluded: readonly string[];
  readonly anyOf: readonly string[];
}

function parseTermPattern(pattern: string): TermPattern {
  const required: string[] = [];
  const excluded: string[] = [];
  const anyOf: string[] = [];
  for (const match of pattern.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const prefix = match[1];
    const term = match[2] !== undefined ? match[2].replace(/\\"/g, '"') : match[3]!;
    if (term.startsWith('%')) throw new FilterPatternError('regular expressions (%...%) are not supported by this matcher', pattern, match.index);
    if (prefix === '?') anyOf.push(term);
    else if (prefix === '-') excluded.push(term);
    else required.push(term);
  }
  if (anyOf.length > 0 && required.length > 0) {
    throw new FilterPatternError('mixing "?term" alternatives with plain terms is not supported by this matcher', pattern, 0);
  }
  return { required, excluded, anyOf };
}

/** Terms match case-sensitively anywhere in the raw event text. */
function matchTerms(terms: TermPattern, text: string): boolean {
  if (terms.excluded.some((term) => text.includes(term))) return false;
  if (terms.anyOf.length > 0) return terms.anyOf.some((term) => text.includes(term));
  return terms.required.every((term) => text.includes(term));
}

export { parseTermPattern, matchTerms };
export type { TermPattern };
