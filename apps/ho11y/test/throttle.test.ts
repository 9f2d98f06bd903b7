import { describe, expect, it } from 'vitest';
import { Throttle } from '../src/throttle.js';

describe('Class: Throttle', () => {
  it('measures TPS per 500 ms window in steps of 2 and throttles strictly above the cutoff', () => {
    // Prepare
    const throttle = new Throttle(1);

    // Act & Assess: the first window is never throttled (no rate yet).
    expect(throttle.admit()).toEqual({ throttled: false, tps: 0 });
    throttle.closeWindow();
    // One request in 0.5 s is 2 TPS > 1: the next window is throttled.
    expect(throttle.admit()).toEqual({ throttled: true, tps: 2 });
    expect(throttle.admit()).toEqual({ throttled: true, tps: 2 });
    throttle.closeWindow();
    // Throttled requests count too: 2 requests in 0.5 s = 4 TPS.
    expect(throttle.admit()).toEqual({ throttled: true, tps: 4 });
    throttle.closeWindow();
    throttle.closeWindow();
    // An idle window brings the rate back to 0.
    expect(throttle.admit()).toEqual({ throttled: false, tps: 0 });
  });

  it('does not throttle at exactly the cutoff', () => {
    const throttle = new Throttle(4);
    throttle.admit();
    throttle.admit();
    throttle.closeWindow();
    expect(throttle.admit()).toEqual({ throttled: false, tps: 4 });
  });

  it('closes windows on its own once started', async () => {
    const throttle = new Throttle(0).start();
    throttle.admit();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    throttle.stop();
    // After at least two window ends the single request has aged out again.
    expect(throttle.admit().tps).toBe(0);
  });
});
