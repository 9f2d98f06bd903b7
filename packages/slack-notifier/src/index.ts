/**
 * @eks-o11y/slack-notifier: CloudWatch alarms (SNS and EventBridge), Alertmanager, Amazon Managed
 * Prometheus, Grafana and generic alerts as Slack messages an on-call engineer can act on.
 *
 * Importing this module has no side effects: no client is created, no environment is read.
 * @module
 */
export { NotifierError, AlertParseError, NotifierConfigError, WebhookResolutionError, SlackDeliveryError, PartialDeliveryError } from './errors.js';
export { AlertSource, AlertStatus, Severity, LinkKind } from './model/alert.js';
export type { Alert, AlertLink, AlertBatch } from './model/alert.js';
export { extractDescriptionDirectives } from './model/description-directives.js';
export type { DescriptionDirectives } from './model/description-directives.js';
export { parseAlertPayload, parseSnsMessage } from './sources/parse-alerts.js';
export { CloudWatchAlarmSnsMessageSchema, CloudWatchAlarmStateChangeEventSchema } from './sources/cloudwatch-alarm.js';
export type { CloudWatchAlarmSnsMessage, CloudWatchAlarmStateChangeEvent } from './sources/cloudwatch-alarm.js';
export { AlertmanagerWebhookSchema } from './sources/alertmanager-webhook.js';
export type { AlertmanagerWebhook } from './sources/alertmanager-webhook.js';
export { GENERIC_ALERT_VERSION, GenericAlertPayloadSchema } from './sources/generic-alert.js';
export type { GenericAlertPayload } from './sources/generic-alert.js';
export { renderSlackMessage, renderPlainTextMessage, StateColour } from './render/slack-message.js';
export type { SlackMessage, SlackBlock, SlackAttachment, RenderOptions } from './render/slack-message.js';
export { escapeMrkdwn, markdownToMrkdwn } from './render/mrkdwn.js';
export { SlackLimits } from './render/slack-limits.js';
export { RouteSchema, RoutesSchema, WebhookSourceSchema, parseRoutes, loadNotifierConfig, routeAlerts } from './delivery/routes.js';
export type { Route, WebhookSource, NotifierConfig, RoutedAlerts } from './delivery/routes.js';
export { SlackWebhookClient } from './delivery/slack-webhook-client.js';
export type { DeliveryOptions, DeliveryResult } from './delivery/slack-webhook-client.js';
export type { RunContext } from './delivery/run-context.js';
export { SlackNotifier } from './delivery/slack-notifier.js';
export type { SlackNotifierOptions, NotifierLogger, NotifyResult } from './delivery/slack-notifier.js';
export { WebhookResolver } from './webhook/webhook-resolver.js';
export type { WebhookResolverOptions } from './webhook/webhook-resolver.js';
export { validateWebhookUrl } from './webhook/webhook-url.js';
export type { WebhookUrlPolicy } from './webhook/webhook-url.js';
export { createLambdaHandler, handler } from './lambda/handler.js';
export type { LambdaHandlerOptions, LambdaHandlerResult, NotifierLambdaHandler } from './lambda/handler.js';
export { startReceiver } from './receiver/http-receiver.js';
export type { ReceiverOptions, Receiver } from './receiver/http-receiver.js';
