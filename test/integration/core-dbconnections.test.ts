/**
 * Sign-up and password reset (spec §7) through core, over real HTTP: against the local tenant
 * (`/dbconnections/signup`, `/dbconnections/change_password`, its email outbox) every refusal
 * arrives with the tenant's code, the user's sentence and — for a weak password — the exact
 * rules the tenant refused; against a small loopback server, the answers no real tenant gives
 * on cue (a 200 of the wrong shape, a proxy's HTML page) are `bad_response`. The password
 * never appears in an attempt or an error.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure } from '../../src/core/index.js';
import type { SignInError } from '../../src/shared/errors.js';
import { checkPassword, explainPolicy } from '../../src/shared/password-policy.js';
import {
  PASSWORD_TOO_LONG,
  RESET_EMAIL_SENT,
  USERNAME_RULE,
} from '../../src/shared/signup-rules.js';
import { ADA } from '../fixtures/demo';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';

const DB = 'Username-Password-Authentication';
/** A database connection whose sign-up asks for a username too. */
const WITH_USERNAME = 'with-username';
/** A database connection with sign-up turned off. */
const NO_SIGNUP = 'no-signup';
/** A database connection with Auth0's strictest policy. */
const EXCELLENT = 'excellent-db';
/** Meets `good` (3 of 4 character types, 8+). */
const STRONG = 'Correct-Horse-9';

let t: TestTenant;
let core: SignetCore;
const at = () => ({ tenant: t.url, clientId: t.clientId });
/** An address no test used before. */
const fresh = (who = 'new') => `${who}.${randomBytes(4).toString('hex')}@signup.signet.test`;

const err = (p: Promise<unknown>): Promise<SignInError> =>
  p.then(
    () => {
      throw new Error('expected a SignInError');
    },
    (e: unknown) => {
      if (!(e instanceof SignInFailure)) throw e;
      return e.error;
    },
  );

beforeAll(async () => {
  t = await startTestTenant({
    connections: [
      { type: 'database', name: WITH_USERNAME, requires_username: true, bcryptCost: 4 },
      { type: 'database', name: NO_SIGNUP, disableSignup: true, bcryptCost: 4 },
      { type: 'database', name: EXCELLENT, passwordPolicy: 'excellent', bcryptCost: 4 },
    ],
  });
  core = new SignetCore({ settings: { scope: 'openid profile email' }, vault: null });
});
afterAll(async () => {
  await core?.close();
  await t?.close();
});

