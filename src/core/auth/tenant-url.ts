/**
 * Tenant addresses: users type `acme.eu.auth0.com`, IT pastes `https://acme.eu.auth0.com/`,
 * the local tenant is `http://127.0.0.1:4455`. All become one normalised base URL.
 */
import { isPinnedLoopbackHost } from '../../node/loopback.js';
import { fail } from '../errors.js';
import { configInvalid } from '../../shared/errors.js';
import { errorText } from '../../shared/error-text.js';

/**
 * Parses a tenant as typed into its base URL (always ending in `/`): a bare domain means
 * `https://`. Plain `http://` is refused unless the host is loopback, because a password
 * must never cross a network in clear text.
 */
export function tenantBaseUrl(input: string): URL {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    fail(configInvalid('tenant', errorText('errors.config.notTenantAddress', { input })));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(configInvalid('tenant', errorText('errors.config.scheme', { scheme: url.protocol })));
  }
  if (url.protocol === 'http:' && !isPinnedLoopbackHost(url.hostname)) {
    fail(
      configInvalid('tenant', errorText('errors.config.plainHttp'), {
        detail: { tenant: url.origin },
      }),
    );
  }
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The id_token issuer Auth0 uses for a tenant: its URL with a trailing slash. */
export function issuerOf(base: URL): string {
  return base.href;
}

/** An endpoint under the tenant (`oauth/ro` → `https://t/oauth/ro`). */
export function endpoint(base: URL, path: string): URL {
  return new URL(path.replace(/^\//, ''), base);
}

/** A stable key for per-tenant state: origin + path, no trailing slash. */
export function tenantKey(base: URL): string {
  return base.href.replace(/\/$/, '');
}
