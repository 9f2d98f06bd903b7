import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { controlPlaneLogGroupName } from '../log-metric-alarm/adot-emf.js';
import { requireClusterName } from '../log-metric-alarm/cluster-name.js';
import { CONTROL_PLANE_QUERIES, type ControlPlaneQuery, type ControlPlaneQueryId } from './control-plane-query-definitions.js';

/** Properties of {@link ControlPlaneQueries}. */
interface ControlPlaneQueriesProps {
  /** Name of the EKS cluster; its control-plane log types must be enabled (audit for the audit queries). */
  readonly clusterName: string;
  /**
   * Folder the queries are saved in (Logs Insights shows `/` as folders).
   * @default `EKS/<clusterName>`
   */
  readonly folder?: string;
  /**
   * The log group.
   * @default - `/aws/eks/<cluster>/cluster`, imported by name
   */
  readonly logGroup?: logs.ILogGroup;
}

/**
 * Saved CloudWatch Logs Insights queries for control-plane investigations: nodes that went NotReady,
 * audit-log request volume by user agent and by URI and verb, etcd "database space exceeded", and the
 * requests refused with 403. They appear under "Saved queries" in the Logs Insights console.
 */
class ControlPlaneQueries extends Construct {
  /** The saved queries, by id. */
  public readonly queries: Readonly<Record<ControlPlaneQueryId, logs.QueryDefinition>>;

  public constructor(scope: Construct, id: string, props: ControlPlaneQueriesProps) {
    super(scope, id);
    const clusterName = requireClusterName(props.clusterName, 'ControlPlaneQueries');
    const logGroup = props.logGroup ?? logs.LogGroup.fromLogGroupName(this, 'LogGroup', controlPlaneLogGroupName(clusterName));
    const folder = props.folder ?? `EKS/${clusterName}`;
    const queries: Partial<Record<ControlPlaneQueryId, logs.QueryDefinition>> = {};
    for (const [queryId, query] of Object.entries(CONTROL_PLANE_QUERIES) as [ControlPlaneQueryId, ControlPlaneQuery][]) {
      queries[queryId] = new logs.QueryDefinition(this, queryId, {
        queryDefinitionName: `${folder}/${query.name}`,
        logGroups: [logGroup],
        queryString: new logs.QueryString({
          fields: query.fields === undefined ? undefined : [...query.fields],
          filterStatements: query.filterStatements === undefined ? undefined : [...query.filterStatements],
          statsStatements: query.stats === undefined ? undefined : [query.stats],
          sort: query.sort,
          limit: query.limit,
        }),
      });
    }
    this.queries = queries as Record<ControlPlaneQueryId, logs.QueryDefinition>;
  }
}

export { ControlPlaneQueries };
export type { ControlPlaneQueriesProps };
