/**
 * CloudWatch Logs Insights queries for investigating the EKS control plane (log group
 * `/aws/eks/<cluster>/cluster`). Plain strings, usable without CDK: paste them in the console or pass
 * them to `aws logs start-query`.
 *
 * @module
 */

/** One saved investigation. */
interface ControlPlaneQuery {
  /** Name under which the query is saved (prefixed with the cluster name by {@link ControlPlaneQueries}). */
  readonly name: string;
  /** What the query answers. */
  readonly description: string;
  /** `fields` command: the columns shown. */
  readonly fields?: readonly string[];
  /** `filter` commands, applied in order. */
  readonly filterStatements?: readonly string[];
  /** `stats` command. */
  readonly stats?: string;
  /** `sort` command. */
  readonly sort?: string;
  /** `limit` command. */
  readonly limit?: number;
}

/** The investigations, keyed by a stable id. */
const CONTROL_PLANE_QUERIES = {
  /** Nodes that went NotReady (the node lifecycle controller logs `NodeNotReady`). */
  nodeNotReady: {
    name: 'Nodes that became NotReady',
    description: 'Events where the controller manager marked a node NotReady; none on a healthy cluster.',
    fields: ['@timestamp', '@logStream', '@message'],
    filterStatements: ['@message like /NodeNotReady/'],
    sort: '@timestamp desc',
    limit: 200,
  },
  /** Who calls the API server most (audit log, by user agent). */
  auditRequestsByUserAgent: {
    name: 'API server requests by user agent',
    description: 'Request volume per client (kubectl, controllers, operators) from the audit log.',
    fields: ['userAgent', 'requestURI', '@timestamp', '@message'],
    filterStatements: ['@logStream like /kube-apiserver-audit/'],
    stats: 'count(*) as requests by userAgent',
    sort: 'requests desc',
    limit: 50,
  },
  /** What is requested most (audit log, by URI, verb and user). */
  auditRequestsByUriAndVerb: {
    name: 'API server requests by URI and verb',
    description: 'Request volume per request URI, verb and user from the audit log.',
    filterStatements: ['@logStream like /kube-apiserver-audit/'],
    stats: 'count(*) as requests by requestURI, verb, user.username',
    sort: 'requests desc',
    limit: 50,
  },
  /** etcd ran out of space: every write fails with `mvcc: database space exceeded`. */
  etcdDatabaseSpaceExceeded: {
    name: 'etcd database space exceeded',
    description: 'API server errors caused by a full etcd database (writes fail until it is compacted).',
    fields: ['@timestamp', '@logStream', '@message'],
    filterStatements: ['@logStream like /kube-apiserver/', '@message like /mvcc: database space exceeded/'],
    sort: '@timestamp desc',
    limit: 100,
  },
  /** Who got 403 Forbidden: the investigation behind the control-plane 403 alarm. */
  forbiddenRequests: {
    name: 'API server requests refused with 403',
    description: 'Identities, URIs and verbs the API server refused with 403 Forbidden (the control-plane 403 alarm).',
    filterStatements: ['@logStream like /kube-apiserver-audit/ and responseStatus.code = 403'],
    stats: 'count(*) as refused by user.username, verb, requestURI',
    sort: 'refused desc',
    limit: 50,
  },
} as const satisfies Record<string, ControlPlaneQuery>;

/** Id of one of the {@link CONTROL_PLANE_QUERIES}. */
type ControlPlaneQueryId = keyof typeof CONTROL_PLANE_QUERIES;

/** The query as one string (commands separated by a new line and `|`), as the console and `aws logs start-query --query-string` take it. */
function controlPlaneQueryString(id: ControlPlaneQueryId): string {
  const query: ControlPlaneQuery = CONTROL_PLANE_QUERIES[id];
  const commands = [
    ...(query.fields === undefined ? [] : [`fields ${query.fields.join(', ')}`]),
    ...(query.filterStatements ?? []).map((statement) => `filter ${statement}`),
    ...(query.stats === undefined ? [] : [`stats ${query.stats}`]),
    ...(query.sort === undefined ? [] : [`sort ${query.sort}`]),
    ...(query.limit === undefined ? [] : [`limit ${query.limit}`]),
  ];
  return commands.join('\n| ');
}

export { CONTROL_PLANE_QUERIES, controlPlaneQueryString };
export type { ControlPlaneQuery, ControlPlaneQueryId };
