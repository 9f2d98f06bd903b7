import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  controlPlaneForbiddenAlert,
  defineAlert,
  ho11yBadRequestAlert,
  ho11yErrorAlert,
  InvalidAlertDefinitionError,
  type AlertDefinition,
} from '../src/alert-rules/index.js';

const valid: AlertDefinition = {
  name: 'checkout 5xx',
  description: 'Checkout answers with server errors',
  severity: 'critical',
  signal: { metric: 'http_requests_total', type: 'counter', matchers: { code: '500' } },
  condition: { statistic: 'sum', windowSeconds: 60, comparison: 'greaterThan', threshold: 0 },
};

describe('Function: defineAlert', () => {
  it('applies the defaults and freezes the result', () => {
    const alert = defineAlert(valid);
    expect(alert.condition).toMatchObject({ evaluationPeriods: 1, datapointsToAlarm: 1, missingData: 'notBreaching' });
    expect(alert.signal.groupBy).toEqual([]);
    expect(Object.isFrozen(alert.condition)).toBe(true);
  });

  it.each([
    [{ ...valid, name: ' ' }, /name must be a non-empty string/],
    [{ ...valid, severity: 'page' as never }, /severity "page"/],
    [{ ...valid, runbookUrl: 'http://wiki/runbook' }, /runbookUrl .* https:\/\//],
    [{ ...valid, signal: { ...valid.signal, metric: 'http-requests' } }, /not a valid Prometheus metric name/],
    [{ ...valid, signal: { ...valid.signal, groupBy: ['k8s.namespace'] } }, /not a valid Prometheus label name/],
    [{ ...valid, condition: { ...valid.condition, windowSeconds: 0 } }, /windowSeconds must be a positive/],
    [{ ...valid, condition: { ...valid.condition, threshold: Number.NaN } }, /threshold must be a finite/],
    [{ ...valid, condition: { ...valid.condition, evaluationPeriods: 2, datapointsToAlarm: 3 } }, /datapointsToAlarm must be between 1 and evaluationPeriods \(2\)/],
    [{ ...valid, condition: { ...valid.condition, missingData: 'zero' as never } }, /missingData must be one of/],
  ])('rejects %# with a message naming the alert and the field', (definition, message) => {
    expect(() => defineAlert(definition)).toThrow(InvalidAlertDefinitionError);
    expect(() => defineAlert(definition)).toThrow(message);
  });
});

describe('The shipped alerts', () => {
  it("ho11yBadRequestAlert is the blog's alarm: ho11y_total 400 by namespace and code, Sum > 15 over 300 s", () => {
    expect(ho11yBadRequestAlert).toMatchObject({
      name: '400 errors from ho11y app',
      severity: 'warning',
      signal: {
        metric: 'ho11y_total',
        type: 'counter',
        matchers: { http_status_code: '400', namespace: 'ho11y' },
        groupBy: ['namespace', 'http_status_code'],
      },
      condition: { statistic: 'sum', windowSeconds: 300, comparison: 'greaterThan', threshold: 15, evaluationPeriods: 1 },
    });
  });

  it('ho11yErrorAlert and controlPlaneForbiddenAlert build variants', () => {
    const notFound = ho11yErrorAlert({ statusCode: '404', threshold: 5, runbookUrl: 'https://runbooks.example.com/ho11y' });
    expect(notFound.name).toBe('404 errors from ho11y app in ho11y');
    expect(notFound.signal.matchers).toEqual({ http_status_code: '404', namespace: 'ho11y' });
    expect(notFound.condition.threshold).toBe(5);
    expect(controlPlaneForbiddenAlert({ threshold: 10 }).condition).toMatchObject({ threshold: 10, windowSeconds: 300 });
    expect(controlPlaneForbiddenAlert().signal.matchers).toEqual({ code: '403' });
  });
});

describe('CDK-free subpaths', () => {
  const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

  /** Every module reachable from an entry point through relative imports, with its bare imports. */
  function bareImports(entry: string): Set<string> {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
        const specifier = match[1] ?? match[2]!;
        if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
        else bare.add(specifier);
      }
    };
    visit(join(srcDir, entry));
    return bare;
  }

  it.each(['alert-rules/index.ts', 'filter-pattern/index.ts'])('%s never reaches aws-cdk-lib or constructs', (entry) => {
    const imports = [...bareImports(entry)];
    expect(imports.filter((name) => name.startsWith('aws-cdk-lib') || name === 'constructs')).toEqual([]);
  });
});
