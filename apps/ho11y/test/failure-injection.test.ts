import { describe, expect, it } from 'vitest';
import { FailureInjector, INJECTED_FAILURE_CODES } from '../src/failure-injection.js';

describe('Class: FailureInjector', () => {
  it('fails exactly for level 51..99 of 0..99 (49%), like rand.Intn(100) > 50', () => {
    // Prepare: walk every level with a source that yields level/100 then the code draw 0.
    const failing: number[] = [];
    for (let level = 0; level < 100; level += 1) {
      const draws = [level / 100, 0];
      const injector = new FailureInjector(() => draws.shift() ?? 0);
      if (injector.pick() !== undefined) {
        failing.push(level);
      }
    }

    // Assess
    expect(failing).toHaveLength(49);
    expect(failing[0]).toBe(51);
    expect(failing.at(-1)).toBe(99);
  });

  it('picks the code uniformly from [400, 403, 301, 404, 501]', () => {
    expect(INJECTED_FAILURE_CODES).toEqual([400, 403, 301, 404, 501]);
    const picked = [0, 0.2, 0.4, 0.6, 0.8, 0.9999].map((codeDraw) => {
      const draws = [0.99, codeDraw];
      return new FailureInjector(() => draws.shift() ?? 0).pick();
    });
    expect(picked).toEqual([400, 403, 301, 404, 501, 501]);
  });
});
