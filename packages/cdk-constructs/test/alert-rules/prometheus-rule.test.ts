import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defineAlert,
  ho11yBadRequestAlert,
  InvalidAlertDefinitionError,
  InvalidPropsError,
  renderPrometheusAlertingRule,
  renderPrometheusRuleFile,
  renderPrometheusRuleResource,
  renderPrometheusRuleResourceYaml,
  renderPrometheusRuleYaml,
  type AlertDefinition,
} from '../../src/alert-rules/index.js';

// promtool comes from the Debian package `prometheus` (bash scripts/install-system-deps.sh; CI runs it).
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const workDir = mkdtempSync(join(tmpdir(), 'prometheus-rule-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs promtool; returns its output, or throws with promtool's explanation. */
function promtool(...args: string[]): string {
  try {
    return execFileSync(PROMTOOL, args, { cwd: workDir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, { cause: error });
  }
}

/** promtool's rule unit tests: feed series, assert which alerts fire with which labels and annotations. */
function promtoolTestRules(rulesYaml: string, test: Record<string, unknown>, evaluationInterval = '1m'): string {
  writeFileSync(join(workDir, 'rules.yaml'), rulesYaml);
  // JSON is YAML: promtool reads this test file as written.
  const file = { rule_files: ['rules.yaml'], evaluation_interval: evaluationInterval, tests: [test] };
  writeFileSync(join(workDir, 'test.yaml'), JSON.stringify(file));
  return promtool('test', 'rules', 'test.yaml');
}

const ALERT = '400 errors from ho11y app';
const ho11y400 = (namespace: string): string => `ho11y_total{http_status_code="400",namespace="${namespace}",pod="frontend-1"}`;

describe('Function: renderPrometheusAlertingRule', () => {
  it('renders the blog alarm (Sum of 400s > 15 over 300 s) as the equivalent PromQL', () => {
    // Act
    const rule = renderPrometheusAlertingRule(ho11yBadRequestAlert);

    // Assess
    expect(rule.alert).toBe(ALERT);
    expect(rule.expr).toBe(
      'sum by (namespace, http_status_code) (increase(ho11y_total{http_status_code="400",namespace="ho11y"}[5m])) > 15',
    );
    expect(rule.for).toBeUndefined();
    expect(rule.labels).toEqual({ severity: 'warning' });
    expect(rule.annotations.summary).toBe(ALERT);
  });

  it('scales the window, not the threshold, and says so in the rule', () => {
    // Act
    const rule = renderPrometheusAlertingRule(ho11yBadRequestAlert, { timeScale: 1 / 60 });

    // Assess
    expect(rule.expr).toContain('[5s])) > 15');
    expect(rule.labels.time_scale).toBe('1/60');
    expect(rule.annotations.description).toContain('the 5m window is 5s here');
    expect(rule.annotations.threshold).toBe('> 15 in 5s');
  });

  it('never scales a window below minWindowSeconds, since increase() needs two samples', () => {
    expect(renderPrometheusAlertingRule(ho11yBadRequestAlert, { timeScale: 1 / 3600 }).expr).toContain('[2s]');
    expect(renderPrometheusAlertingRule(ho11yBadRequestAlert, { timeScale: 1 / 3600, minWindowSeconds: 4 }).expr).toContain('[4s]');
  });

  it('renders M out of N periods as a subquery over the last N windows', () => {
    // Prepare
    const alert: AlertDefinition = {
      ...ho11yBadRequestAlert,
      condition: { ...ho11yBadRequestAlert.condition, evaluationPeriods: 3, datapointsToAlarm: 2 },
    };

    // Act
    const rule = renderPrometheusAlertingRule(alert);

    // Assess
    expect(rule.expr).toBe(
      'count_over_time((sum by (namespace, http_status_code) (increase(ho11y_total{http_status_code="400",namespace="ho11y"}[5m])) > 15)[15m:5m]) >= 2',
    );
    expect(promtool('check', 'rules', writeRules([alert]))).toContain('SUCCESS');
  });

  it('renders gauges with *_over_time and treats missing data as breaching when asked', () => {
    // Prepare
    const queueDepth = defineAlert({
      name: 'queue backlog',
      description: 'The queue is not drained',
      severity: 'critical',
      signal: { metric: 'queue_depth', type: 'gauge', groupBy: ['queue'] },
      condition: { statistic: 'average', windowSeconds: 120, comparison: 'greaterThanOrEqual', threshold: 100, missingData: 'breaching' },
    });

    // Act
    const rule = renderPrometheusAlertingRule(queueDepth);

    // Assess
    expect(rule.expr).toBe('(avg by (queue) (avg_over_time(queue_depth[2m])) >= 100) or absent_over_time(queue_depth[2m])');
    expect(rule.labels.severity).toBe('critical');
  });

  it('refuses a counter statistic PromQL cannot express, and says what to use instead', () => {
    // Prepare
    const alert = { ...ho11yBadRequestAlert, condition: { ...ho11yBadRequestAlert.condition, statistic: 'maximum' as const } };

    // Act & Assess
    expect(() => renderPrometheusAlertingRule(alert)).toThrow(InvalidAlertDefinitionError);
    expect(() => renderPrometheusAlertingRule(alert)).toThrow(/use "sum".*or declare the signal a gauge/);
  });

  it('rejects a time scale that is not a positive number', () => {
    for (const timeScale of [0, -1, Number.NaN]) {
      expect(() => renderPrometheusAlertingRule(ho11yBadRequestAlert, { timeScale })).toThrow(InvalidPropsError);
    }
  });
});

function writeRules(alerts: readonly AlertDefinition[], timeScale?: number): string {
  const file = join(workDir, `rules-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, renderPrometheusRuleYaml(alerts, { name: 'ho11y', timeScale }));
  return file;
}

describe('Function: renderPrometheusRuleYaml (Prometheus rule_files and AMP rule groups namespace data)', () => {
  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', writeRules([ho11yBadRequestAlert]))).toContain('SUCCESS: 1 rules found');
    expect(promtool('check', 'rules', writeRules([ho11yBadRequestAlert], 1 / 60))).toContain('SUCCESS: 1 rules found');
  });

  it('fires for more than 15 errors in 5 minutes in the alert namespace only, like the CloudWatch alarm', () => {
    // Prepare: 4 errors a minute in ho11y (20 in 5 min), 2 a minute elsewhere (10 in 5 min)
    const rule = renderPrometheusAlertingRule(ho11yBadRequestAlert);

    // Act
    const output = promtoolTestRules(renderPrometheusRuleYaml([ho11yBadRequestAlert], { name: 'ho11y' }), {
      interval: '1m',
      input_series: [
        { series: ho11y400('ho11y'), values: '0+4x10' },
        { series: ho11y400('other'), values: '0+2x10' },
      ],
      alert_rule_test: [
        {
          eval_time: '6m',
          alertname: ALERT,
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', namespace: 'ho11y', http_status_code: '400' },
              exp_annotations: { ...rule.annotations, value: '20' },
            },
          ],
        },
      ],
    });

    // Assess
    expect(output).toContain('SUCCESS');
  });

  it('stays quiet at 15 errors or fewer in the window (greater than, not greater or equal)', () => {
    const output = promtoolTestRules(renderPrometheusRuleYaml([ho11yBadRequestAlert], { name: 'ho11y' }), {
      interval: '1m',
      input_series: [{ series: ho11y400('ho11y'), values: '0+3x10' }],
      alert_rule_test: [{ eval_time: '6m', alertname: ALERT, exp_alerts: [] }],
    });
    expect(output).toContain('SUCCESS');
  });

  it('time-scaled by 1/60, fires on 16+ errors within 5 seconds and resolves once they stop', () => {
    // Prepare: 4 errors a second for 10 s, then none
    const rules = renderPrometheusRuleYaml([ho11yBadRequestAlert], { name: 'ho11y', timeScale: 1 / 60 });

    // Act
    const output = promtoolTestRules(rules, {
      interval: '1s',
      input_series: [{ series: ho11y400('ho11y'), values: '0+4x10 40x20' }],
      alert_rule_test: [
        {
          eval_time: '8s',
          alertname: ALERT,
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', namespace: 'ho11y', http_status_code: '400', time_scale: '1/60' },
              exp_annotations: { ...renderPrometheusAlertingRule(ho11yBadRequestAlert, { timeScale: 1 / 60 }).annotations, value: '20' },
            },
          ],
        },
        { eval_time: '20s', alertname: ALERT, exp_alerts: [] },
      ],
    }, '1s');

    // Assess
    expect(output).toContain('SUCCESS');
  });

  it('keeps template braces in descriptions literal', () => {
    // Prepare
    const alert = { ...ho11yBadRequestAlert, description: 'See {{ the runbook }} first' };
    const rule = renderPrometheusAlertingRule(alert);

    // Act
    const output = promtoolTestRules(renderPrometheusRuleYaml([alert], { name: 'ho11y' }), {
      interval: '1m',
      input_series: [{ series: ho11y400('ho11y'), values: '0+4x10' }],
      alert_rule_test: [
        {
          eval_time: '6m',
          alertname: ALERT,
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', namespace: 'ho11y', http_status_code: '400' },
              exp_annotations: { ...rule.annotations, description: 'See {{ the runbook }} first', value: '20' },
            },
          ],
        },
      ],
    });

    // Assess
    expect(output).toContain('SUCCESS');
  });

  it('rejects an empty group or two alerts with one name', () => {
    expect(() => renderPrometheusRuleFile([], { name: 'ho11y' })).toThrow(/has no alert definitions/);
    expect(() => renderPrometheusRuleFile([ho11yBadRequestAlert, ho11yBadRequestAlert], { name: 'ho11y' })).toThrow(
      /two alerts named "400 errors from ho11y app"/,
    );
    expect(() => renderPrometheusRuleFile([ho11yBadRequestAlert], { name: ' ' })).toThrow(InvalidPropsError);
  });
});

describe('Function: renderPrometheusRuleResource (kube-prometheus-stack)', () => {
  it('wraps the same rule group in a PrometheusRule that the default ruleSelector loads', () => {
    // Act
    const resource = renderPrometheusRuleResource([ho11yBadRequestAlert], { name: 'ho11y alerts', namespace: 'monitoring' });

    // Assess
    expect(resource.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(resource.kind).toBe('PrometheusRule');
    expect(resource.metadata).toEqual({ name: 'ho11y-alerts', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    expect(resource.spec).toEqual(renderPrometheusRuleFile([ho11yBadRequestAlert], { name: 'ho11y alerts' }));
  });

  it('writes YAML whose spec is the rule file promtool accepts', () => {
    // Prepare
    const yaml = renderPrometheusRuleResourceYaml([ho11yBadRequestAlert], { name: 'ho11y', labels: { release: 'prom' } });
    // The spec block, de-indented, is a rule file.
    const spec = yaml
      .split('\nspec:\n')[1]!
      .split('\n')
      .map((line) => line.slice(2))
      .join('\n');
    const file = join(workDir, 'spec.yaml');
    writeFileSync(file, spec);

    // Act & Assess
    expect(yaml).toMatch(/^apiVersion: "monitoring.coreos.com\/v1"\nkind: "PrometheusRule"\n/);
    expect(yaml).toContain('    release: "prom"\n');
    expect(promtool('check', 'rules', file)).toContain('SUCCESS: 1 rules found');
  });
});
