import { describe, expect, it } from 'vitest';
import { loadNotifierConfig, parseRoutes, routeAlerts } from '../../src/delivery/routes.js';
import type { Alert } from '../../src/model/alert.js';

const alert = (o: Partial<Alert>): Alert => ({ source: 'generic', name: 'a', status: 'firing', state: 'firing', labels: {}, links: [], ...o });

describe('Function: loadNotifierConfig', () => {
  it('reads the default webhook and channel', () => {
    expect(loadNotifierConfig({ SLACK_WEBHOOK_KMS_CIPHERTEXT: ' AQID \n', SLACK_CHANNEL: '#alerts' })).toEqual({
      routes: [],
      defaultWebhook: { kmsCiphertext: 'AQID' },
      defaultChannel: '#alerts',
      allowInsecureLoopbackWebhook: false,
    });
  });

  it('refuses two default sources, naming both', () => {
    expect(() => loadNotifierConfig({ SLACK_WEBHOOK_SECRET_ID: 's', SLACK_WEBHOOK_SSM_PARAMETER: '/p' })).toThrow(
      'Set exactly one default webhook source, not SLACK_WEBHOOK_SECRET_ID and SLACK_WEBHOOK_SSM_PARAMETER.',
    );
  });

  it('refuses a configuration without any webhook', () => {
    // In the Lambda a plain URL does not belong in the environment, so it is not suggested there.
    expect(() => loadNotifierConfig({})).toThrow(
      'No Slack webhook configured: set SLACK_WEBHOOK_KMS_CIPHERTEXT, SLACK_WEBHOOK_SECRET_ID or SLACK_WEBHOOK_SSM_PARAMETER, or SLACK_ROUTES.',
    );
  });
});

describe('Function: parseRoutes', () => {
  it('parses the contract example', () => {
    const routes = parseRoutes(
      JSON.stringify([{ name: 'platform', match: { severity: ['critical'], namespace: ['ho11y'], alertName: '^400 errors' }, webhook: { secretId: 'x' }, channel: '#ho11y-alerts' }]),
    );
    expect(routes[0]!.match!.alertName).toBe('^400 errors');
  });

  it('accepts a mention and refuses anything that is not one', () => {
    expect(parseRoutes('[{"name":"a","webhook":{"secretId":"y"},"mention":"<!subteam^S0123ABC>"}]')[0]!.mention).toBe('<!subteam^S0123ABC>');
    expect(() => parseRoutes('[{"name":"a","webhook":{"secretId":"y"},"mention":"everyone"}]')).toThrow(/0\.mention: must be @here/);
    expect(() => loadNotifierConfig({ SLACK_WEBHOOK_SECRET_ID: 's', SLACK_MENTION: 'boss' })).toThrow(/SLACK_MENTION must be/);
  });

  it('says which field is wrong', () => {
    expect(() => parseRoutes('[{"name":"a","webhook":{"kmsCiphertext":"x","secretId":"y"}}]')).toThrow(/SLACK_ROUTES is invalid: 0\.webhook/);
    expect(() => parseRoutes('[{"name":"a","match":{"alertName":"("},"webhook":{"secretId":"y"}}]')).toThrow(/must be a valid regular expression/);
    expect(() => parseRoutes('{')).toThrow(/SLACK_ROUTES is not valid JSON/);
  });
});

describe('Function: routeAlerts', () => {
  const config = {
    routes: parseRoutes(
      JSON.stringify([
        { name: 'critical-ho11y', match: { severity: ['critical'], namespace: ['ho11y'] }, webhook: { secretId: 'ho11y' }, channel: '#ho11y' },
        { name: 'http-errors', match: { alertName: '^400 errors' }, webhook: { ssmParameter: '/errors' } },
      ]),
    ),
    defaultWebhook: { kmsCiphertext: 'default' },
    defaultChannel: '#ops',
  };

  it('sends each alert to the first matching route and the rest to the default, keeping order', () => {
    const groups = routeAlerts(
      [
        alert({ name: '400 errors from ho11y app', severity: 'critical', namespace: 'ho11y' }),
        alert({ name: '400 errors from shop', severity: 'warning', namespace: 'shop' }),
        alert({ name: 'Disk', severity: 'critical' }),
        alert({ name: 'CPU', severity: 'critical', namespace: 'ho11y' }),
      ],
      config,
    );
    expect(groups.map((g) => [g.routeName, g.channel, g.alerts.map((a) => a.name)])).toEqual([
      ['critical-ho11y', '#ho11y', ['400 errors from ho11y app', 'CPU']],
      ['http-errors', undefined, ['400 errors from shop']],
      ['default', '#ops', ['Disk']],
    ]);
  });

  it('refuses to drop an alert that matches nothing when there is no default', () => {
    expect(() => routeAlerts([alert({ name: 'Disk' })], { routes: config.routes })).toThrow(/"Disk" matches no route/);
  });
});
