import { describe, expect, it } from 'vitest';
import { batchesFromLambdaEvent } from '../../src/lambda/lambda-event.js';
import type { Alert } from '../../src/model/alert.js';
import { renderPlainTextMessage, renderSlackMessage, type SlackBlock } from '../../src/render/slack-message.js';
import { parseAlertPayload } from '../../src/sources/parse-alerts.js';
import { validateSlackMessage } from '../../src/testing/slack-message-validator.js';
import { loadEvent } from '../helpers/events.js';

function allText(blocks: readonly SlackBlock[] | undefined): string {
  return JSON.stringify(blocks ?? []);
}

function alert(overrides: Partial<Alert> = {}): Alert {
  return { source: 'generic', name: 'Test', status: 'firing', state: 'firing', labels: {}, links: [], ...overrides };
}

describe('Function: renderSlackMessage', () => {
  it('renders the ho11y alarm with transition, reason, fields, mrkdwn description and buttons, without the directive lines', () => {
    const batch = batchesFromLambdaEvent(loadEvent('cloudwatch-sns', 'ho11y-400-alarm'))[0]!.batch;
    const message = renderSlackMessage(batch);
    expect(message.text).toBe(
      '400 errors from ho11y app: OK → ALARM [critical] (ho11y) - Threshold Crossed: 1 datapoint [20.0 (17/02/23 23:35:00)] was greater than the threshold (15.0).',
    );
    const attachment = message.attachments![0]!;
    expect(attachment.color).toBe('#E01E5A');
    // the headline is the message's first block, so Slack does not show the fallback text as well
    expect(message.blocks).toHaveLength(1);
    expect(allText(message.blocks)).toContain('*OK → ALARM* · critical');
    const json = allText(attachment.blocks);
    expect(json).toContain('Alarm from *ho11y app* - Error threshold breached for *HTTP status code 400*');
    expect(json).not.toContain('Runbook:');
    expect(json).not.toContain('Severity:');
    expect(json).toContain('*Namespace*\\nho11y');
    expect(json).toContain('*Condition*\\n&gt; 15 for 1 of 1 period of 5 min');
    const actions = attachment.blocks.find((b) => b.type === 'actions') as unknown as { elements: { text: { text: string }; url: string }[] };
    expect(actions.elements.map((e) => e.text.text)).toEqual(['Runbook', 'Dashboard', 'Open in console']);
    expect(validateSlackMessage(message).problems).toEqual([]);
  });

  it('renders a resolved alarm in green with a tick', () => {
    const batch = batchesFromLambdaEvent(loadEvent('cloudwatch-sns', 'ho11y-400-ok'))[0]!.batch;
    const message = renderSlackMessage(batch);
    expect(message.attachments![0]!.color).toBe('#2EB67D');
    expect(allText(message.blocks)).toContain(':white_check_mark:');
    expect(message.text).toContain('ALARM → OK');
  });

  it('colours by severity', () => {
    const colour = (a: Alert) => renderSlackMessage({ alerts: [a] }).attachments![0]!.color;
    expect(colour(alert({ severity: 'warning' }))).toBe('#ECB22E');
    expect(colour(alert({ severity: 'info' }))).toBe('#36C5F0');
    expect(colour(alert({ status: 'insufficient_data', state: 'INSUFFICIENT_DATA' }))).toBe('#9E9E9E');
  });

  it('groups many alerts under a header and lists the ones beyond the detail limit', () => {
    const alerts = Array.from({ length: 40 }, (_, i) => alert({ name: `Alert ${i}`, status: i % 4 === 0 ? 'resolved' : 'firing', state: i % 4 === 0 ? 'resolved' : 'firing' }));
    const message = renderSlackMessage({ alerts, title: 'team-a', truncatedAlerts: 3 });
    expect(message.blocks![0]).toMatchObject({ type: 'header', text: { text: '30 firing, 10 resolved · team-a' } });
    expect(message.attachments).toHaveLength(6);
    const more = JSON.stringify(message.blocks![1]);
    expect(more).toContain('37 more alerts not shown in detail');
    expect(more).toContain('Alert 39');
    expect(more).toContain('3 more were truncated by the sender');
    expect(validateSlackMessage(message).problems).toEqual([]);
  });

  it('tells apart the alerts of a grouped message in its notification text, by pod or by what else differs', () => {
    const pods = renderSlackMessage(parseAlertPayload(loadEvent('alertmanager', 'webhook-v4-firing')));
    expect(pods.text).toBe(
      '2 firing - slack-notifier (alertname=Ho11yHigh400Rate): Ho11yHigh400Rate (frontend-6b7d9c8f5-x2x9q, firing), Ho11yHigh400Rate (frontend-6b7d9c8f5-k8s7p, firing)',
    );
    const clusters = renderSlackMessage({
      alerts: [
        alert({ name: 'NodeNotReady', cluster: 'prod-eu', namespace: 'kube-system' }),
        alert({ name: 'NodeNotReady', cluster: 'prod-us', namespace: 'kube-system' }),
        alert({ name: 'CrashLoopBackOff ho11y/frontend-7d9', cluster: 'prod-us', namespace: 'ho11y', pod: 'frontend-7d9' }),
      ],
    });
    expect(clusters.text).toBe('3 firing: NodeNotReady (prod-eu/kube-system, firing), NodeNotReady (prod-us/kube-system, firing), CrashLoopBackOff ho11y/frontend-7d9 (prod-us/ho11y, firing)');
    const many = renderSlackMessage({ alerts: Array.from({ length: 200 }, (_, i) => alert({ name: 'Ho11yHigh400Rate', namespace: 'ho11y', pod: `frontend-6b7d9c8f5-${i}` })) });
    expect(many.text.length).toBeLessThanOrEqual(3000);
    expect(many.text).toContain('Ho11yHigh400Rate (frontend-6b7d9c8f5-1, firing)');
    expect(validateSlackMessage(many).problems).toEqual([]);
  });

  it('stays within Slack limits for huge names, reasons, labels and descriptions', () => {
    const huge = 'x&<>'.repeat(5000);
    const labels = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`label_${i}`, huge.slice(0, 200)]));
    const alerts = Array.from({ length: 12 }, () =>
      alert({ name: huge, reason: huge, summary: huge, description: `**${huge}**`, metric: huge, condition: huge, labels, cluster: huge, namespace: huge,
        links: [{ kind: 'runbook', url: `https://example.com/${'a'.repeat(4000)}` }, { kind: 'dashboard', url: 'https://example.com/d' }] }),
    );
    const message = renderSlackMessage({ alerts, title: huge });
    expect(validateSlackMessage(message)).toEqual({ problems: [] });
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('escapes Slack control characters from alert content so nobody gets @channel-ed', () => {
    const message = renderSlackMessage({ alerts: [alert({ name: '<!channel> & <@U123>', reason: '<https://evil.example|click>' })] });
    expect(message.text).not.toMatch(/<!channel>|<@U123>/);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(JSON.stringify(message)).not.toContain('<https://evil.example|click>');
  });

  it('mentions the configured people only when something fires', () => {
    const firing = renderSlackMessage({ alerts: [alert({ name: 'Disk' })] }, { mention: '@here' });
    expect(firing.text).toBe('<!here> Disk: firing');
    expect(firing.blocks![0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<!here> :red_circle: *Disk*\n*firing*' } });
    const grouped = renderSlackMessage({ alerts: [alert({ name: 'A' }), alert({ name: 'B' })] }, { mention: '@channel' });
    expect(grouped.blocks![0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<!channel>' } });
    const resolved = renderSlackMessage({ alerts: [alert({ name: 'Disk', status: 'resolved', state: 'resolved' })] }, { mention: '<!subteam^S0123ABC>' });
    expect(resolved.text).toBe('Disk: resolved');
    expect(allText(resolved.blocks)).not.toContain('subteam');
  });

  it("shows times in each reader's time zone, with the source's time as fallback", () => {
    const message = renderSlackMessage({ alerts: [alert({ timestamp: '2023-02-17T23:40:39.278+0000' })] });
    const context = message.attachments![0]!.blocks.at(-1) as unknown as { elements: { text: string }[] };
    expect(context.elements[0]!.text).toBe('eks-o11y · <!date^1676677239^{date_short_pretty} {time_secs}|2023-02-17T23:40:39.278Z>');
  });

  it('keeps link syntax intact for URLs with | and > in them', () => {
    const message = renderSlackMessage({ alerts: [alert({ links: [{ kind: 'source', url: 'https://prom.example/graph?q=a|b>c' }] })] });
    expect(JSON.stringify(message.blocks![0])).toContain('<https://prom.example/graph?q=a%7Cb&gt;c|Test>');
  });

  it('sets the channel override when given', () => {
    expect(renderSlackMessage({ alerts: [alert()] }, { channel: '#ho11y-alerts' }).channel).toBe('#ho11y-alerts');
  });

  it('renders every fixture into a message Slack accepts', () => {
    const fixtures: [string, string][] = [
      ['cloudwatch-sns', 'blog-test-event'], ['cloudwatch-sns', 'metric-math'], ['cloudwatch-sns', 'anomaly-detection'], ['cloudwatch-sns', 'composite'],
      ['cloudwatch-eventbridge', 'single-metric'], ['cloudwatch-eventbridge', 'composite'], ['amp-sns', 'json-template'], ['amp-sns', 'default-text'],
      ['grafana', 'sns-default-message'], ['grafana', 'sns-default-message-firing-resolved'],
    ];
    for (const [source, name] of fixtures) {
      const message = renderSlackMessage(batchesFromLambdaEvent(loadEvent(source, name))[0]!.batch);
      expect(validateSlackMessage(message).problems, `${source}/${name}`).toEqual([]);
      expect(message.text, `${source}/${name}`).not.toMatch(/undefined|NaN|\[object Object\]/);
    }
    for (const [source, name] of [['alertmanager', 'webhook-v4-firing'], ['grafana', 'webhook'], ['generic', 'pod-crashloop']] as const) {
      const message = renderSlackMessage(parseAlertPayload(loadEvent(source, name)));
      expect(validateSlackMessage(message).problems, `${source}/${name}`).toEqual([]);
    }
  });
});

describe('Function: renderPlainTextMessage', () => {
  it('renders one line per alert without blocks', () => {
    const message = renderPlainTextMessage({ alerts: [alert({ name: 'A' }), alert({ name: 'B', status: 'resolved', state: 'resolved', previousState: 'firing' })] });
    expect(message).toEqual({ text: 'A: firing\nB: firing → resolved' });
  });

  it('tells apart two pods of one workload by their pod label', () => {
    const message = renderPlainTextMessage(parseAlertPayload(loadEvent('alertmanager', 'webhook-v4-firing')));
    const lines = message.text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Ho11yHigh400Rate: firing \[critical\] \(demo-cluster\/ho11y\/frontend-6b7d9c8f5-x2x9q\)/);
    expect(lines[1]).toMatch(/^Ho11yHigh400Rate: firing \[critical\] \(demo-cluster\/ho11y\/frontend-6b7d9c8f5-k8s7p\)/);
  });

  it('does not repeat a pod the alert name already gives', () => {
    const message = renderPlainTextMessage({ alerts: [alert({ name: 'CrashLoopBackOff ho11y/frontend-7d9', namespace: 'ho11y', pod: 'frontend-7d9' })] });
    expect(message.text).toBe('CrashLoopBackOff ho11y/frontend-7d9: firing (ho11y)');
  });
});
