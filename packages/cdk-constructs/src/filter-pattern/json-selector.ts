import { FilterPatternError } from '../errors.js';

/** One step of a JSON property selector: an object key or an array index. */
type SelectorStep = { readonly key: string } | { readonly index: number };

/**
 * Parses a CloudWatch JSON property selector (`$.a.b`, `$.a[0]`, `$.['k8s.namespace.name']`) that starts at
 * `start` in `source`. Returns the steps and the offset just after the selector.
 */
function parseJsonSelector(source: string, start: number, pattern = source): { steps: SelectorStep[]; end: number } {
  if (source[start] !== '$') throw new FilterPatternError('a JSON selector starts with "$"', pattern, start);
  const steps: SelectorStep[] = [];
  let i = start + 1;
  for (;;) {
    const char = source[i];
    if (char === '.' && source[i + 1] === '[') {
      i += 1; // `$.['key']` is the bracket form written after a dot
      continue;
    }
    if (char === '.') {
      let j = i + 1;
      while (j < source.length && /[^\s.[\]=!<>()&|{}"'%]/.test(source[j]!)) j += 1;
      const key = source.slice(i + 1, j);
      if (key === '') throw new FilterPatternError('expected a property name after "."', pattern, i);
      if (key === '*') throw new FilterPatternError('wildcard selectors like "$.a.*" are not supported', pattern, i);
      steps.push({ key });
      i = j;
      continue;
    }
    if (char === '[') {
      const quote = source[i + 1];
      if (quote === "'" || quote === '"') {
        const close = source.indexOf(`${quote}]`, i + 2);
        if (close < 0) throw new FilterPatternError(`unterminated ${quote}...${quote}] in selector`, pattern, i);
        steps.push({ key: source.slice(i + 2, close) });
        i = close + 2;
        continue;
      }
      const close = source.indexOf(']', i);
      const inner = close < 0 ? '' : source.slice(i + 1, close);
      if (!/^\d+$/.test(inner)) {
        throw new FilterPatternError('expected an array index like [0] or a quoted key like [\'a.b\']', pattern, i);
      }
      steps.push({ index: Number(inner) });
      i = close + 1;
      continue;
    }
    break;
  }
  if (steps.length === 0) throw new FilterPatternError('a selector needs at least one property, e.g. "$.level"', pattern, start);
  return { steps, end: i };
}

/** The value a selector points at in a parsed JSON event, or `undefined` when it is absent. */
function resolveJsonSelector(event: unknown, steps: readonly SelectorStep[]): unknown {
  let current: unknown = event;
  for (const step of steps) {
    if ('key' in step) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, step.key)) return undefined;
      current = (current as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(current) || step.index >= current.length) return undefined;
      current = current[step.index];
    }
  }
  return current;
}

export { parseJsonSelector, resolveJsonSelector };
export type { SelectorStep };
