import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';

describe('README quickstart', () => {
  it('is the code of test/fixtures/quickstart.ts, which synthesises the notifier, both alarms and the queries', async () => {
    // Prepare
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- quickstart[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const fixture = readFileSync(new URL('./fixtures/quickstart.ts', import.meta.url), 'utf8').replace(/export \{ app, stack \};\n$/, '');

    // Act
    const { stack } = await import('./fixtures/quickstart.js');

    // Assess
    expect(block).toBe(fixture);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.resourceCountIs('AWS::Logs::MetricFilter', 2);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: '400 errors from ho11y app on demo-cluster', Threshold: 15 });
  });
});
