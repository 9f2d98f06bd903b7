import { UNMATCHED_ROUTE } from './constants.js';
import type { RouteOf } from './tracing/request-trace.js';
import type { ExpressLikeRequest } from './types.js';

/** What this module reads of Express 5's router (the `router` package): a layer of a router's stack. */
interface RouterLayer {
  readonly route?: object;
  readonly rawPath?: unknown;
  readonly handle?: { readonly stack?: readonly RouterLayer[] };
}

/** What this module reads of the request: its route, mount point and app (Express sets them). */
type RoutedRequest = ExpressLikeRequest & { app?: { router?: { stack?: readonly RouterLayer[] } } };

/** Stands in for a mount path that is not a string; a prefix holding it is no pattern. */
const NO_PATTERN = '\0';

/** How deep routers are searched for a route: deeper nesting than this is not worth a search per route. */
const MAX_ROUTER_DEPTH = 8;

/**
 * The mount prefixes of every place `route` sits in the router tree under `stack`, as written (`/users/:uid`):
 * `app.use('/users/:uid', router)` mounts the router there, and its layer keeps that path as `rawPath`.
 */
const mountPrefixesOf = (stack: readonly RouterLayer[], route: object, prefix: string, depth: number, found: string[]): void => {
  for (const layer of stack) {
    if (layer.route === route) found.push(prefix);
    const inner = layer.handle?.stack;
    if (layer.route !== undefined || !Array.isArray(inner) || depth >= MAX_ROUTER_DEPTH) continue;
    // A list of paths or a regular expression has no one pattern to write: NO_PATTERN marks what sits under it.
    const raw = typeof layer.rawPath === 'string' ? layer.rawPath : NO_PATTERN;
    mountPrefixesOf(inner, route, prefix + (raw === '/' ? '' : raw), depth + 1, found);
  }
};

/** Route -> its mount pattern, or null when the tree does not say (a sub-app, or a router mounted twice). */
const mountPatterns = new WeakMap<object, string | null>();

/** The mount pattern of `route` (`/users/:uid`), found once per route by searching the app's routers. */
const mountPatternOf = (req: RoutedRequest, route: object): string | null => {
  let pattern = mountPatterns.get(route);
  if (pattern === undefined) {
    const found: string[] = [];
    const stack = req.app?.router?.stack;
    if (Array.isArray(stack)) mountPrefixesOf(stack, route, '', 0, found);
    pattern = new Set(found).size === 1 && !found[0]!.includes(NO_PATTERN) ? found[0]! : null;
    mountPatterns.set(route, pattern);
  }
  return pattern;
};

/** Path segments of `path` ('/api/items/42/' has 3), counted without allocating. */
const segmentCount = (path: string): number => {
  let count = 0;
  for (let i = 0; i < path.length; i++) {
    if (path.charCodeAt(i) !== 47 /* / */ && (i === 0 || path.charCodeAt(i - 1) === 47)) count++;
  }
  return count;
};

/** A route path that matches a fixed number of segments: no wildcard, optional part, regular expression or list. */
const FIXED_LENGTH_ROUTE = /^[^*?{}()[\]\\^$+,]*$/;

/**
 * Where the router tree does not say (a sub-app's routes): `req.baseUrl`; but when an error leaves a mounted
 * router, Express restores `baseUrl` before the response ends, so then it is read from the request path: what
 * precedes the segments the route matched.
 */
const mountPathOf = (path: string, routePath: string, baseUrl: string): string => {
  const mounted = segmentCount(path) - segmentCount(routePath);
  if (mounted === segmentCount(baseUrl) || mounted <= 0 || !FIXED_LENGTH_ROUTE.test(routePath)) return baseUrl;
  return `/${path.split('/').filter(Boolean).slice(0, mounted).join('/')}`;
};

/**
 * @internal The route label of an Express request when it ends: the mount pattern of its router and the matched
 * route (`/users/:uid/posts/:pid`), `<mount>/*` for mounted middleware without a route, `(unmatched)` otherwise.
 */
const expressRoute: RouteOf = (req, path) => {
  const { route, baseUrl } = req as RoutedRequest;
  if (route?.path !== undefined) {
    const routePath = String(route.path);
    const mount = mountPatternOf(req as RoutedRequest, route) ?? mountPathOf(path, routePath, baseUrl ?? '');
    return `${mount}${routePath}` || '/';
  }
  // Mounted middleware without a route (express.static under app.use('/assets', ...)): keep the mount point.
  return baseUrl ? `${baseUrl}/*` : UNMATCHED_ROUTE;
};

export { expressRoute };
