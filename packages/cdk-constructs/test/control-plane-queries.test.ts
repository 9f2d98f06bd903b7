import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { CONTROL_PLANE_QUERIES, ControlPlaneQueries, controlPlaneQueryString } from '../src/index.js';
import { newStack } from './helpers.js';

describe('Class: ControlPlaneQueries', () => {
  it('saves one query per investigation on the control-plane log group, in the cluster folder', () => {
    const { stack } = newStack();
    new ControlPlaneQueries(stack, 'Queries', { clusterName: 'demo-cluster' });
    const template = Template.fromStack(stack);
    const definitions = Object.values(template.findResources('AWS::Logs::QueryDefinition')).map((r) => r.Properties);
    expect(definitions).toHaveLength(5);
    for (const [id, query] of Object.entries(CONTROL_PLANE_QUERIES)) {
      expect(definitions).toContainEqual({
        Name: `EKS/demo-cluster/${query.name}`,
        LogGroupNames: ['/aws/eks/demo-cluster/cluster'],
        QueryString: controlPlaneQueryString(id as keyof typeof CONTROL_PLANE_QUERIES),
      });
    }
  });

  it("renders the seeds' investigations as Logs Insights commands", () => {
    expect(controlPlaneQueryString('nodeNotReady')).toBe(
      'fields @timestamp, @logStream, @message\n| filter @message like /NodeNotReady/\n| sort @timestamp desc\n| limit 200');
    expect(controlPlaneQueryString('auditRequestsByUserAgent')).toContain('stats count(*) as requests by userAgent');
    expect(controlPlaneQueryString('auditRequestsByUriAndVerb')).toBe(
      'filter @logStream like /kube-apiserver-audit/\n| stats count(*) as requests by requestURI, verb, user.username\n| sort requests desc\n| limit 50');
    expect(controlPlaneQueryString('etcdDatabaseSpaceExceeded')).toContain('filter @message like /mvcc: database space exceeded/');
  });
});
