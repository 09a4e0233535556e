/**
 * Database sign-up and password reset over real HTTP (spec §7): `/dbconnections/signup` (every
 * success and error body string for string, Auth0's five password policies against
 * password-sheriff's own `missing()`/`toString()`, `requires_username`, sign-up disabled,
 * enumeration hiding, `user_metadata` limits and attacks, the per-IP limit),
 * `/dbconnections/change_password` (one answer for every address, the email in the outbox, its
 * limits), and the tenant's reset page (`/lo/reset`: headers, escaping, the policy enforced, a
 * one-time ticket that expires; a reset unblocks brute force and revokes refresh tokens).
 */
import createPolicy from 'password-sheriff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERNAME_RULE } from '../../src/shared/signup-rules';
import { PASSWORD_TOO_LONG } from '../../src/shared/signup-rules';
import { demoConfig } from '../../src/tenant/config';
import { ADA } from '../fixtures/demo';
import { startSmsGateway } from '../fixtures/sms-gateway';
import {
  configRefusal,
  getFrom,
  postTo,
  roBody,
  startTestTenant,
  type TestTenant,
} from '../fixtures/tenant';

const DB = 'Username-Password-Authentication';
const POLICIES = ['none', 'low', 'fair', 'good', 'excellent'] as const;
/** A weak and a strong password of each policy (`none` takes any non-empty one). */
const PASSWORDS: Record<(typeof POLICIES)[number], { weak?: string; strong: string }> = {
  none: { strong: 'x' },
  low: { weak: 'abc12', strong: 'abcdef' },
  fair: { weak: 'abcdefgh1', strong: 'Abcdefgh1' },
  good: { weak: 'abcdefgh', strong: 'abcdefg1!' },
  excellent: { weak: 'Abcdefff1!', strong: 'Abcdefgh1!' },
};
const STRONG = 'Correct-Horse-9';

let t: TestTenant;
let seq = 0;
const nextEmail = (tag = 'user') => `${tag}.${++seq}@signup.test`;

beforeAll(async () => {
  t = await startTestTenant({
    corpLdap: false,
    limits: { signupsPerIp: 1000 },
    email: { resetsPerEmail: 100, resetsPerIp: 1000 },
    clients: [
      {
        client_id: 'db-only-client',
        name: 'only the demo database',
        connections: [DB],
      },
    ],
    connections: [
      ...POLICIES.map((policy) => ({
        type: 'database' as const,
        name: `db-${policy}`,
        passwordPolicy: policy,
        bcryptCost: 4,
      })),
      { type: 'database', name: 'db-username', requires_username: true, bcryptCost: 4 },
      { type: 'database', name: 'db-closed', disableSignup: true, bcryptCost: 4 },
      { type: 'database', name: 'db-off', enabled: false, bcryptCost: 4 },
    ],
  });
});
afterAll(() => t?.close());

const signup = (body: Record<string, unknown>, opts: { form?: boolean; url?: string } = {}) =>
  postTo(opts.url ?? t.url, '/dbconnections/signup', body, { form: opts.form });
const signupBody = (extra: Record<string, unknown> = {}) => ({
  client_id: 'signet-demo',
  connection: DB,
  email: nextEmail(),
  password: STRONG,
  ...extra,
});
const changePassword = (body: Record<string, unknown>, url = t.url) =>
  postTo(url, '/dbconnections/change_password', body);
const resetBody = (email: string, extra: Record<string, unknown> = {}) => ({
  client_id: 'signet-demo',
  connection: DB,
  email,
  ...extra,
});
const badRequest = (code: string, description: string) => ({
  name: 'BadRequestError',
  code,
  description,
  statusCode: 400,
});

