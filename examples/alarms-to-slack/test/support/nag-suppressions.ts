import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * cdk-nag AwsSolutions findings on resources that EKS Blueprints and aws-cdk-lib's EKS module create
 * for the blog's cluster. eks-o11y does not own these constructs and cannot change them without
 * forking the blueprint; each suppression says why it is acceptable for this example. Findings on
 * eks-o11y's own resources (notifier, alarms, ho11y) are never suppressed here.
 */
export function suppressBlueprintFindings(stack: Stack, clusterName: string): void {
  const root = `/${stack.node.path}`;
  const suppress = (path: string, rules: Array<[id: string, reason: string]>): void =>
    NagSuppressions.addResourceSuppressionsByPath(
      stack,
      `${root}/${path}`,
      rules.map(([id, reason]) => ({ id, reason })),
      true,
    );

  suppress('@aws-cdk--aws-eks.ClusterResourceProvider', [
    ['AwsSolutions-IAM4', "aws-cdk-lib's EKS cluster provider: its Lambda roles use AWSLambdaBasicExecutionRole and cannot be configured"],
    ['AwsSolutions-IAM5', "aws-cdk-lib's custom-resource framework may invoke any version of its own handler functions (<fn>.Arn:*)"],
    ['AwsSolutions-L1', "aws-cdk-lib pins the runtime of its EKS provider functions; it moves with aws-cdk-lib"],
    ['AwsSolutions-SF1', "aws-cdk-lib's provider waiter state machine only polls cluster creation; its logging is not configurable"],
    ['AwsSolutions-SF2', "aws-cdk-lib's provider waiter state machine; X-Ray tracing is not configurable"],
  ]);
  suppress('@aws-cdk--aws-eks.KubectlProvider', [
    ['AwsSolutions-IAM4', "aws-cdk-lib's kubectl provider roles use AWS managed Lambda policies (basic execution, VPC access)"],
    ['AwsSolutions-IAM5', "aws-cdk-lib's custom-resource framework may invoke any version of the kubectl handler"],
    ['AwsSolutions-L1', "aws-cdk-lib pins the kubectl handler's runtime to match its kubectl/awscli layers"],
  ]);
  suppress(clusterName, [
    ['AwsSolutions-IAM4', 'EKS requires the AWS managed cluster, worker-node, CNI and ECR policies on the cluster and node roles'],
    [
      'AwsSolutions-IAM5',
      "The blueprint's add-on roles (AWS Load Balancer Controller, ADOT collector) use the wildcards of the upstream IAM policies those controllers document; the cluster creation role is aws-cdk-lib's",
    ],
    ['AwsSolutions-EKS1', "The blog's cluster keeps the public API endpoint so `kubectl` works from a laptop; restrict it with endpointAccess for production"],
  ]);
  suppress(`${clusterName}-kms-key`, [
    ['AwsSolutions-KMS5', "EKS Blueprints' default secrets-encryption key; supply your own rotating key with the KmsKey resource provider for production"],
  ]);
  suppress(`${clusterName}-vpc`, [
    ['AwsSolutions-VPC7', "The blog's VPC from EKS Blueprints' default VPC provider; flow logs add cost the demo does not need"],
  ]);
}
