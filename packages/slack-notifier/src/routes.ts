/**
 * The `SLACK_ROUTES` schema and how alerts are routed, on their own: `@eks-o11y/cdk-constructs` checks routes at
 * synthesis with exactly the handler's rules, without loading the rest of the notifier (its handler, SDK clients and
 * renderers).
 */
export { RouteSchema, RoutesSchema, WebhookSourceSchema, parseRoutes, routeAlerts } from './delivery/routes.js';
export type { Route, WebhookSource, RoutedAlerts } from './delivery/routes.js';
