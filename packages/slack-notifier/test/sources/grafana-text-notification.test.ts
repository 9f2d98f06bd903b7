import { describe, expect, it } from 'vitest';
import { batchesFromLambdaEvent } from '../../src/lambda/lambda-event.js';
import { renderSlackMessage, type SlackBlock } from '../../src/render/slack-message.js';
import { parseSnsMessage } from '../../src/sources/parse-alerts.js';
import { validateSlackMessage } from '../../src/testing/slack-message-validator.js';
import { loadEvent } from '../helpers/events.js';

const GRAFANA = 'https://g-0123456789.grafana-workspace.us-east-1.amazonaws.com';

function buttons(blocks: readonly SlackBlock[]): { text: string; url: string }[] {
  const actions = blocks.find((b) => b.type === 'actions') as unknown as { elements: { text: { text: string }; url: string }[] } | undefined;
  return (actions?.elements ?? []).map((e) => ({ text: e.text.text, url: e.url }));
}

/** One alert of Grafana's `__text_alert_list`, as the template writes it. */
function textAlert(lines: { value?: string; labels?: string[]; annotations?: string[]; urls?: string[] } = {}): string {
  return (
    `\n${lines.value === undefined ? '' : `Value: ${lines.value}\n`}Labels:\n${(lines.labels ?? [' - alertname = Disk full']).map((l) => `${l}\n`).join('')}` +
    `Annotations:\n${(lines.annotations ?? []).map((l) => `${l}\n`).join('')}${(lines.urls ?? []).map((l) => `${l}\n`).join('')}`
  );
}

