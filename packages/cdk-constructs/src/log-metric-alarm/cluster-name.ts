import { Token } from 'aws-cdk-lib';
import { InvalidPropsError } from '../errors.js';

/** What EKS accepts as a cluster name. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * Returns the cluster name, or throws when it could not be an EKS cluster's name: the log group names
 * and alarm names built from it would point nowhere. Tokens (a cluster's `Ref`) pass unchecked.
 */
function requireClusterName(clusterName: unknown, construct: string): string {
  if (typeof clusterName === 'string' && (Token.isUnresolved(clusterName) || CLUSTER_NAME.test(clusterName))) return clusterName;
  throw new InvalidPropsError(
    `${construct}: clusterName ${clusterName === undefined ? 'is missing' : `${JSON.stringify(clusterName)} is not an EKS cluster name`}; ` +
      'give the name of the cluster as EKS shows it (1-100 letters, digits, "-" or "_", starting with a letter or digit), ' +
      'e.g. clusterName: \'demo-cluster\' or cluster.clusterName.');
}

export { requireClusterName };
