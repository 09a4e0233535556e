/**
 * The error sentences are written once (src/shared/error-text.en.json): every key core, shared
 * and main code emit is in that file, no sentence there is dead, the English `message` of a
 * real error is the window's English rendering of its key (Lingui, as the window renders it),
 * and the sentences tests and the CLI know stay word for word what they were.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setupI18n } from '@lingui/core';
import { describe, expect, it } from 'vitest';
import { networkError, type HttpResponse } from '../../src/core/auth/http.js';
import {
  serverError,
  type ErrorContext,
  type Operation,
} from '../../src/core/auth/server-errors.js';
import {
  englishText,
  errorText,
  formatStored,
  isErrorTextKey,
} from '../../src/shared/error-text.js';
import { NEEDS_GESTURE } from '../../src/shared/ipc.js';
import { brandColors, checkBranding, type BrandingNote } from '../../src/shared/branding.js';
import { readLogo } from '../../src/core/settings/branding-logo.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/core/auth/http.js';
import { checkTenant } from '../../src/core/diagnostics/check.js';
import { TokenVerifier } from '../../src/core/tokens/verify.js';
import {
  cancelled,
  configInvalid,
  internal,
  notSignedIn,
  type SignInError,
} from '../../src/shared/errors.js';
import type { ConnectionKind } from '../../src/shared/settings.js';
import { compileCatalog } from '../../scripts/icu-plugin.js';

const ROOT = join(import.meta.dirname, '../..');
const SOURCE = join(ROOT, 'src/shared/error-text.en.json');
const english = JSON.parse(readFileSync(SOURCE, 'utf8')) as Record<string, string>;

/** The window's English: the same file compiled by the build plugin, rendered by Lingui. */
const compiled = compileCatalog(SOURCE, readFileSync(SOURCE, 'utf8')) as Record<string, never>;
const i18n = setupI18n({ locale: 'en', messages: { en: compiled } });
const rendered = (key: string, values?: Record<string, string | number>) => i18n._(key, values);

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The keys written in core's, shared's and main's code (and waitText's `…Seconds`, `…Minutes`). */
function keysInCode(): Set<string> {
  const keys = new Set<string>();
  const dirs = ['src/core', 'src/shared', 'src/main'].map((d) => join(ROOT, d));
  for (const file of dirs.flatMap(sources)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'(errors\.[A-Za-z.]+)'/g)) {
      keys.add(m[1]!);
      // waitText's base key also names its `…Seconds` and `…Minutes` variants.
      if (/\$\{base\}Seconds/.test(text) && m[1]!.startsWith('errors.rate.'))
        for (const suffix of ['Seconds', 'Minutes']) keys.add(`${m[1]}${suffix}`);
    }
  }
  return keys;
}

