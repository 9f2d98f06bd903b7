import type { EksBlueprint } from '@aws-quickstart/eks-blueprints';
import { Ho11yAddOn, SlackAlertsAddOn } from '@eks-o11y/blueprint-addons';
import type { App } from 'aws-cdk-lib';
import { blogBlueprintBuilder } from './blog-blueprint.js';
import type { ExampleConfig } from './example-config.js';

/**
 * The blog's whole stack as one blueprint: the blog's cluster and collector, ho11y, the Slack
 * notifier and both alarms. Resolves once every add-on has been added to the stack.
 */
export async function buildAlarmsToSlack(app: App, config: ExampleConfig): Promise<EksBlueprint> {
  return blogBlueprintBuilder(config)
    .addOns(
      new Ho11yAddOn({ image: config.ho11yImage }),
      new SlackAlertsAddOn({
        webhook: { secretName: config.slackWebhookSecretName },
        ...(config.slackChannel ? { channel: config.slackChannel } : {}),
      }),
    )
    .buildAsync(app, config.clusterName);
}
