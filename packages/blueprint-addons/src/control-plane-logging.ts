import type { ClusterInfo } from '@aws-quickstart/eks-blueprints';
import { ClusterLoggingTypes } from 'aws-cdk-lib/aws-eks';
import { ControlPlaneLoggingError } from './errors.js';

const BUILDER_CONSTANT: Record<string, string> = {
  [ClusterLoggingTypes.API]: 'API',
  [ClusterLoggingTypes.AUDIT]: 'AUDIT',
  [ClusterLoggingTypes.AUTHENTICATOR]: 'AUTHENTICATOR',
  [ClusterLoggingTypes.CONTROLLER_MANAGER]: 'CONTROLLER_MANAGER',
  [ClusterLoggingTypes.SCHEDULER]: 'SCHEDULER',
};

/**
 * Control-plane log types the blueprint enables, as EKS Blueprints 1.19 records them: the builder's
 * `.enableControlPlaneLogTypes(...)` ends up in the blueprint props that every add-on can read
 * through the resource context.
 * @internal
 */
function enabledControlPlaneLogTypes(clusterInfo: ClusterInfo): readonly ClusterLoggingTypes[] {
  return clusterInfo.getResourceContext().blueprintProps.enableControlPlaneLogTypes ?? [];
}

/**
 * Throws a {@link ControlPlaneLoggingError} unless the blueprint enables every required log type.
 *
 * Why an add-on cannot switch them on itself: EKS Blueprints creates the cluster (and passes the log
 * types to it) before any add-on runs, and `ClusterInfo` offers no way to change the cluster's
 * logging afterwards. Failing at synth time with the builder call to add beats deploying an alarm
 * on a log group that never receives an event.
 * @internal
 */
function assertControlPlaneLogTypes(
  clusterInfo: ClusterInfo,
  required: readonly ClusterLoggingTypes[],
  addOn: string,
): void {
  const enabled = new Set(enabledControlPlaneLogTypes(clusterInfo));
  const missing = required.filter((type) => !enabled.has(type));
  if (missing.length === 0) {
    return;
  }
  const wanted = [...new Set([...enabled, ...required])]
    .map((type) => `blueprints.ControlPlaneLogType.${BUILDER_CONSTANT[type] ?? type}`)
    .join(', ');
  throw new ControlPlaneLoggingError(
    `${addOn} alarms on the EKS control-plane log type(s) ${missing.map((t) => `"${t}"`).join(', ')}, ` +
      `which this blueprint does not enable. An add-on cannot change the cluster's logging once the cluster exists: ` +
      `add .enableControlPlaneLogTypes(${wanted}) to your EksBlueprint.builder(), ` +
      `or turn the control-plane alarm off with controlPlaneAlarm: false.`,
    missing,
  );
}

export { assertControlPlaneLogTypes, enabledControlPlaneLogTypes };