describe('sign-up against the local tenant', () => {
  it('signs up, then signs in with the same password', async () => {
    const email = fresh('ada2');
    const created = await core.signUp({ ...at(), connection: DB, email, password: STRONG });
    expect(created).toEqual({ email, emailVerified: false });
    const session = await core.signIn({
      ...at(),
      connection: DB,
      username: email,
      password: STRONG,
      keep: 'memory',
    });
    expect(session.verification.status).toBe('verified');
    expect(session.profile.email).toBe(email);
  });

  it('the same email again is user_exists, with the sentence that says what to do', async () => {
    const email = fresh('twice');
    await core.signUp({ ...at(), connection: DB, email, password: STRONG });
    const e = await err(core.signUp({ ...at(), connection: DB, email, password: STRONG }));
    expect(e).toMatchObject({
      code: 'user_exists',
      status: 400,
      description: 'The user already exists.',
      message:
        'An account with this email already exists. Sign in instead, or reset your password.',
    });
    // An existing demo user too (seeded, not signed up).
    expect(
      (await err(core.signUp({ ...at(), connection: DB, email: ADA.username, password: STRONG })))
        .code,
    ).toBe('user_exists');
  });

  it('a weak password is invalid_password with exactly the rules the tenant refused', async () => {
    const weak = 'abcdefgh';
    const e = await err(core.signUp({ ...at(), connection: DB, email: fresh(), password: weak }));
    expect(e.code).toBe('invalid_password');
    expect(e.status).toBe(400);
    expect(e.description).toBe(explainPolicy('good'));
    expect(e.detail?.rules).toEqual(checkPassword('good', weak).rules);
    expect(e.message).toMatch(/^This password is too weak: contain at least 3 of the following/);
    expect(e.message).not.toMatch(/characters in length/);
  });

  it("the connection's own policy decides (excellent: no three identical characters in a row)", async () => {
    const pw = 'Abcdefgh1!!!';
    expect(checkPassword('good', pw).verified).toBe(true);
    const e = await err(
      core.signUp({ ...at(), connection: EXCELLENT, email: fresh(), password: pw }),
    );
    expect(e.code).toBe('invalid_password');
    expect(e.detail?.rules).toEqual(checkPassword('excellent', pw).rules);
    expect(e.message).toMatch(/identical characters in a row/i);
  });

  it('a connection that requires a username: taken is username_exists', async () => {
    const username = `user${randomBytes(3).toString('hex')}`;
    const created = await core.signUp({
      ...at(),
      connection: WITH_USERNAME,
      email: fresh(),
      username,
      password: STRONG,
    });
    expect(created.username).toBe(username);
    const e = await err(
      core.signUp({
        ...at(),
        connection: WITH_USERNAME,
        email: fresh(),
        username,
        password: STRONG,
      }),
    );
    expect(e).toMatchObject({
      code: 'username_exists',
      status: 400,
      message: 'This username is already taken. Choose another one.',
    });
  });

  it('a tenant that hides enumeration answers invalid_signup, with its own sentence', async () => {
    const hiding = await startTestTenant({
      configure: (c) => ({ ...c, preventSignupEnumeration: true }),
    });
    try {
      const req = {
        tenant: hiding.url,
        clientId: hiding.clientId,
        connection: DB,
        email: ADA.username,
        password: STRONG,
      };
      expect(await err(core.signUp(req))).toMatchObject({
        code: 'invalid_signup',
        status: 400,
        description: 'Invalid sign up',
        message:
          'The account could not be created. If you already have one, sign in or reset your password.',
      });
    } finally {
      await hiding.close();
    }
  });

  it('sign-up turned off on the connection is operation_not_allowed (403)', async () => {
    const e = await err(
      core.signUp({ ...at(), connection: NO_SIGNUP, email: fresh(), password: STRONG }),
    );
    expect(e).toMatchObject({
      code: 'operation_not_allowed',
      status: 403,
      message: `Creating an account is not allowed on the connection “${NO_SIGNUP}”. Ask your administrator for one.`,
    });
  });

  it('refuses bad input before asking the tenant', async () => {
    const c = new SignetCore({ vault: null });
    try {
      const cases: Array<[Parameters<SignetCore['signUp']>[0], string]> = [
        [{ ...at(), connection: DB, email: 'not-an-email', password: STRONG }, 'email'],
        [{ ...at(), connection: DB, email: 'a b@c.d', password: STRONG }, 'email'],
        // The tenant's rule (one shared EMAIL): a non-ASCII local part, a one-letter TLD.
        [{ ...at(), connection: DB, email: 'adá@x.test', password: STRONG }, 'email'],
        [{ ...at(), connection: DB, email: 'a@b.c', password: STRONG }, 'email'],
        [{ ...at(), connection: DB, email: fresh(), password: '' }, 'password'],
        [{ ...at(), connection: DB, email: fresh(), username: '  ', password: STRONG }, 'username'],
        [{ ...at(), connection: 'sms', email: fresh(), password: STRONG }, 'connection'],
      ];
      for (const [req, field] of cases)
        expect(await err(c.signUp(req))).toMatchObject({
          code: 'invalid_input',
          detail: { field },
        });
      // What the tenant would refuse, said before sending: 37 × é is 74 bytes (bcrypt uses 72).
      expect(
        await err(c.signUp({ ...at(), connection: DB, email: fresh(), password: 'é'.repeat(37) })),
      ).toMatchObject({
        code: 'invalid_input',
        message: PASSWORD_TOO_LONG,
        detail: { field: 'password' },
      });
      for (const username of ['has space', 'x'.repeat(16), 'ünï'])
        expect(
          await err(
            c.signUp({
              ...at(),
              connection: WITH_USERNAME,
              email: fresh(),
              username,
              password: STRONG,
            }),
          ),
        ).toMatchObject({
          code: 'invalid_input',
          message: USERNAME_RULE.text,
          detail: { field: 'username' },
        });
      expect(await err(c.changePassword({ ...at(), connection: DB, email: '@' }))).toMatchObject({
        code: 'invalid_input',
        detail: { field: 'email' },
      });
      expect(c.attempts()).toEqual([]);
    } finally {
      await c.close();
    }
  });
});

describe('password reset against the local tenant', () => {
  it("emails a reset link and answers the tenant's sentence", async () => {
    const email = fresh('forgot');
    await core.signUp({ ...at(), connection: DB, email, password: STRONG });
    const r = await core.changePassword({ ...at(), connection: DB, email });
    expect(r).toEqual({ message: RESET_EMAIL_SENT });
    const mails = await t.emails(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.link.startsWith(`${t.url}/`)).toBe(true);
    expect(mails[0]!.body).toContain(mails[0]!.link);
  });

  it('answers the same for an address with no account, and sends nothing', async () => {
    const nobody = fresh('nobody');
    expect(await core.changePassword({ ...at(), connection: DB, email: nobody })).toEqual({
      message: RESET_EMAIL_SENT,
    });
    expect(await t.emails(nobody)).toEqual([]);
  });
});

describe('what is kept of it', () => {
  it('no password in any attempt or error; the refusals are there for IT', async () => {
    const c = new SignetCore({ vault: null });
    const secret = `Secret-${randomBytes(6).toString('hex')}`;
    const weak = `w${randomBytes(2).toString('hex')}`;
    try {
      const email = fresh('logged');
      await c.signUp({ ...at(), connection: DB, email, password: secret });
      const exists = await err(c.signUp({ ...at(), connection: DB, email, password: secret }));
      const tooWeak = await err(
        c.signUp({ ...at(), connection: DB, email: fresh(), password: weak }),
      );
      await c.changePassword({ ...at(), connection: DB, email });
      const attempts = c.attempts();
      const text = JSON.stringify([attempts, exists, tooWeak]);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(weak);
      expect(attempts.map((a) => [a.endpoint, a.errorCode ?? a.status])).toEqual([
        ['/dbconnections/signup', 200],
        ['/dbconnections/signup', 'user_exists'],
        ['/dbconnections/signup', 'invalid_password'],
        ['/dbconnections/change_password', 200],
      ]);
      expect(attempts[0]!.request).toMatchObject({ email, connection: DB, password: '[redacted]' });
      expect(attempts[1]!.errorDescription).toBe('The user already exists.');
    } finally {
      await c.close();
    }
  });
});

