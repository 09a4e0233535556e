/** Every error row of the spec becomes the right SignInError, worded for the connection kind. */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/core/auth/http.js';
import { networkError } from '../../src/core/auth/http.js';
import {
  isLegacyGrantRefused,
  retryAfterSeconds,
  serverError,
  type ErrorContext,
} from '../../src/core/auth/server-errors.js';
import { endsSession, isTransient } from '../../src/shared/errors.js';
import type { ConnectionKind } from '../../src/shared/settings.js';

const res = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  timings: { headersMs: 1, totalMs: 1, retried: false },
});
const ctx = (
  kind: ConnectionKind = 'database',
  operation: ErrorContext['operation'] = 'signin',
): ErrorContext => ({
  kind,
  operation,
  tenant: 'acme.auth0.com',
  connection: 'conn-x',
});
const map = (
  status: number,
  error: string,
  description: string,
  kind?: ConnectionKind,
  extra: Record<string, unknown> = {},
) => serverError(res(status, { error, error_description: description, ...extra }), ctx(kind));

describe('spec §1 error rows', () => {
  it.each([
    'missing client_id parameter',
    'missing username parameter',
    'scope parameter must be a string',
    'Fields with "." are not allowed, please remove all dotted fields. Example: "user.name"',
  ])('400 invalid_request "%s" keeps code, status and description', (d) => {
    const e = map(400, 'invalid_request', d);
    expect(e).toMatchObject({ code: 'invalid_request', status: 400, description: d });
    expect(e.message).toContain(d);
  });

  it('the connection was not found / disabled name the connection', () => {
    expect(map(400, 'invalid_request', 'the connection was not found').message).toMatch(
      /“conn-x” does not exist/,
    );
    expect(map(400, 'invalid_request', 'the connection was disabled').message).toMatch(
      /“conn-x” is disabled/,
    );
  });

  it('OIDC conformant clients are told to use the modern protocol', () => {
    expect(
      map(400, 'invalid_request', 'OIDC conformant clients cannot use /oauth/ro'),
    ).toMatchObject({ hint: 'Settings → Protocol' });
  });

  it('invalid_user_password reads differently for database, AD and SMS', () => {
    const db = map(401, 'invalid_user_password', 'Wrong email or password.', 'database').message;
    const ad = map(401, 'invalid_user_password', 'Wrong email or password.', 'ad').message;
    const sms = map(
      401,
      'invalid_user_password',
      'Wrong phone number or verification code.',
      'sms',
    ).message;
    expect(new Set([db, ad, sms]).size).toBe(3);
    expect(db).toBe('The email or password is incorrect.');
    expect(ad).toMatch(/directory/);
    expect(sms).toMatch(/code/);
  });

  it('unauthorized "user is blocked" is a blocked-account sentence; other text is a rule message shown as is', () => {
    expect(map(401, 'unauthorized', 'user is blocked').message).toMatch(/blocked/);
    expect(map(401, 'unauthorized', 'Only employees may sign in on weekdays.').message).toBe(
      'Only employees may sign in on weekdays.',
    );
  });

  it('password_leaked and password_change_required have their own sentences', () => {
    expect(map(401, 'password_leaked', 'This login has been blocked…').message).toMatch(/leak/);
    expect(
      map(401, 'password_change_required', 'Password change required.', 'database').message,
    ).toMatch(/change your password/);
    expect(
      map(401, 'password_change_required', 'Password change required.', 'ad', {
        ldap_status: '773',
      }),
    ).toMatchObject({
      detail: { ldapStatus: '773', ldapMeaning: 'must reset password' },
    });
  });

  it('MFA steps', () => {
    expect(map(401, 'a0.mfa_required', 'Multifactor authentication required').message).toMatch(
      /6-digit/,
    );
    expect(map(401, 'a0.mfa_invalid_code', 'Wrong or expired code.').message).toMatch(/not right/);
    expect(map(401, 'a0.mfa_registration_required', '').message).toMatch(/set up/);
  });

  it('403 unauthorized_client: grant not allowed vs invalid client', () => {
    const grant = map(
      403,
      'unauthorized_client',
      "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client.",
    );
    expect(isLegacyGrantRefused(grant)).toBe(true);
    expect(grant.hint).toBe('Settings → Protocol');
    const client = map(403, 'unauthorized_client', 'invalid client');
    expect(isLegacyGrantRefused(client)).toBe(false);
    expect(client.hint).toBe('Settings → Client ID');
  });

  it('403 access_denied shows the policy text', () => {
    expect(map(403, 'access_denied', 'Not from this country').message).toBe(
      'Not from this country',
    );
  });

  it('429 too_many_attempts keeps the code; 429 too_many_requests becomes rate_limited with Retry-After', () => {
    expect(map(429, 'too_many_attempts', 'blocked').code).toBe('too_many_attempts');
    const r = serverError(
      res(
        429,
        { error: 'too_many_requests', error_description: 'slow down' },
        { 'retry-after': '120' },
      ),
      ctx(),
    );
    expect(r).toMatchObject({
      code: 'rate_limited',
      status: 429,
      description: 'slow down',
      detail: { error: 'too_many_requests', retryAfterSeconds: 120 },
    });
    expect(r.message).toMatch(/2 min/);
  });

  it('AD sub-codes are kept and explained (533 disabled → blocked sentence for AD)', () => {
    const e = map(401, 'unauthorized', 'user is blocked', 'ad', { ldap_status: '533' });
    expect(e.detail).toMatchObject({ ldapStatus: '533', ldapMeaning: 'account disabled' });
    expect(e.message).toMatch(/directory account is disabled/);
  });

  it('jwt-bearer and delegation refusals ask to sign in again', () => {
    const e = serverError(
      res(400, { error: 'invalid_grant', error_description: 'the id_token is invalid' }),
      ctx('database', 'reauth'),
    );
    expect(e.message).toMatch(/sign in again/);
    const d = serverError(
      res(401, { error: 'unauthorized', error_description: 'invalid refresh token' }),
      ctx('database', 'refresh'),
    );
    expect(d.message).toMatch(/sign in again/);
  });
});