describe('POST /dbconnections/signup', () => {
  it('creates the user and answers {_id, email_verified: false, email} (JSON and form bodies)', async () => {
    for (const form of [false, true]) {
      const body = signupBody({
        given_name: 'Grace',
        family_name: 'Hopper',
        name: 'Grace Hopper',
        nickname: 'amazing',
        picture: 'https://example.com/grace.png',
        user_metadata: { team: 'compilers' },
      });
      const res = await signup(body, { form });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['_id', 'email', 'email_verified']);
      expect(res.body).toEqual({
        _id: expect.stringMatching(/^[0-9a-f]{24}$/),
        email_verified: false,
        email: body.email,
      });
      const user = t.tenant.db.findById(`auth0|${res.body._id}`)!;
      expect(user).toMatchObject({
        email: body.email,
        email_verified: false,
        given_name: 'Grace',
        family_name: 'Hopper',
        name: 'Grace Hopper',
        nickname: 'amazing',
        picture: 'https://example.com/grace.png',
        user_metadata: { team: 'compilers' },
      });
      // The account signs in with the password it was created with.
      const ro = await postTo(t.url, '/oauth/ro', roBody(DB, body.email, STRONG));
      expect(ro.status).toBe(200);
    }
  });

  it('answers user_exists for a taken email, whatever its case', async () => {
    const body = signupBody();
    expect((await signup(body)).status).toBe(200);
    const again = await signup({ ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(badRequest('user_exists', 'The user already exists.'));
    // The demo's own user too.
    expect((await signup(signupBody({ email: ADA.username }))).body).toEqual(
      badRequest('user_exists', 'The user already exists.'),
    );
  });

  for (const policy of POLICIES) {
    it(`policy ${policy}: the weak password gets password-sheriff's own description and policy`, async () => {
      const { weak, strong } = PASSWORDS[policy];
      const sheriff = createPolicy(policy);
      expect(sheriff.check(strong)).toBe(true);
      if (weak !== undefined) {
        expect(sheriff.check(weak)).toBe(false);
        const res = await signup(signupBody({ connection: `db-${policy}`, password: weak }));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          name: 'PasswordStrengthError',
          message: 'Password is too weak',
          code: 'invalid_password',
          description: sheriff.missing(weak),
          policy: sheriff.toString(),
          statusCode: 400,
        });
      } else {
        // `none` takes any password but an empty one, which is a missing password.
        const res = await signup(signupBody({ connection: `db-${policy}`, password: '' }));
        expect(res.body).toEqual(badRequest('invalid_body', 'Missing required property: password'));
      }
      const ok = await signup(signupBody({ connection: `db-${policy}`, password: strong }));
      expect(ok.status).toBe(200);
    });
  }

  it('the spec’s own example: good policy, 8 characters of one kind', async () => {
    const res = await signup(signupBody({ password: 'aaaaaaaa' }));
    expect(res.body.policy).toBe(
      '* At least 8 characters in length\n* Contain at least 3 of the following 4 types of characters:\n * lower case letters (a-z)\n * upper case letters (A-Z)\n * numbers (i.e. 0-9)\n * special characters (e.g. !@#$%^&*)',
    );
    expect(res.body.description.rules[0]).toEqual({
      message: 'At least %d characters in length',
      format: [8],
      code: 'lengthAtLeast',
      verified: true,
    });
  });

  it('refuses a password over 72 bytes (bcrypt would cut it)', async () => {
    const res = await signup(signupBody({ password: `Aa1!${'é'.repeat(35)}` }));
    expect(res.body).toEqual(badRequest('invalid_password', PASSWORD_TOO_LONG));
  });

  it('requires_username: the username is required, follows the rule, and is unique', async () => {
    const base = { connection: 'db-username' };
    expect((await signup(signupBody(base))).body).toEqual(
      badRequest('invalid_body', 'Missing required property: username'),
    );
    for (const bad of ['a'.repeat(16), 'has space', 'semi;colon', '<script>']) {
      const res = await signup(signupBody({ ...base, username: bad }));
      expect(res.body).toEqual(badRequest('invalid_body', USERNAME_RULE.text));
    }
    const ok = await signup(signupBody({ ...base, username: "j.doe+1_!#$'^`~@".slice(0, 15) }));
    expect(ok.status).toBe(200);
    const email = nextEmail();
    const res = await signup(signupBody({ ...base, email, username: 'johndoe' }));
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email_verified: false,
      email,
      username: 'johndoe',
    });
    expect((await signup(signupBody({ ...base, username: 'JohnDoe' }))).body).toEqual(
      badRequest('username_exists', 'The username already exists.'),
    );
    // The username signs in too.
    expect(
      (await postTo(t.url, '/oauth/ro', roBody('db-username', 'johndoe', STRONG))).status,
    ).toBe(200);
    // Where the connection takes no username, sending one is refused.
    expect((await signup(signupBody({ username: 'johndoe' }))).body).toEqual(
      badRequest('invalid_body', 'username is not allowed: this connection does not use usernames'),
    );
  });

  it('a connection with sign-up disabled answers 403 operation_not_allowed', async () => {
    const res = await signup(signupBody({ connection: 'db-closed' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      name: 'ForbiddenError',
      code: 'operation_not_allowed',
      description: 'Signups are not allowed for this connection.',
      statusCode: 403,
    });
  });

  it('refuses unknown clients and connections the client may not use, and non-database ones', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ client_id: undefined }, 'bad.client_id', 'Missing required property: client_id'],
      [{ client_id: 'nobody' }, 'bad.client_id', 'Unknown client'],
      [{ connection: undefined }, 'bad.connection', 'Missing required property: connection'],
      [{ connection: 'nope' }, 'bad.connection', 'Connection does not exist'],
      [{ connection: 'db-off' }, 'bad.connection', 'Connection is disabled'],
      [
        { client_id: 'db-only-client', connection: 'db-good' },
        'bad.connection',
        'Connection is disabled',
      ],
      [
        { connection: 'sms' },
        'bad.connection',
        'Invalid connection strategy. It must be a database connection',
      ],
      [{ email: undefined }, 'invalid_body', 'Missing required property: email'],
      [{ email: 'not-an-email' }, 'invalid_body', 'email is not a valid email address'],
      [
        { email: '<script>alert(1)</script>@x.test' },
        'invalid_body',
        'email is not a valid email address',
      ],
      [{ email: 'a\u0000b@x.test' }, 'invalid_body', 'email is not a valid email address'],
      [{ email: 42 }, 'invalid_body', 'Expected type string but found type number for email'],
      [{ password: undefined }, 'invalid_body', 'Missing required property: password'],
      [{ name: 'Eve\u001b[31m' }, 'invalid_body', 'name must not hold control characters'],
      [{ nickname: 'a\u202eb' }, 'invalid_body', 'nickname must not hold control characters'],
      [{ name: 'n'.repeat(301) }, 'invalid_body', 'name has at most 300 characters'],
      [{ picture: 'javascript:alert(1)' }, 'invalid_body', 'picture must be an http or https URL'],
    ];
    for (const [change, code, description] of cases) {
      const res = await signup(signupBody(change));
      expect(res.body, JSON.stringify(change)).toEqual(badRequest(code, description));
    }
  });

  it('user_metadata: at most 10 string properties, names ≤ 100, values ≤ 500 characters', async () => {
    const props = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect((await signup(signupBody({ user_metadata: props(10) }))).status).toBe(200);
    expect(
      (await signup(signupBody({ user_metadata: { ['n'.repeat(100)]: 'v'.repeat(500) } }))).status,
    ).toBe(200);
    const refusals: Array<[unknown, string]> = [
      [props(11), 'user_metadata has at most 10 properties'],
      [{ ['n'.repeat(101)]: 'v' }, 'user_metadata property names have 1 to 100 characters'],
      [{ k: 'v'.repeat(501) }, 'user_metadata values have at most 500 characters'],
      [{ k: 1 }, 'user_metadata values must be strings'],
      [{ k: { nested: 'object' } }, 'user_metadata values must be strings'],
      [['a'], 'user_metadata must be an object of string properties'],
      ['not json', 'user_metadata must be an object of string properties'],
      [
        '{"constructor":"x"}',
        'user_metadata property names must not be __proto__, constructor or prototype',
      ],
    ];
    for (const [metadata, description] of refusals) {
      const res = await signup(signupBody({ user_metadata: metadata }));
      expect(res.body, description).toEqual(badRequest('invalid_body', description));
    }
  });

  it('a __proto__ key is refused (JSON body, and JSON text in a form) and pollutes nothing', async () => {
    const email = nextEmail();
    const raw = `{"client_id":"signet-demo","connection":"${DB}","email":"${email}","password":"${STRONG}","user_metadata":{"__proto__":{"polluted":"yes"}}}`;
    const res = await postTo(t.url, '/dbconnections/signup', raw);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ name: 'BadRequestError', statusCode: 400 });
    const form = await signup(signupBody({ user_metadata: '{"__proto__":{"polluted":"yes"}}' }), {
      form: true,
    });
    expect(form.body).toEqual(
      badRequest(
        'invalid_body',
        'user_metadata property names must not be __proto__, constructor or prototype',
      ),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(t.tenant.db.findByEmail(DB, email)).toBeUndefined();
  });

  it('answers a malformed body and a foreign Origin in the same {name, code, description} shape', async () => {
    const res = await postTo(t.url, '/dbconnections/signup', '{"client_id":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ name: 'BadRequestError', code: 'invalid_request' });
    expect(res.body.description).toMatch(/^Malformed JSON body/);
    const foreign = await postTo(t.url, '/dbconnections/signup', signupBody(), {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.body).toEqual({
      name: 'ForbiddenError',
      code: 'access_denied',
      description: 'Origin https://evil.example is not allowed',
      statusCode: 403,
    });
  });
});