describe('Source: Grafana SNS contact point, default message template', () => {
  it('reads firing and resolved alerts with their values, labels, annotations and links', () => {
    const batch = batchesFromLambdaEvent(loadEvent('grafana', 'sns-default-message-firing-resolved'))[0]!.batch;
    // the [FIRING:2, RESOLVED:1] marker is dropped: the header counts the alerts itself
    expect(batch.title).toBe('blue (EKS ho11y)');
    expect(batch.alerts.map((a) => [a.name, a.status])).toEqual([
      ['High memory usage', 'firing'],
      ['Pod restarts', 'firing'],
      ['High CPU usage', 'resolved'],
    ]);
    const [memory, restarts, cpu] = batch.alerts;
    expect(memory).toMatchObject({
      source: 'grafana',
      state: 'firing',
      severity: 'critical',
      namespace: 'ho11y',
      metric: 'B = 91.8371, C = 1',
      summary: 'ho11y frontend uses 91.8% of its memory limit',
      // a description over two lines keeps both
      description: 'Memory of ho11y frontend is above 85% of its limit.\nIt is OOMKilled at 100%: check the heap before it restarts.',
    });
    expect(memory!.labels).toEqual({ alertname: 'High memory usage', grafana_folder: 'EKS', namespace: 'ho11y', severity: 'critical', team: 'blue' });
    expect(memory!.links).toEqual([
      { kind: 'runbook', url: 'https://runbooks.example.com/k8s/high-memory' },
      { kind: 'dashboard', url: `${GRAFANA}/d/ho11y-overview?orgId=1` },
      { kind: 'panel', url: `${GRAFANA}/d/ho11y-overview?orgId=1&viewPanel=4` },
      { kind: 'source', url: `${GRAFANA}/alerting/grafana/a1b2c3d4e5/view?orgId=1` },
      {
        kind: 'silence',
        url: `${GRAFANA}/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DHigh+memory+usage%2Cgrafana_folder%3DEKS%2Cnamespace%3Dho11y%2Cseverity%3Dcritical%2Cteam%3Dblue`,
      },
    ]);
    expect(restarts).toMatchObject({ severity: 'warning', cluster: 'demo-cluster', namespace: 'ho11y', pod: 'frontend-6b7d9c8f5-x2x9q', metric: 'B = 7, C = 1' });
    expect(restarts!.links.map((l) => l.kind)).toEqual(['source', 'silence']);
    // a resolved alert is not silenced, as with the webhook
    expect(cpu).toMatchObject({ state: 'resolved', previousState: 'firing', metric: 'B = 42.5, C = 0', summary: 'ho11y frontend CPU is back to 42.5%' });
    expect(cpu!.links.map((l) => l.kind)).toEqual(['dashboard', 'panel', 'source']);
  });

  it('renders what the on-call engineer needs: names, states, values and buttons, without the template markup', () => {
    const message = renderSlackMessage(batchesFromLambdaEvent(loadEvent('grafana', 'sns-default-message-firing-resolved'))[0]!.batch);
    expect(validateSlackMessage(message).problems).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('2 firing, 1 resolved · blue (EKS ho11y)');
    expect(message.text).toBe('2 firing, 1 resolved - blue (EKS ho11y): High memory usage (firing), Pod restarts (demo-cluster/frontend-6b7d9c8f5-x2x9q, firing), High CPU usage (resolved)');
    const [memory, restarts, cpu] = message.attachments!;
    expect(memory!.color).toBe('#E01E5A');
    expect(restarts!.color).toBe('#ECB22E');
    expect(cpu!.color).toBe('#2EB67D');
    const memoryText = JSON.stringify(memory!.blocks);
    expect(memoryText).toContain(':red_circle: *<');
    expect(memoryText).toContain('|High memory usage>*\\n*firing* · critical');
    expect(memoryText).toContain('*Metric*\\nB = 91.8371, C = 1');
    expect(memoryText).toContain('check the heap before it restarts');
    expect(buttons(memory!.blocks).map((b) => b.text)).toEqual(['Runbook', 'Dashboard', 'Panel', 'Source', 'Silence']);
    expect(buttons(restarts!.blocks).map((b) => b.text)).toEqual(['Source', 'Silence']);
    expect(buttons(cpu!.blocks).map((b) => b.text)).toEqual(['Dashboard', 'Panel', 'Source']);
    const everything = JSON.stringify(message);
    expect(everything).not.toContain('**');
    expect(everything).not.toContain('```');
    expect(everything).not.toContain('Labels:');
  });

  it('renders the documented single-alert message with runbook and silence buttons', () => {
    const message = renderSlackMessage(batchesFromLambdaEvent(loadEvent('grafana', 'sns-default-message'))[0]!.batch);
    const attachment = message.attachments![0]!;
    expect(JSON.stringify(message.blocks)).toContain('High memory usage (blue us-1)');
    expect(JSON.stringify(attachment.blocks)).toContain('*Metric*\\nB = 44.2394, C = 1');
    expect(JSON.stringify(attachment.blocks)).toContain('The system has high memory usage');
    expect(buttons(attachment.blocks)).toEqual([
      { text: 'Runbook', url: 'https://myrunbook.com/runbook/1234' },
      { text: 'Source', url: 'https://play.grafana.org/alerting/1afz29v7z/edit' },
      {
        text: 'Silence',
        url: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DHigh+memory+usage%2Cteam%3Dblue%2Czone%3Dus-1',
      },
    ]);
    expect(JSON.stringify(message)).not.toContain('**Firing**');
    expect(message.text).toBe('High memory usage: firing - This alert was triggered for zone us-1');
  });

  it('reads a resolved-only message and the template of Grafana 8 (no Value line, empty annotations)', () => {
    const resolved = parseSnsMessage(`**Resolved**\n${textAlert({ value: 'A=3', urls: ['Source: https://grafana.example.com/alerting/x/edit'] })}`, {
      subject: '[RESOLVED] Disk full',
    });
    expect(resolved.title).toBe('Disk full');
    expect(resolved.alerts[0]).toMatchObject({ source: 'grafana', name: 'Disk full', status: 'resolved', metric: 'A = 3' });

    const { message } = loadEvent('grafana', 'webhook') as { message: string };
    const batch = parseSnsMessage(message, { subject: '[FIRING:2]  (blue)' });
    expect(batch.title).toBe('(blue)');
    expect(batch.alerts.map((a) => a.name)).toEqual(['T2', 'T1']);
    expect(batch.alerts[0]).toMatchObject({ source: 'grafana', summary: 'This is my summary', description: 'This is the alert rule checking the second system' });
    expect(batch.alerts[0]!.links.map((l) => l.kind)).toEqual(['runbook', 'source', 'silence']);
    expect(batch.alerts[1]!.links.map((l) => l.kind)).toEqual(['source', 'silence']);
    expect(batch.alerts[1]!.metric).toBeUndefined();
  });

  it('formats every Value line the templates write, and shows one it cannot read as written', () => {
    const metric = (value: string) => parseSnsMessage(`**Firing**\n${textAlert({ value })}`).alerts[0]!.metric;
    expect(metric('[no value]')).toBeUndefined();
    expect(metric('A=1e+06, B=0.000123456789')).toBe('A = 1000000, B = 0.000123457');
    expect(metric('A=NaN, B=+Inf')).toBe('A = NaN, B = Infinity');
    // Grafana 9 wrote the value string
    expect(metric("[ var='B' labels={zone=us-1} value=44.23943737541908 ], [ var='C' labels={zone=us-1} value=1 ]")).toBe('B = 44.2394, C = 1');
    expect(metric('something else')).toBe('something else');
  });

  it('accepts Windows line endings and an annotation with an empty value', () => {
    const text = `**Firing**\n${textAlert({ value: 'B=2', annotations: [' - description =', ' - summary = Disk 91% full'] })}`.replace(/\n/g, '\r\n');
    expect(parseSnsMessage(text).alerts[0]).toMatchObject({ source: 'grafana', name: 'Disk full', summary: 'Disk 91% full', metric: 'B = 2' });
  });
});

