import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

const checkedStacks = new WeakSet<Stack>();

/**
 * Makes synthesis of the scope's stack fail when two of its alarms have the same name. CloudWatch alarm
 * names are unique per account and region, so CloudFormation would fail on the second one mid-deployment.
 * Names built from tokens (a cluster's `Ref`) are compared in their resolved form.
 */
function requireUniqueAlarmNames(scope: Construct): void {
  const stack = Stack.of(scope);
  if (checkedStacks.has(stack)) return;
  checkedStacks.add(stack);
  stack.node.addValidation({
    validate: () => {
      const first = new Map<string, string>();
      const errors: string[] = [];
      for (const construct of stack.node.findAll()) {
        if (!(construct instanceof cloudwatch.CfnAlarm) || Stack.of(construct) !== stack) continue;
        // An L2 alarm without a name holds a token that resolves to undefined: CloudFormation names it.
        const resolved: unknown = stack.resolve(construct.alarmName);
        if (resolved === undefined) continue;
        const name = JSON.stringify(resolved);
        const other = first.get(name);
        if (other === undefined) {
          first.set(name, construct.node.path);
        } else {
          errors.push(
            `two alarms are named ${name} (${other} and ${construct.node.path}); CloudWatch alarm names are unique per account ` +
              'and region, so the deployment would fail. Give one of them another name (the alarmName prop, or the alert\'s name).');
        }
      }
      return errors;
    },
  });
}

export { requireUniqueAlarmNames };