describe('POST /dbconnections/signup on a tenant that hides enumeration', () => {
  it('answers invalid_signup "Invalid sign up" for a taken email or username', async () => {
    const hidden = await startTestTenant({
      corpLdap: false,
      preventSignupEnumeration: true,
      connections: [
        { type: 'database', name: 'db-username', requires_username: true, bcryptCost: 4 },
      ],
    });
    try {
      const res = await signup(signupBody({ email: ADA.username }), { url: hidden.url });
      expect(res.body).toEqual(badRequest('invalid_signup', 'Invalid sign up'));
      const first = signupBody({ connection: 'db-username', username: 'taken' });
      expect((await signup(first, { url: hidden.url })).status).toBe(200);
      const second = signupBody({ connection: 'db-username', username: 'taken' });
      expect((await signup(second, { url: hidden.url })).body).toEqual(
        badRequest('invalid_signup', 'Invalid sign up'),
      );
    } finally {
      await hidden.close();
    }
  });
});

describe('POST /dbconnections/change_password', () => {
  const SENT = "We've just sent you an email to reset your password.";

  it('answers the same JSON string for a real and an unknown address; only the real one gets an email', async () => {
    const email = nextEmail('reset');
    expect((await signup(signupBody({ email }))).status).toBe(200);
    const real = await changePassword(resetBody(email.toUpperCase()));
    const unknown = await changePassword(resetBody(nextEmail('nobody')));
    for (const res of [real, unknown]) {
      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(SENT));
      expect(res.body).toBe(SENT);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const [mail, ...older] = await t.emails(email);
    expect(older).toEqual([]);
    expect(mail).toMatchObject({ recipient: email, subject: 'Reset your password' });
    expect(mail!.link).toMatch(new RegExp(`^${t.issuer}lo/reset\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(mail!.body).toContain(mail!.link);
    expect(await t.emails('nobody@signup.test')).toEqual([]);
    // The ticket is stored hashed: the SQLite file does not hold it.
    const ticket = new URL(mail!.link).searchParams.get('ticket')!;
    const rows = t.tenant.db.db.prepare('SELECT ticket_hash FROM reset_tickets').all() as Array<{
      ticket_hash: string;
    }>;
    expect(rows.some((r) => r.ticket_hash.includes(ticket))).toBe(false);
  });

  it('refuses a missing or bad email, and a connection that is not a database', async () => {
    expect((await changePassword(resetBody(''))).body).toEqual(
      badRequest('invalid_body', 'Missing required property: email'),
    );
    expect((await changePassword(resetBody('<b>@'))).body).toEqual(
      badRequest('invalid_body', 'email is not a valid email address'),
    );
    expect((await changePassword(resetBody(ADA.username, { connection: 'sms' }))).body).toEqual(
      badRequest('bad.connection', 'Invalid connection strategy. It must be a database connection'),
    );
  });

  it('keeps ?phone= of the outbox working beside ?email=', async () => {
    const phone = '+14155550199';
    await postTo(t.url, '/passwordless/start', {
      client_id: 'signet-demo',
      connection: 'sms',
      phone_number: phone,
    });
    const [sms] = await t.outbox(phone);
    expect(sms!.code).toMatch(/^\d{6}$/);
    // Without the key the emails are not served either.
    const res = await getFrom(t.url, `/__outbox?email=${encodeURIComponent(ADA.username)}`);
    expect(res.status).toBe(403);
  });
});

describe('limits', () => {
  it('sign-ups per IP: beyond the limit 429 too_many_requests with Retry-After, nothing created', async () => {
    const limited = await startTestTenant({ corpLdap: false, limits: { signupsPerIp: 3 } });
    try {
      for (let i = 0; i < 3; i++) {
        // Refused ones count too: probing for taken addresses costs the same.
        const body = i === 0 ? signupBody({ email: ADA.username }) : signupBody();
        await signup(body, { url: limited.url });
      }
      const email = nextEmail();
      const res = await signup(signupBody({ email }), { url: limited.url });
      expect(res.status).toBe(429);
      expect(res.body).toEqual({
        name: 'TooManyRequestsError',
        code: 'too_many_requests',
        description: expect.stringMatching(
          /^Too many sign-ups from this address\. Retry in \d+ s\.$/,
        ),
        statusCode: 429,
      });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(limited.tenant.db.findByEmail(DB, email)).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('change_password per address and per IP, the same for unknown addresses', async () => {
    const limited = await startTestTenant({
      corpLdap: false,
      email: { resetsPerEmail: 2, resetsPerIp: 5 },
    });
    try {
      const statuses = async (email: string, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++)
          out.push((await changePassword(resetBody(email), limited.url)).status);
        return out;
      };
      expect(await statuses(ADA.username, 3)).toEqual([200, 200, 429]);
      expect(await statuses('nobody@signup.test', 3)).toEqual([200, 200, 429]);
      expect((await limited.emails(ADA.username)).length).toBe(2);
      // 4 counted from this address so far (the refused ones were not): one more, then 429.
      expect(await statuses('third@signup.test', 2)).toEqual([200, 429]);
      const res = await changePassword(resetBody('fourth@signup.test'), limited.url);
      expect(res.body).toEqual({
        name: 'TooManyRequestsError',
        code: 'too_many_requests',
        description: expect.stringMatching(
          /^Too many password reset requests for this email address or from this address\. Retry in \d+ s\.$/,
        ),
        statusCode: 429,
      });
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

// ———————————————————————————————————————— the reset page (`{issuer}lo/reset?ticket=…`)

const CSP_PARTS = [
  "default-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
];

/** Signs up a fresh user on the demo database and sends its reset email; answers the link. */
async function userWithResetLink(tenant: TestTenant = t, password = STRONG) {
  const email = nextEmail('resetme');
  const res = await signup(signupBody({ email, password }), { url: tenant.url });
  expect(res.status).toBe(200);
  expect((await changePassword(resetBody(email), tenant.url)).status).toBe(200);
  const [mail] = await tenant.emails(email);
  const link = new URL(mail!.link);
  return { email, link, ticket: link.searchParams.get('ticket')!, userId: `auth0|${res.body._id}` };
}

/** POSTs the reset form as a browser would (form body; Origin `null` under no-referrer). */
const submitReset = (
  tenant: TestTenant,
  fields: { ticket: string; newPassword?: string; confirmNewPassword?: string },
) => postTo(tenant.url, '/lo/reset', fields, { form: true, headers: { origin: 'null' } });

const NEW_PASSWORD = 'Brand-New-Secret-7';

function expectPageHeaders(res: { headers: Headers }) {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy') ?? '';
  for (const part of CSP_PARTS) expect(csp).toContain(part);
  expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
  expect(csp).not.toMatch(/unsafe-inline|script-src/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('the reset page', () => {
  it('GET shows a form for the account with the policy, under a strict CSP, never cached', async () => {
    const { email, link, ticket } = await userWithResetLink();
    expect(link.pathname).toBe('/lo/reset');
    const res = await getFrom(t.url, `${link.pathname}${link.search}`);
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    expect(res.text).toContain(email);
    for (const line of createPolicy('good').toString().split('\n'))
      expect(res.text).toContain(line.replace(/^\s*\* /, '').replace('&', '&amp;'));
    expect(res.text).toMatch(/<form method="post" action="reset">/);
    expect(res.text).toContain(`<input type="hidden" name="ticket" value="${ticket}">`);
    expect(res.text).toMatch(/name="newPassword"/);
    expect(res.text).toMatch(/name="confirmNewPassword"/);
    expect(res.text).not.toMatch(/<script/i);
  });

  it('an unknown or missing ticket gets a plain 400 page that says nothing of any account', async () => {
    for (const path of ['/lo/reset?ticket=not-a-ticket', '/lo/reset']) {
      const res = await getFrom(t.url, path);
      expect(res.status).toBe(400);
      expectPageHeaders(res);
      expect(res.text).toContain('This link is not valid');
      expect(res.text).not.toContain('not-a-ticket');
      expect(res.text).not.toMatch(/<form/);
    }
  });

  it('POST refuses a weak password with the rules it misses, a mismatch, and one over 72 bytes; the ticket stays usable', async () => {
    const { ticket } = await userWithResetLink();
    const weak = await submitReset(t, {
      ticket,
      newPassword: 'aaaaaaaa',
      confirmNewPassword: 'aaaaaaaa',
    });
    expect(weak.status).toBe(400);
    expectPageHeaders(weak);
    expect(weak.text).toContain('Password is too weak');
    expect(weak.text).toMatch(
      /<li class="met">At least 8 characters in length <span class="state">\(met\)<\/span>/,
    );
    expect(weak.text).toMatch(
      /<li class="unmet">Contain at least 3 of the following 4 types of characters: <span class="state">\(not met\)<\/span>/,
    );
    expect(weak.text).not.toContain('aaaaaaaa');

    const mismatch = await submitReset(t, {
      ticket,
      newPassword: NEW_PASSWORD,
      confirmNewPassword: `${NEW_PASSWORD}x`,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The passwords do not match.');

    const long = `Aa1!${'é'.repeat(35)}`;
    const tooLong = await submitReset(t, { ticket, newPassword: long, confirmNewPassword: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(PASSWORD_TOO_LONG);
    expect(tooLong.text).not.toContain('bcrypt');

    const empty = await submitReset(t, { ticket });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the new password twice.');

    const ok = await submitReset(t, {
      ticket,
      newPassword: NEW_PASSWORD,
      confirmNewPassword: NEW_PASSWORD,
    });
    expect(ok.status).toBe(200);
  });

  it('success: the new password works, the old one is refused, the ticket is one-time, blocks end and refresh tokens die', async () => {
    const { email, ticket } = await userWithResetLink();
    const signIn = (password: string, extra: Record<string, unknown> = {}) =>
      postTo(t.url, '/oauth/ro', roBody(DB, email, password, extra));
    const first = await signIn(STRONG, { scope: 'openid offline_access', device: 'laptop' });
    expect(first.status).toBe(200);
    const refreshToken = first.body.refresh_token as string;
    expect(refreshToken).toBeTruthy();
    // Ten wrong passwords block the account from this address.
    for (let i = 0; i < 10; i++) expect((await signIn('wrong-password')).status).toBe(401);
    expect((await signIn(STRONG)).body.error).toBe('too_many_attempts');

    const ok = await submitReset(t, {
      ticket,
      newPassword: NEW_PASSWORD,
      confirmNewPassword: NEW_PASSWORD,
    });
    expect(ok.status).toBe(200);
    expectPageHeaders(ok);
    expect(ok.text).toContain('Your password has been changed.');
    expect(ok.text).not.toMatch(/<form/);

    expect((await signIn(STRONG)).body).toEqual({
      error: 'invalid_user_password',
      error_description: 'Wrong email or password.',
    });
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
    const refresh = await postTo(t.url, '/oauth/token', {
      grant_type: 'refresh_token',
      client_id: 'signet-demo',
      refresh_token: refreshToken,
    });
    expect(refresh.status).toBe(403);
    expect(refresh.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    });

    // The link is spent: GET and POST both refuse it, and nothing changes.
    expect((await getFrom(t.url, `/lo/reset?ticket=${ticket}`)).status).toBe(400);
    const again = await submitReset(t, {
      ticket,
      newPassword: 'Another-Secret-8',
      confirmNewPassword: 'Another-Secret-8',
    });
    expect(again.status).toBe(400);
    expect(again.text).toContain('This link is not valid');
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
  });

  it('a newer reset email retires the older link', async () => {
    const { email, ticket: older } = await userWithResetLink();
    expect((await changePassword(resetBody(email))).status).toBe(200);
    const [newest] = await t.emails(email);
    const newer = new URL(newest!.link).searchParams.get('ticket')!;
    expect(newer).not.toBe(older);
    expect((await getFrom(t.url, `/lo/reset?ticket=${older}`)).status).toBe(400);
    expect((await getFrom(t.url, `/lo/reset?ticket=${newer}`)).status).toBe(200);
  });

  it('an expired link is refused with 410, GET and POST, and sets nothing', async () => {
    let clock = Date.now();
    const timed = await startTestTenant({
      corpLdap: false,
      now: () => clock,
      email: { resetTicketSeconds: 60 },
    });
    try {
      const { email, ticket } = await userWithResetLink(timed);
      expect((await getFrom(timed.url, `/lo/reset?ticket=${ticket}`)).status).toBe(200);
      clock += 60_000;
      const page = await getFrom(timed.url, `/lo/reset?ticket=${ticket}`);
      expect(page.status).toBe(410);
      expectPageHeaders(page);
      expect(page.text).toContain('This link has expired');
      const post = await submitReset(timed, {
        ticket,
        newPassword: NEW_PASSWORD,
        confirmNewPassword: NEW_PASSWORD,
      });
      expect(post.status).toBe(410);
      const old = await postTo(timed.url, '/oauth/ro', roBody(DB, email, STRONG));
      expect(old.status).toBe(200);
    } finally {
      await timed.close();
    }
  });

  it('never reflects a hostile address unescaped', async () => {
    const hostile = `"<img src=x onerror=alert(1)>\u0007"@evil.test`;
    const user = await t.tenant.db.createUser(
      { connection: DB, email: hostile, password: STRONG },
      4,
    );
    const ticket = 'hostile-ticket-0123456789abcdefghijklmnopqrstu';
    t.tenant.db.issueResetTicket(ticket, user.user_id, Date.now() + 60_000, Date.now());
    const res = await getFrom(t.url, `/lo/reset?ticket=${ticket}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<img');
    expect(res.text).not.toContain('\u0007');
    expect(res.text).toContain('&quot;&lt;img src=x onerror=alert(1)&gt;&quot;@evil.test');
  });
});

describe('the email webhook provider', () => {
  it('POSTs {recipient, subject, body} with the link; a failing gateway changes nothing in the answer and is logged without the link', async () => {
    const received: Array<{ recipient: string; subject: string; body: string }> = [];
    let fail = false;
    const gateway = await startSmsGateway((body) => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      return fail
        ? { status: 500, body: `mailbox full: ${body}`, type: 'text/plain' }
        : { status: 202, body: '' };
    });
    const log: string[] = [];
    const hooked = await startTestTenant({
      corpLdap: false,
      email: { provider: { kind: 'webhook', url: gateway.url } },
      log: (line) => log.push(line),
    });
    try {
      const waitFor = async (n: number) => {
        for (let i = 0; i < 100 && received.length < n; i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(received.length).toBe(n);
      };
      const sent = await changePassword(resetBody(ADA.username), hooked.url);
      expect(sent.body).toBe("We've just sent you an email to reset your password.");
      await waitFor(1);
      expect(Object.keys(received[0]!).sort()).toEqual(['body', 'recipient', 'subject']);
      expect(received[0]).toMatchObject({
        recipient: ADA.username,
        subject: 'Reset your password',
      });
      const link = /http\S+lo\/reset\?ticket=\S+/.exec(received[0]!.body)![0];
      expect(
        (await getFrom(hooked.url, new URL(link).pathname + new URL(link).search)).status,
      ).toBe(200);
      // Nothing is kept in the outbox when a webhook delivers.
      expect(await hooked.emails(ADA.username)).toEqual([]);

      fail = true;
      const failed = await changePassword(resetBody(ADA.username), hooked.url);
      expect(failed.status).toBe(200);
      expect(failed.text).toBe(sent.text);
      await waitFor(2);
      const secondLink = /http\S+lo\/reset\?ticket=\S+/.exec(received[1]!.body)![0];
      for (let i = 0; i < 50 && !log.some((l) => l.includes('HTTP 500')); i++)
        await new Promise((r) => setTimeout(r, 20));
      const lines = log.filter((l) => l.startsWith('[email webhook]'));
      expect(lines.some((l) => l.includes('email gateway answered HTTP 500'))).toBe(true);
      expect(log.join('\n')).not.toContain(secondLink);
      expect(log.join('\n')).not.toContain(new URL(link).searchParams.get('ticket')!);
    } finally {
      await hooked.close();
      await gateway.close();
    }
  });

  it('a plain-http webhook to another host is refused at config parse', () => {
    const err = configRefusal({
      ...demoConfig(),
      email: { provider: { kind: 'webhook', url: 'http://mail.example.com/hook' } },
    });
    expect(err.issues).toEqual([
      'email.provider.url: plain http carries the reset links in clear: use https, or http only to localhost, 127.0.0.0/8 or ::1',
    ]);
  });
});

describe('reset races', () => {
  it('two submissions racing with one ticket: exactly one sets its password', async () => {
    const { email, ticket } = await userWithResetLink();
    const [a, b] = await Promise.all(
      ['Racer-Number-One-1', 'Racer-Number-Two-2'].map((pw) =>
        submitReset(t, { ticket, newPassword: pw, confirmNewPassword: pw }),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 400]);
    const winner = a!.status === 200 ? 'Racer-Number-One-1' : 'Racer-Number-Two-2';
    const loser = a!.status === 200 ? 'Racer-Number-Two-2' : 'Racer-Number-One-1';
    expect((await postTo(t.url, '/oauth/ro', roBody(DB, email, winner))).status).toBe(200);
    expect((await postTo(t.url, '/oauth/ro', roBody(DB, email, loser))).status).toBe(401);
  });
});
