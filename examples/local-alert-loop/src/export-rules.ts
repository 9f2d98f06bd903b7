import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ho11yBadRequestAlert,
  renderPrometheusRuleResourceYaml,
  renderPrometheusRuleYaml,
  type AlertDefinition,
} from '@eks-o11y/cdk-constructs/alert-rules';

/** Options of {@link exportRuleGroup}. */
interface ExportRuleGroupOptions {
  /** Folder to write into (created if missing). */
  readonly outDir: string;
  /** @default [ho11yBadRequestAlert] */
  readonly alerts?: readonly AlertDefinition[];
  /** Rule group name. @default 'ho11y' */
  readonly groupName?: string;
  /** Namespace of the PrometheusRule object. @default 'monitoring' */
  readonly namespace?: string;
  /** Helm release of kube-prometheus-stack (its default ruleSelector matches `release: <name>`). @default 'kube-prometheus-stack' */
  readonly release?: string;
}

/** Files written by {@link exportRuleGroup}. */
interface ExportedRuleFiles {
  /** Prometheus rule file; also the data of an AMP rule groups namespace. */
  readonly prometheusRules: string;
  /** kube-prometheus-stack `PrometheusRule` object. */
  readonly prometheusRuleResource: string;
}

/**
 * Writes the alert rule group at production windows (no time scale) for the places a user runs
 * Prometheus rules: `ho11y-rules.yaml` (Prometheus `rule_files`, or
 * `aws amp create-rule-groups-namespace --data fileb://ho11y-rules.yaml`) and
 * `ho11y-prometheusrule.yaml` (`kubectl apply -f` next to kube-prometheus-stack).
 */
function exportRuleGroup(options: ExportRuleGroupOptions): ExportedRuleFiles {
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const alerts = options.alerts ?? [ho11yBadRequestAlert];
  const name = options.groupName ?? 'ho11y';
  const prometheusRules = join(outDir, `${name}-rules.yaml`);
  const prometheusRuleResource = join(outDir, `${name}-prometheusrule.yaml`);
  writeFileSync(prometheusRules, renderPrometheusRuleYaml(alerts, { name }));
  writeFileSync(
    prometheusRuleResource,
    renderPrometheusRuleResourceYaml(alerts, {
      name,
      namespace: options.namespace ?? 'monitoring',
      labels: { release: options.release ?? 'kube-prometheus-stack' },
    }),
  );
  return { prometheusRules, prometheusRuleResource };
}

export { exportRuleGroup };
export type { ExportRuleGroupOptions, ExportedRuleFiles };
