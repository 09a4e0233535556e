/**
 * Request counts since the tenant started, so tests (and a person at the machine) can see how
 * many refreshes really reached it: `GET /__stats` (routes/stats.ts) answers {@link RequestStats}.
 * Counts live in memory only and start at zero with each start.
 */

/**
 * The `GET /__stats` answer. `requests`: every request by `"<METHOD> <route path>"` (the route
 * as registered, e.g. `POST /oauth/token`; a request no route matched is `"<METHOD> (no
 * route)"`), whatever its answer. `grants`: the requests of each grant endpoint by the
 * `grant_type` the body named, as sent (e.g. `grants['/oauth/token'].refresh_token`).
 */
export interface RequestStats {
  requests: Record<string, number>;
  grants: Record<string, Record<string, number>>;
}

/** The endpoints whose grants are counted by `grant_type`. */
export const GRANT_ROUTES: ReadonlySet<string> = new Set([
  '/oauth/ro',
  '/oauth/token',
  '/delegation',
]);

/** Where a request that matched no route is counted (its path is the caller's choice). */
export const NO_ROUTE = '(no route)';

/**
 * Distinct `grant_type`s counted per endpoint; later new ones go under {@link OTHER_GRANTS}, so
 * callers making up grant types cannot grow the counts without bound.
 */
export const MAX_GRANT_TYPES = 32;
export const OTHER_GRANTS = '(other)';

/** The counts behind `GET /__stats`. */
export class RequestCounter {
  private readonly requests = new Map<string, number>();
  private readonly grants = new Map<string, Map<string, number>>();

  /** Counts one request of `method` on `route` (undefined: no route matched). */
  request(method: string, route: string | undefined): void {
    const key = `${method} ${route ?? NO_ROUTE}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Counts one request of a grant endpoint naming `grantType` (ignored for other routes). */
  grant(route: string, grantType: string): void {
    if (!GRANT_ROUTES.has(route)) return;
    let byType = this.grants.get(route);
    if (!byType) this.grants.set(route, (byType = new Map()));
    const key = byType.has(grantType) || byType.size < MAX_GRANT_TYPES ? grantType : OTHER_GRANTS;
    byType.set(key, (byType.get(key) ?? 0) + 1);
  }

  /** A copy of the counts, as `GET /__stats` answers them. */
  snapshot(): RequestStats {
    return {
      requests: Object.fromEntries(this.requests),
      grants: Object.fromEntries(
        [...this.grants].map(([route, byType]) => [route, Object.fromEntries(byType)]),
      ),
    };
  }
}