/** Sample values for a message's placeholders (each plural's and select's arms in turn). */
function samples(message: string): Record<string, string | number>[] {
  const names = [...message.matchAll(/\{(\w+)(?:,\s*(\w+))?/g)].map((m) => [m[1]!, m[2]] as const);
  const base: Record<string, string | number> = {};
  for (const [name, type] of names) if (!type) base[name] = `<${name}>`;
  const variants: Record<string, string | number>[] = [base];
  for (const [name, type] of names) {
    if (type === 'plural')
      variants.push(...[0, 1, 2, 5, 1000].map((n) => ({ ...base, [name]: n })));
    if (type === 'select')
      variants.push(...['user', 'managed', 'other'].map((v) => ({ ...base, [name]: v })));
  }
  return variants;
}

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
const ctx = (kind: ConnectionKind, operation: Operation): ErrorContext => ({
  kind,
  operation,
  tenant: 'acme.auth0.com',
  connection: 'Username-Password-Authentication',
});

/** Representative errors built by the real code: every kind of sentence core sends. */
function representativeErrors(): SignInError[] {
  const kinds: ConnectionKind[] = ['database', 'ad', 'sms'];
  const ops: Operation[] = ['signin', 'refresh', 'sms_start', 'signup', 'reset'];
  const answers: [number, Record<string, unknown> | string, Record<string, string>?][] = [
    [401, { error: 'invalid_user_password', error_description: 'Wrong email or password.' }],
    [403, { error: 'invalid_grant', error_description: 'Wrong email or password.' }],
    [403, { error: 'invalid_grant', error_description: 'Invalid otp_code.' }],
    [403, { error: 'invalid_grant', error_description: 'unknown refresh token' }],
    [401, { error: 'unauthorized', error_description: 'user is blocked', ldap_status: '533' }],
    [401, { error: 'unauthorized', error_description: 'user is blocked', ldap_status: '701' }],
    [401, { error: 'unauthorized', error_description: 'user is blocked' }],
    [401, { error: 'unauthorized', error_description: '' }],
    [429, { error: 'too_many_attempts', error_description: 'blocked', ldap_status: '775' }],
    [429, { error: 'too_many_attempts', error_description: 'blocked' }, { 'retry-after': '30' }],
    [429, { error: 'too_many_attempts', error_description: 'blocked' }, { 'retry-after': '600' }],
    [429, { error: 'too_many_requests' }],
    [429, { error: 'too_many_requests' }, { 'retry-after': '12' }],
    [403, { error: 'password_leaked' }],
    [403, { error: 'password_change_required' }],
    [403, { error: 'a0.mfa_required' }],
    [403, { error: 'a0.mfa_registration_required' }],
    [403, { error: 'a0.mfa_invalid_code' }],
    [403, { error: 'unauthorized_client', error_description: 'Grant type password not allowed' }],
    [403, { error: 'unauthorized_client', error_description: 'no' }],
    [401, { error: 'access_denied' }],
    [400, { error: 'invalid_request', error_description: 'the connection was not found' }],
    [400, { error: 'invalid_request', error_description: 'the connection was disabled' }],
    [400, { error: 'invalid_request', error_description: 'not OIDC conformant' }],
    [400, { error: 'invalid_request', error_description: 'does not support requested operation' }],
    [400, { error: 'invalid_request', error_description: 'missing username' }],
    [400, { error: 'bad.phone_number' }],
    [400, { error: 'bad.connection', error_description: 'no sms' }],
    [400, { error: 'bad.client_id' }],
    [400, { error: 'bad.request', error_description: 'odd' }],
    [400, { error: 'sms_provider_error', error_description: 'Twilio said no' }],
    [400, { code: 'user_exists' }],
    [400, { code: 'username_exists' }],
    [400, { code: 'invalid_signup' }],
    [400, { code: 'invalid_password', description: 'line one\nline two' }],
    [400, { code: 'operation_not_allowed' }],
    [400, { error: 'a_rule_of_its_own' }],
    [500, { error: 'server_error' }],
    [502, '<html>Bad gateway</html>', { 'content-type': 'text/html' }],
    [302, '', { location: 'https://elsewhere' }],
    [429, '', {}],
    [400, { nothing: true }],
  ];
  const out: SignInError[] = [];
  for (const kind of kinds)
    for (const op of ops)
      for (const [status, body, headers] of answers)
        out.push(serverError(res(status, body, headers), ctx(kind, op)));
  const url = new URL('https://acme.auth0.com/oauth/ro');
  for (const code of [
    'ENOTFOUND',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'ECONNREFUSED',
    'ECONNRESET',
    'CERT_HAS_EXPIRED',
    'EWHATEVER',
  ])
    out.push(networkError(Object.assign(new Error('x'), { code }), url));
  out.push(networkError(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), url));
  out.push(cancelled(), internal(new Error('bug')), notSignedIn());
  out.push(configInvalid('tenant', errorText('errors.config.noTenant', {}, 'errors.hint.tenant')));
  out.push(...Object.values(NEEDS_GESTURE));
  return out;
}

