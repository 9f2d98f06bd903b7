import { Token } from 'aws-cdk-lib';
import { RouteSchema, RoutesSchema } from '@eks-o11y/slack-notifier/routes';
import { InvalidPropsError } from '../errors.js';
import type { SlackRoute } from './slack-route.js';
import type { SlackWebhookSource } from './slack-webhook.js';

/** What validation needs of the notifier's props. */
interface RoutingProps {
  readonly webhook?: unknown;
  readonly mention?: string;
}

/** Stands in for a route's webhook during validation: each `SlackWebhook` factory checks its own source. */
const PLACEHOLDER_WEBHOOK: SlackWebhookSource = { ssmParameter: '/placeholder' };

/** One `SLACK_ROUTES` entry, in the shape the handler parses. */
function routeDocument(route: SlackRoute, webhook: SlackWebhookSource): Record<string, unknown> {
  return {
    name: route.name,
    ...(route.match === undefined ? {} : { match: route.match }),
    webhook,
    ...(route.channel === undefined ? {} : { channel: route.channel }),
    ...(route.mention === undefined ? {} : { mention: route.mention }),
  };
}

/** The handler treats a route whose `match` sets no field as matching every alert. */
function isCatchAll(document: Record<string, unknown>): boolean {
  const match = document['match'] as Record<string, unknown> | undefined;
  return match === undefined || Object.keys(match).length === 0;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], root);
}

/**
 * Checks the routes with the handler's own schema (`RoutesSchema` of `@eks-o11y/slack-notifier`), so that
 * synthesis refuses exactly what would make every invocation fail, then checks that every alert has
 * somewhere to go and every route can be reached.
 *
 * @returns the name of the catch-all route when it leaves the default webhook unused
 */
function validateRouting(props: RoutingProps, routes: readonly SlackRoute[]): string | undefined {
  // The same JSON round trip as the environment variable: undefined fields disappear.
  const documents = routes.map((route) => JSON.parse(JSON.stringify(routeDocument(route, PLACEHOLDER_WEBHOOK))) as Record<string, unknown>);
  const parsed = RoutesSchema.safeParse(documents);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const [index, ...field] = issue.path;
      const got = valueAt(documents, issue.path);
      return `route "${String(documents[Number(index)]?.['name'])}" (routes[${String(index)}]) ${field.join('.') || '(route)'}: ` +
        `${issue.message}${got === undefined || typeof got === 'object' ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new InvalidPropsError(
      `SlackNotifier: ${problems.join('; ')}. The notifier would refuse SLACK_ROUTES and fail on every alert. ` +
        'Leave out a field you do not need: an empty list or an empty string matches or sets nothing.');
  }

  const names = new Map<string, number>();
  documents.forEach((document, index) => {
    const name = String(document['name']);
    const first = names.get(name);
    if (first !== undefined) {
      throw new InvalidPropsError(
        `SlackNotifier: routes[${first}] and routes[${index}] are both named "${name}"; the notifier groups alerts by route name, ` +
          'so the second route\'s alerts would go to the first one\'s webhook. Give each route its own name.');
    }
    names.set(name, index);
  });

  const catchAll = documents.findIndex(isCatchAll);
  if (catchAll >= 0 && catchAll < documents.length - 1) {
    const name = String(documents[catchAll]!['name']);
    throw new InvalidPropsError(
      `SlackNotifier: route "${name}" has no match conditions, so it takes every alert and the routes after it ` +
        `(${documents.slice(catchAll + 1).map((d) => `"${String(d['name'])}"`).join(', ')}) never receive one. ` +
        `Move "${name}" to the end of routes, or give it a match.`);
  }
  if (props.webhook === undefined && catchAll < 0) {
    throw new InvalidPropsError(
      routes.length === 0
        ? 'SlackNotifier needs a webhook: set `webhook: SlackWebhook.fromSecret(...)` (or fromKmsCiphertext / fromSsmParameter).'
        : 'SlackNotifier: alerts that match none of the routes would be dropped. Set `webhook` (the default channel) or add a route without `match` at the end.');
  }

  if (props.mention !== undefined && !Token.isUnresolved(props.mention) && !RouteSchema.shape.mention.safeParse(props.mention.trim()).success) {
    throw new InvalidPropsError(
      `SlackNotifier: mention ${JSON.stringify(props.mention)} is not a Slack mention; use @here, @channel, <!here>, <!channel>, ` +
        'a user <@U…> or a user group <!subteam^S…>, or leave it out.');
  }
  return props.webhook !== undefined && catchAll >= 0 ? String(documents[catchAll]!['name']) : undefined;
}

export { routeDocument, validateRouting };
