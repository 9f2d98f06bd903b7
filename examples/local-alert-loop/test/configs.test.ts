import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ho11yBadRequestAlert, renderPrometheusRuleYaml } from '@eks-o11y/cdk-constructs/alert-rules';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  BLUEPRINT_COLLECTOR_SELECTION,
  checkAlertmanagerConfig,
  checkPrometheusConfig,
  checkPrometheusRules,
  findSystemBinaries,
  InvalidConfigError,
  prometheusKeepRegex,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
} from '../src/index.js';

const binaries = findSystemBinaries();
const dir = mkdtempSync(join(tmpdir(), 'alert-loop-configs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const targets = [
  { address: '127.0.0.1:18001', app: 'frontend', namespace: 'ho11y', pod: 'frontend-local' },
  { address: '127.0.0.1:18002', app: 'downstream0', namespace: 'ho11y', pod: 'downstream0-local' },
];

describe('Function: renderPrometheusConfig', () => {
  it('passes promtool check config together with the time-scaled rule file', async () => {
    // Prepare
    const rules = join(dir, 'rules.yml');
    writeFileSync(rules, renderPrometheusRuleYaml([ho11yBadRequestAlert], { name: 'ho11y', timeScale: 1 / 60 }));
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, stringify(renderPrometheusConfig({ targets, ruleFiles: [rules], alertmanagerAddress: '127.0.0.1:19093' })));

    // Act
    const config = await checkPrometheusConfig(binaries.promtool, file);
    const ruleCheck = await checkPrometheusRules(binaries.promtool, rules);

    // Assess
    expect(config.output).toContain('SUCCESS');
    expect(ruleCheck.output).toContain('SUCCESS: 1 rules found');
  });

  it('keeps the pods and metrics the blueprint collector keeps, and nothing else', () => {
    // Prepare: Prometheus anchors relabel regexes.
    const config = renderPrometheusConfig({ targets, ruleFiles: [], alertmanagerAddress: '127.0.0.1:19093' });
    const job = (config.scrape_configs as { relabel_configs: { regex?: string }[]; metric_relabel_configs: { regex: string }[] }[])[0]!;
    const keepPod = new RegExp(`^(?:${job.relabel_configs[0]!.regex})$`);
    const keepMetric = new RegExp(`^(?:${job.metric_relabel_configs[0]!.regex})$`);

    // Assess
    expect(job.relabel_configs[0]!.regex).toBe(BLUEPRINT_COLLECTOR_SELECTION.podLabelRegex);
    expect(['frontend', 'downstream0', 'downstream1'].every((app) => keepPod.test(app))).toBe(true);
    expect(keepPod.test('backend')).toBe(false);
    for (const kept of ['ho11y_total', 'ho11y_randval', 'ho11y_downstream_duration_seconds_bucket', 'apiserver_request_total', 'container_threads']) {
      expect(keepMetric.test(kept), kept).toBe(true);
    }
    for (const dropped of ['go_goroutines', 'nodejs_heap_size_total_bytes', 'process_cpu_seconds_total', 'up_total']) {
      expect(keepMetric.test(dropped), dropped).toBe(false);
    }
  });

  it('matches awsemf selectors unanchored, as the collector does', () => {
    expect(new RegExp(`^(?:${prometheusKeepRegex(['ho11y*'])})$`).test('my_ho11y_total')).toBe(true);
  });
});

describe('Function: renderAlertmanagerConfig', () => {
  it('passes amtool check-config, sends resolved notifications and keeps the token out of the file', async () => {
    // Prepare
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 's3cret-token');
    const file = join(dir, 'alertmanager.yml');
    const yaml = stringify(renderAlertmanagerConfig({ webhookUrl: 'http://127.0.0.1:18080/alertmanager', bearerTokenFile: tokenFile }));
    writeFileSync(file, yaml);

    // Act
    const result = await checkAlertmanagerConfig(binaries.amtool, file);

    // Assess
    expect(result.output).toContain('SUCCESS');
    expect(yaml).toContain('send_resolved: true');
    expect(yaml).toContain('group_wait: 1s');
    expect(yaml).not.toContain('s3cret-token');
  });

  it('reports what amtool found wrong', async () => {
    // Prepare
    const file = join(dir, 'broken.yml');
    writeFileSync(file, stringify({ route: { receiver: 'missing' }, receivers: [] }));

    // Act & Assess
    await expect(checkAlertmanagerConfig(binaries.amtool, file)).rejects.toThrow(InvalidConfigError);
    await expect(checkAlertmanagerConfig(binaries.amtool, file)).rejects.toThrow(/undefined receiver "missing"/);
  });
});