describe('error sentences (src/shared/error-text.en.json)', () => {
  it('every key core, shared and main code emit is in the English source, and every sentence there is emitted', () => {
    const inCode = keysInCode();
    expect([...inCode].filter((k) => !isErrorTextKey(k))).toEqual([]);
    const sentences = Object.keys(english).filter((k) => !k.startsWith('errors.banner.'));
    expect(sentences.filter((k) => !inCode.has(k))).toEqual([]);
  });

  it("core's English rendering of every sentence, from its ICU text or the window's compiled form, is Lingui's", () => {
    for (const [key, message] of Object.entries(english))
      for (const values of samples(message)) {
        expect(formatStored(message, values), key).toBe(rendered(key, values));
        expect(formatStored(compiled[key]!, values), key).toBe(rendered(key, values));
      }
  });

  it('each real error carries its key and values, and its message and hint are their English rendering', () => {
    const errors = representativeErrors();
    const keys = new Set<string>();
    for (const e of errors) {
      // A weak password's rules: checked below.
      if (!e.i18n || e.detail?.rules) continue;
      const { key, hintKey, values } = e.i18n;
      keys.add(key);
      expect(isErrorTextKey(key), key).toBe(true);
      expect(e.message, key).toBe(rendered(key, values));
      if (hintKey) expect(e.hint, hintKey).toBe(rendered(hintKey, values));
      for (const v of Object.values(values ?? {}))
        expect(typeof v === 'string' || typeof v === 'number').toBe(true);
    }
    // Only the tenant's own words (a rule's message, a description) go without a key.
    expect(errors.filter((e) => !e.i18n).every((e) => e.description === e.message)).toBe(true);
    expect(keys.size).toBeGreaterThan(60);
  });

  it('the sentences stay word for word what the CLI printed before', () => {
    const url = new URL('https://acme.auth0.com/oauth/ro');
    const wrong = serverError(
      res(401, { error: 'invalid_user_password', error_description: 'Wrong email or password.' }),
      ctx('database', 'signin'),
    );
    expect(wrong.message).toBe('The email or password is incorrect.');
    expect(wrong.i18n).toEqual({ key: 'errors.tenant.wrongPassword' });
    const dns = networkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), url);
    expect(dns.message).toBe(
      "The tenant's address (acme.auth0.com) could not be found. Check the tenant name and your network.",
    );
    expect(dns.i18n).toEqual({
      key: 'errors.network.dnsFailed',
      values: { host: 'acme.auth0.com' },
    });
    const busy = serverError(
      res(429, { error: 'too_many_requests' }, { 'retry-after': '600' }),
      ctx('database', 'signin'),
    );
    expect(busy.message).toBe(
      'The tenant is receiving too many requests. Try again in about 10 min.',
    );
    expect(busy.i18n).toEqual({ key: 'errors.rate.busyMinutes', values: { minutes: 10 } });
    const tls = networkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), url);
    expect([tls.message, tls.hint]).toEqual([
      'The secure connection to the tenant could not be trusted. If your organisation inspects TLS, set its CA file in Settings.',
      'Settings → CA file',
    ]);
    expect(englishText('errors.config.locked', { fields: 'tenant', count: 1 })).toBe(
      'tenant is set by your organisation and cannot be changed here.',
    );
    expect(englishText('errors.config.locked', { fields: 'tenant, clientId', count: 2 })).toBe(
      'tenant, clientId are set by your organisation and cannot be changed here.',
    );
    expect(cancelled()).toEqual({
      code: 'cancelled',
      message: 'Cancelled.',
      i18n: { key: 'errors.cancelled' },
    });
  });

  it('a weak password lists its unmet rules in English for the CLI; the window says it without them (it lists them translated)', () => {
    const weak = serverError(
      res(400, {
        name: 'PasswordStrengthError',
        code: 'invalid_password',
        description: {
          rules: [
            {
              message: 'At least %d characters in length',
              format: [8],
              code: 'lengthAtLeast',
              verified: false,
            },
            { message: 'Non-empty password required', code: 'nonEmpty', verified: true },
          ],
          verified: false,
        },
      }),
      ctx('database', 'signup'),
    );
    expect(weak.message).toBe('This password is too weak: at least 8 characters in length.');
    expect(weak.i18n).toEqual({ key: 'errors.tenant.passwordPolicy' });
    expect(rendered(weak.i18n!.key)).toBe(
      'This password is too weak for this connection’s password policy.',
    );
    expect(weak.detail?.rules).toHaveLength(2);
  });

  it("a tenant's own sentence is shown as sent, without a key to translate", () => {
    const rule = serverError(
      res(401, {
        error: 'unauthorized',
        error_description: 'Your badge has expired, see reception',
      }),
      ctx('database', 'signin'),
    );
    expect(rule.message).toBe('Your badge has expired, see reception');
    expect(rule.i18n).toBeUndefined();
  });

  it("branding's problems and colour adjustments carry their keys, and their English is the key's rendering, word for word", async () => {
    const notes: BrandingNote[] = [
      ...checkBranding({ name: '', logo: 'logo.png', primaryColor: 'blue', colour: 1 }).problems,
      ...checkBranding('Acme').problems,
      ...brandColors('#ffd700').adjustments,
      ...brandColors('#000').adjustments,
    ];
    const missing = await readLogo('/nonexistent/acme-logo.png');
    if ('problem' in missing) notes.push({ message: missing.problem, i18n: missing.i18n });
    expect(notes).toHaveLength(8);
    for (const n of notes) {
      expect(isErrorTextKey(n.i18n!.key), n.message).toBe(true);
      expect(n.message).toBe(rendered(n.i18n!.key, n.i18n!.values));
    }
    expect(notes.map((n) => n.message).slice(0, 5)).toEqual([
      'is not a branding field (name, logo, primaryColor)',
      'must not be empty',
      'must be an absolute path',
      'must be a CSS hex colour such as #1d5bb8 or #15b',
      'must be an object with name, logo and primaryColor',
    ]);
    expect(notes[5]!.message).toMatch(
      /^#ffd700 was darkened to #[0-9a-f]{6} in the light theme for contrast: its text \d+(\.\d+)?:1 \(WCAG AA needs 4\.5:1\), against the page \d+(\.\d+)?:1 \(needs 3:1\)\.$/,
    );
    expect(notes[6]!.message).toMatch(/^#000000 was lightened to #[0-9a-f]{6} in the dark theme/);
    expect(notes[7]!.message).toBe('/nonexistent/acme-logo.png does not exist');
  });

  it("the tenant check's step lines carry their keys, and their English is the key's rendering", async () => {
    // A loopback tenant whose discovery names the wrong issuer and whose clock is 5 min ahead (this computer's is behind).
    const server = createServer((req, res) => {
      res.setHeader('date', new Date(Date.now() + 300_000).toUTCString());
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        res.end(JSON.stringify({ issuer: 'https://elsewhere.example/' }));
      else if (req.url === '/.well-known/jwks.json')
        res.end(JSON.stringify({ keys: [{ kid: 'k1', kty: 'RSA', alg: 'RS256' }] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const report = await checkTenant(new URL(`http://127.0.0.1:${port}/`), new HttpClient());
      const keys = report.steps.map((s) => s.summaryI18n?.key);
      expect(keys).toEqual([
        'errors.check.ipAddress',
        'errors.check.connected',
        'errors.check.plainHttp',
        'errors.check.wrongIssuer',
        'errors.check.keys',
        'errors.check.clockBehind',
      ]);
      for (const s of report.steps) {
        expect(isErrorTextKey(s.summaryI18n!.key)).toBe(true);
        expect(s.summary).toBe(rendered(s.summaryI18n!.key, s.summaryI18n!.values));
      }
      expect(report.steps[4]!.summary).toBe('1 key: k1 (RS256)');
      expect(report.steps[5]!.summary).toMatch(
        /^this computer's clock is \d+ s behind the tenant: tokens will fail verification$/,
      );
    } finally {
      server.close();
    }
  });

  it("the signature badge's reasons carry their keys, and their English is the key's rendering", async () => {
    const verifier = new TokenVerifier(new HttpClient());
    const jwt = (header: object, payload: object) =>
      [header, payload].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') +
      '.c2ln';
    const o = { issuer: 'https://acme.auth0.com/', audience: 'client-1' };
    const now = Math.floor(Date.now() / 1000);
    const good = { iss: o.issuer, aud: o.audience, sub: 'u', iat: now, exp: now + 600 };
    const cases: [string, string][] = [
      ['not.a.jwt', 'errors.verify.malformed'],
      [jwt({ alg: 'none' }, good), 'errors.verify.unsigned'],
      [jwt({ alg: 'HS256' }, good), 'errors.verify.clientSecret'],
      [jwt({ alg: 'HS256' }, { ...good, iss: 'https://evil/' }), 'errors.verify.wrongIssuer'],
      [jwt({ alg: 'HS256' }, { ...good, aud: 'other' }), 'errors.verify.wrongAudience'],
      [jwt({ alg: 'HS256' }, { ...good, exp: now - 3600 }), 'errors.verify.expiredAt'],
      [jwt({ alg: 'HS256' }, { ...good, iat: now + 3600 }), 'errors.verify.issuedInFuture'],
      [jwt({ alg: 'ES512' }, good), 'errors.verify.unexpectedAlg'],
    ];
    for (const [token, key] of cases) {
      const { verification: v } = await verifier.verify(token, o);
      expect(v.reasonI18n?.key, key).toBe(key);
      expect(v.reason).toBe(rendered(key, v.reasonI18n!.values));
    }
    const { verification: hs } = await verifier.verify(jwt({ alg: 'HS256' }, good), o);
    expect(hs.reason).toBe(
      'Signed with HS256 using the client secret, which a desktop app does not have: the signature cannot be checked here.',
    );
  });
});

describe('a sentence inside a sentence', () => {
  it('a failed check’s reason travels with its own key, so the window translates both', async () => {
    const { tokenInvalid } = await import('../../src/core/session/verified-session.js');
    const reason = errorText('errors.verify.malformed');
    const e = tokenInvalid({
      status: 'failed',
      alg: 'RS256',
      kid: null,
      reason: reason.message,
      reasonI18n: reason.i18n,
    });
    // The CLI reads one English sentence with the reason in it, as before.
    expect(e.message).toContain(reason.message);
    expect(e.i18n?.key).toBe('errors.response.tokenInvalid');
    expect(e.i18n?.sentences?.reason).toEqual({ key: reason.i18n.key });
  });
});