describe('Source: SNS text that is not Grafana\'s template', () => {
  it('renders an unrelated text as raw text', () => {
    const batch = parseSnsMessage('Backup of orders-db finished with 2 warnings\nSee the job log.', {
      subject: 'Nightly backup',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    });
    expect(batch.alerts[0]).toMatchObject({ source: 'text', name: 'Nightly backup', state: 'notification', summary: 'Backup of orders-db finished with 2 warnings' });
    const message = renderSlackMessage(batch);
    expect(JSON.stringify(message)).toContain('```\\nBackup of orders-db finished with 2 warnings\\nSee the job log.\\n```');
    expect(validateSlackMessage(message).problems).toEqual([]);
  });

  it.each([
    ['a section without alerts', '**Firing**\n\nDisk is full on node-1\n'],
    ['a line the template never writes', `**Firing**\n${textAlert({ value: 'B=1', urls: ['Source: https://grafana.example.com/a'] })}Owner: team blue\n`],
    ['URL lines out of order', `**Firing**\n${textAlert({ urls: ['Silence: https://grafana.example.com/s', 'Source: https://grafana.example.com/a'] })}`],
    ['no Labels line', '**Firing**\n\nValue: B=1\nAnnotations:\n - summary = x\n'],
    ['a repeated section', `**Firing**\n${textAlert()}\n\n**Firing**\n${textAlert()}`],
    ['text before the first section', `Hello\n**Firing**\n${textAlert()}`],
    [
      'two alerts without a blank line between them',
      `**Firing**\n${textAlert({ value: 'B=91', annotations: [' - summary = node-1 disk 91% full'] })}` +
        textAlert({ value: 'B=97', labels: [' - alertname = Disk nearly full'], annotations: [' - summary = node-2 disk 97% full'] }).slice(1),
    ],
    ['a footer after an alert without URL lines', `**Firing**\n${textAlert({ annotations: [' - runbook_url = https://runbooks.example.com/disk'] })}Sent by Grafana\n`],
    ['text after a blank line that no alert starts', `**Firing**\n${textAlert({ annotations: [' - summary = Disk 91% full'] })}\nCall the storage team\n`],
    [
      'description lines that look like annotations',
      `**Firing**\n${textAlert({ annotations: [' - description = Disks over 90%:', ' - node-2 = 97%', ' - node-1 = 93%', ' - summary = 2 disks full'] })}`,
    ],
    ['a repeated label', `**Firing**\n${textAlert({ labels: [' - alertname = Disk full', ' - node = node-1', ' - node = node-2'] })}`],
    ['a repeated annotation', `**Firing**\n${textAlert({ annotations: [' - summary = node-1 disk full', ' - summary = node-2 disk full'] })}`],
    ['a section right after an alert', `**Firing**\n${textAlert({ annotations: [' - summary = Disk full'] })}**Resolved**\n${textAlert({ labels: [' - alertname = CPU'] })}`],
  ])('keeps %s as raw text, with all its content', (_, text) => {
    const alert = parseSnsMessage(text, { subject: '[FIRING:1] Disk full' }).alerts[0]!;
    expect(alert.source).toBe('text');
    expect(alert.description).toBe('```\n' + text + '\n```');
    // every line reaches the channel
    const shownText = JSON.stringify(renderSlackMessage({ alerts: [alert] }));
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) expect(shownText).toContain(JSON.stringify(line).slice(1, -1));
  });
});
