import { App } from 'aws-cdk-lib';
import { buildAlarmsToSlack } from './alarms-to-slack.js';
import { readExampleConfig } from './example-config.js';

// Entry point of `cdk synth` / `cdk deploy` (cdk.json: `npx tsx src/main.ts`).
const app = new App();
await buildAlarmsToSlack(app, readExampleConfig(app));
app.synth();