describe('spec §2 passwordless errors', () => {
  it.each([
    ['bad.phone_number', 'String does not match pattern: ^\\+[0-9]{1,15}$', /international format/],
    ['bad.connection', 'Connection does not exist', /SMS connection/],
    ['bad.client_id', 'Missing required property: client_id', /client ID/],
    ['sms_provider_error', 'Invalid number (Code: 21211)', /could not be sent: Invalid number/],
    ['bad.request', 'the following properties are not allowed: foo', /not allowed: foo/],
  ])('%s', (code, d, sentence) => {
    const e = serverError(res(400, { error: code, error_description: d }), ctx('sms', 'sms_start'));
    expect(e).toMatchObject({ code, status: 400, description: d });
    expect(e.message).toMatch(sentence);
  });
});

describe('bodies that are not Auth0 errors', () => {
  it('an unknown code falls back to one generic sentence and keeps the server fields', () => {
    const e = map(400, 'weird_thing', 'something');
    expect(e).toMatchObject({ code: 'weird_thing', description: 'something' });
    expect(e.message).toMatch(/Details are available for IT/);
  });

  it('HTML is bad_response naming a proxy', () => {
    const e = serverError(
      {
        ...res(502, '<html><body>Bad gateway</body></html>'),
        headers: { 'content-type': 'text/html' },
      },
      ctx(),
    );
    expect(e).toMatchObject({ code: 'bad_response', status: 502 });
    expect(e.message).toMatch(/proxy/);
  });

  it('a 429 without a body is rate_limited; X-RateLimit-Reset is honoured', () => {
    const now = Date.now();
    expect(
      retryAfterSeconds({ 'x-ratelimit-reset': String(Math.floor(now / 1000) + 42) }, now),
    ).toBeGreaterThanOrEqual(41);
    expect(
      retryAfterSeconds({ 'retry-after': new Date(now + 10_000).toUTCString() }, now),
    ).toBeGreaterThanOrEqual(9);
    expect(serverError({ ...res(429, ''), body: Buffer.alloc(0) }, ctx()).code).toBe(
      'rate_limited',
    );
  });
});

describe('network failures', () => {
  const url = new URL('https://acme.auth0.com/oauth/ro');
  it.each([
    ['ENOTFOUND', 'dns_failed'],
    ['ECONNREFUSED', 'network_unreachable'],
    ['ENETUNREACH', 'network_unreachable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls_error'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_error'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_error'],
  ])('%s → %s', (errno, code) => {
    const e = networkError(Object.assign(new Error(errno), { code: errno }), url);
    expect(e.code).toBe(code);
    if (code === 'tls_error') expect(e.detail?.certificateProblem).toBe(errno);
  });

  it('an aborted signal is cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    expect(networkError(new Error('aborted'), url, ac.signal).code).toBe('cancelled');
  });
});

// What a failed renewal means for a session (src/shared/errors.ts): only the tenant's own JSON
// refusal ends it; a 401 from anything else (a captive portal, a gateway) is "try later".
describe('what a renewal failure means for the session', () => {
  const refresh = ctx('database', 'refresh');
  it.each([
    [
      'a captive portal 401 page',
      res(401, '<html><body>Guest Wi-Fi</body></html>', { 'content-type': 'text/html' }),
    ],
    ['an empty 401', res(401, '')],
    ['a 401 JSON without an Auth0 code', res(401, { message: 'Unauthorized' })],
    ['a 401 {}', res(401, {})],
    ['a 502 proxy page', res(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' })],
    ['a 429 without a body', res(429, '')],
    ['Auth0 429 too_many_requests', res(429, { error: 'too_many_requests' })],
  ])('%s: transient, the session stays', (_name, answer) => {
    const e = serverError(answer, refresh);
    expect(endsSession(e), e.code).toBe(false);
    expect(isTransient(e), e.code).toBe(true);
  });

  it.each([
    [
      '/delegation: invalid refresh token',
      res(401, { error: 'unauthorized', error_description: 'invalid refresh token' }),
    ],
    ['a blocked user', res(401, { error: 'unauthorized', error_description: 'user is blocked' })],
    [
      '/oauth/token: unknown refresh token',
      res(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }),
    ],
  ])('%s: the tenant ended the session', (_name, answer) => {
    const e = serverError(answer, refresh);
    expect(endsSession(e), e.code).toBe(true);
    expect(isTransient(e), e.code).toBe(false);
  });

  it('a client the tenant does not know, or a grant it refuses, neither ends nor retries', () => {
    for (const body of [{ error: 'invalid_client' }, { error: 'unauthorized_client' }]) {
      const e = serverError(res(403, body), refresh);
      expect(endsSession(e)).toBe(false);
      expect(isTransient(e)).toBe(false);
    }
  });
});
