import type { ClusterInfo } from '@aws-quickstart/eks-blueprints';
import type { Construct } from 'constructs';
import { MissingAddOnDependencyError } from './errors.js';

/**
 * Returns the construct promise of an add-on scheduled earlier in the same blueprint, or throws a
 * {@link MissingAddOnDependencyError} that names the missing add-on and how to add it.
 *
 * EKS Blueprints keys scheduled add-ons by `addOn.id ?? addOn.constructor.name`. Its `@dependable`
 * decorator needs TypeScript's legacy `experimentalDecorators`, so this explicit check is used
 * instead: it takes the class itself (no string to mistype) and gives a message that says what to do.
 *
 * @param clusterInfo - the cluster the dependent add-on is deploying to
 * @param dependency - class of the add-on needed, e.g. `blueprints.addons.CloudWatchAdotAddOn`
 * @param dependent - class name of the add-on that needs it, for the message
 * @internal
 */
function requireScheduledAddOn(
  clusterInfo: ClusterInfo,
  dependency: abstract new (...args: never[]) => unknown,
  dependent: string,
): Promise<Construct> {
  const scheduled = clusterInfo.getScheduledAddOn(dependency.name);
  if (!scheduled) {
    throw new MissingAddOnDependencyError(dependent, dependency.name);
  }
  return scheduled;
}

export { requireScheduledAddOn };
