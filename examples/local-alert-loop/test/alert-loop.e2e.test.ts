import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertLoop, TimelineEventKind, type AlertLoop } from '../src/index.js';
import { eventually, groupAlive, isAlive, processesMentioning } from './helpers.js';

/** Every link in a Slack payload: `<url|text>` in mrkdwn and `url` fields of buttons. */
function linksIn(payload: unknown): string[] {
  const text = JSON.stringify(payload);
  const links = new Set<string>();
  for (const match of text.matchAll(/<(https?:\/\/[^|>]+)(?:\|[^>]*)?>/g)) links.add(match[1]!);
  for (const match of text.matchAll(/"url":"(https?:\/\/[^"]+)"/g)) links.add(match[1]!);
  return [...links];
}

// The README quickstart, as a test: start the loop, inject errors, see Slack, stop them, see resolved.
describe('Function: startAlertLoop (end to end, real Prometheus and Alertmanager)', () => {
  let loop: AlertLoop;
  let pidsBeforeStop: readonly number[] = [];

  beforeAll(async () => {
    // The local sink, never Slack, whatever the developer's shell says.
    loop = await startAlertLoop({ slackWebhookUrl: '' });
  });
  afterAll(async () => {
    await loop?.stop();
  });

  it('binds everything to 127.0.0.1 and sends to the local sink', () => {
    for (const url of Object.values(loop.urls)) if (url) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(loop.destination).toBe('local-sink');
    expect(loop.pids.length).toBe(5); // 3 ho11y, Prometheus, Alertmanager
  });

  it('delivers a firing Slack message with the alert name, namespace, status code and a working link within 15 s', async () => {
    // Act
    await loop.injectErrors();
    const injected = loop.timeline.last(TimelineEventKind.ErrorsInjected)!;
    const firing = await loop.timeline.waitFor(TimelineEventKind.NotificationFiring, { after: injected.at, timeoutMs: 15_000 });

    // Assess
    const firstError = loop.timeline.last(TimelineEventKind.FirstError)!;
    expect(firing.at - firstError.at).toBeLessThan(15_000);
    const message = loop.messages.find((m) => m.status === 'firing')!;
    expect(message.alertNames).toEqual(['400 errors from ho11y app']);
    expect(message.labels[0]).toMatchObject({ namespace: 'ho11y', http_status_code: '400' });
    const payload = JSON.stringify(message.payloads[0]);
    expect(payload).toContain('400 errors from ho11y app');
    expect(payload).toContain('ho11y');
    expect(payload).toContain('400');
    expect(existsSync(message.files[0]!)).toBe(true);
    expect(JSON.parse(readFileSync(message.files[0]!, 'utf8'))).toEqual(message.payloads[0]);

    const links = linksIn(message.payloads[0]).filter((link) => link.startsWith(loop.urls.prometheus));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
    }
  });

  it('delivers a resolved message once the errors stop', async () => {
    // Act
    await loop.stopErrors();
    const stopped = loop.timeline.last(TimelineEventKind.ErrorsStopped)!;
    await loop.timeline.waitFor(TimelineEventKind.NotificationResolved, { after: stopped.at, timeoutMs: 30_000 });

    // Assess
    const resolved = loop.messages.find((m) => m.status === 'resolved')!;
    expect(resolved.alertNames).toEqual(['400 errors from ho11y app']);
    expect(JSON.stringify(resolved.payloads[0])).toMatch(/resolved/i);
  });

  it('leaves no process behind when stopped', async () => {
    // Prepare
    pidsBeforeStop = loop.pids;
    expect(pidsBeforeStop.some(isAlive)).toBe(true);

    // Act
    await loop.stop();

    // Assess
    expect(await eventually(() => !pidsBeforeStop.some((pid) => isAlive(pid) || groupAlive(pid)))).toBe(true);
    expect(processesMentioning(loop.runDir)).toEqual([]);
    await expect(fetch(`${loop.urls.prometheus}/-/ready`)).rejects.toThrow();
    await expect(fetch(loop.urls.receiver)).rejects.toThrow();
  });
});