describe('answers no real tenant gives on cue', () => {
  let server: Server;
  let base: string;
  /** What the loopback server answers, per path after `/<scenario>/`. */
  const scenarios: Record<string, { type: string; body: string; status?: number }> = {
    'wrong-shape': { type: 'application/json', body: '{"ok":true}' },
    'email-not-string': { type: 'application/json', body: '{"email":42}' },
    'html-200': {
      type: 'text/html',
      body: '<html><body>Please log in to the proxy</body></html>',
    },
    'object-not-string': { type: 'application/json', body: '{"message":"sent"}' },
    'huge-string': { type: 'application/json', body: JSON.stringify('x'.repeat(100_000)) },
    // auth0.js answers a text/plain or text/html 2xx body as the text: real tenants may send it.
    'text-plain': { type: 'text/plain; charset=utf-8', body: `${RESET_EMAIL_SENT}\n` },
    'text-html-sentence': { type: 'text/html', body: RESET_EMAIL_SENT },
    'text-huge': { type: 'text/plain', body: 'x'.repeat(100_000) },
    'text-json-string': { type: 'text/plain', body: JSON.stringify(RESET_EMAIL_SENT) },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      const name = req.url!.split('/')[1]!;
      if (name === 'hang') return; // never answers: a timeout, or the user's Cancel
      const s = scenarios[name];
      if (!s) return res.writeHead(404).end();
      res.writeHead(s.status ?? 200, { 'content-type': s.type }).end(s.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const signUpAt = (scenario: string) =>
    err(
      core.signUp({
        tenant: `${base}/${scenario}`,
        clientId: 'x',
        connection: DB,
        email: 'a@b.test',
        password: STRONG,
      }),
    );
  const resetAt = (scenario: string) =>
    err(
      core.changePassword({
        tenant: `${base}/${scenario}`,
        clientId: 'x',
        connection: DB,
        email: 'a@b.test',
      }),
    );

  it('a sign-up 200 that is not the created user is bad_response', async () => {
    expect(await signUpAt('wrong-shape')).toMatchObject({
      code: 'bad_response',
      status: 200,
      detail: { problem: 'missing_fields' },
    });
    expect((await signUpAt('email-not-string')).code).toBe('bad_response');
  });

  it("a proxy's HTML page is bad_response that says so", async () => {
    const e = await signUpAt('html-200');
    expect(e.code).toBe('bad_response');
    expect(e.message).toMatch(/proxy or firewall/);
    expect((await resetAt('html-200')).code).toBe('bad_response');
  });

  it('a tenant that never answers is a timeout; Cancel stops the call at once', async () => {
    const slow = new SignetCore({
      settings: { timeouts: { connectMs: 2000, headersMs: 300, bodyMs: 300 } },
      vault: null,
    });
    try {
      const e = await err(
        slow.signUp({
          tenant: `${base}/hang`,
          clientId: 'x',
          connection: DB,
          email: 'a@b.test',
          password: STRONG,
        }),
      );
      expect(e).toMatchObject({ code: 'timeout', detail: { phase: 'headers' } });
      const cancel = new AbortController();
      const pending = err(
        core.changePassword({
          tenant: `${base}/hang`,
          clientId: 'x',
          connection: DB,
          email: 'a@b.test',
          signal: cancel.signal,
        }),
      );
      cancel.abort();
      expect((await pending).code).toBe('cancelled');
    } finally {
      await slow.close();
    }
  });

  it("a reset 200 in plain text is the tenant's sentence; markup or a huge text is not", async () => {
    const sent = (scenario: string) =>
      core.changePassword({
        tenant: `${base}/${scenario}`,
        clientId: 'x',
        connection: DB,
        email: 'a@b.test',
      });
    expect(await sent('text-plain')).toEqual({ message: RESET_EMAIL_SENT });
    expect(await sent('text-html-sentence')).toEqual({ message: RESET_EMAIL_SENT });
    expect(await sent('text-json-string')).toEqual({ message: RESET_EMAIL_SENT });
    expect(await resetAt('text-huge')).toMatchObject({ code: 'bad_response' });
    expect(await resetAt('html-200')).toMatchObject({ code: 'bad_response' });
    // Sign-up still wants JSON.
    expect(await signUpAt('text-plain')).toMatchObject({ code: 'bad_response' });
  });

  it('a reset 200 that is not a (sane) JSON string is bad_response', async () => {
    expect(await resetAt('object-not-string')).toMatchObject({ code: 'bad_response' });
    expect(await resetAt('huge-string')).toMatchObject({ code: 'bad_response' });
  });
});
