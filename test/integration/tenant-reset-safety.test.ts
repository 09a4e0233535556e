/**
 * The password reset's safety over real HTTP (review 12, #5 #9 #11 #12 #13): the new password is
 * hashed before the ticket is spent, and one SQLite transaction spends it and sets the password
 * (so a user deleted, or a link retired, while the hash runs gets a page that says nothing
 * changed, never "changed"); the per-address reset limit counts the address whatever the
 * connection; the reset page answers a page (never JSON) to a browser for every framework
 * error; a gateway that echoes the reset email leaves no ticket in the log however it escapes
 * it; and a password change (reset page, `users set-password`) voids the user's pending MFA
 * sign-ins.
 */
import { spawnSync } from 'node:child_process';
import { hashSync } from '@node-rs/bcrypt';
import { generate as totp, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA, DEMO_DATABASE as DB, MODERN_CLIENT } from '../fixtures/demo';
import { startSmsGateway } from '../fixtures/sms-gateway';
import { getFrom, postTo, roBody, startTestTenant, type TestTenant } from '../fixtures/tenant';

const root = new URL('../..', import.meta.url).pathname;
/** A database connection whose hash takes about a second: room to act while a reset hashes. */
const SLOW_DB = 'db-slow';
const OLD = 'Old-Password-1';
const NEW = 'Brand-New-Secret-7';
const MFA_OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';
const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';

let t: TestTenant;
let seq = 0;

beforeAll(async () => {
  t = await startTestTenant({
    corpLdap: false,
    email: { resetsPerEmail: 2, resetsPerIp: 1000 },
    connections: [
      { type: 'database', name: SLOW_DB, bcryptCost: 14 },
      { type: 'database', name: 'db-second', bcryptCost: 4 },
    ],
    clients: [
      {
        client_id: 'two-databases',
        name: 'two database connections',
        connections: [DB, 'db-second', SLOW_DB],
      },
    ],
  });
});
afterAll(() => t?.close());

/** A user of `connection` with password OLD (hashed here, cheaply) and a fresh reset ticket. */
async function userWithTicket(connection = SLOW_DB, extra: { mfa_secret?: string } = {}) {
  const email = `reset.${++seq}@safety.test`;
  const user = await t.tenant.db.createUser(
    { connection, email, password_hash: hashSync(OLD, 4), ...extra },
    4,
  );
  const ticket = `safety-ticket-${seq}-0123456789abcdefghijklmnopqrstuvwxyz`;
  t.tenant.db.issueResetTicket(ticket, user.user_id, Date.now() + 600_000, Date.now());
  return { email, userId: user.user_id, ticket };
}

const submit = (ticket: string, password = NEW, url = t.url) =>
  postTo(
    url,
    '/lo/reset',
    { ticket, newPassword: password, confirmNewPassword: password },
    { form: true, headers: { origin: 'null' } },
  );
const signIn = (connection: string, email: string, password: string) =>
  postTo(t.url, '/oauth/ro', roBody(connection, email, password, { client_id: 'two-databases' }));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectHtmlPage(res: { status: number; headers: Headers; text: string }) {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.text).toMatch(/^<!doctype html>/);
  expect(res.text).not.toMatch(/<form/);
}

describe('a reset spends its ticket only together with the password (#5)', () => {
  it('while the new password is being hashed the link still works: nothing is spent yet', async () => {
    const { ticket, email } = await userWithTicket();
    const pending = submit(ticket);
    await pause(300);
    const meanwhile = await getFrom(t.url, `/lo/reset?ticket=${ticket}`);
    expect(meanwhile.status).toBe(200);
    expect(meanwhile.text).toContain(email);
    const done = await pending;
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your password has been changed.');
    expect((await getFrom(t.url, `/lo/reset?ticket=${ticket}`)).status).toBe(400);
    expect((await signIn(SLOW_DB, email, NEW)).status).toBe(200);
  });

  it('a user deleted while the new password is hashed: a page that says the password was not changed', async () => {
    const { ticket, userId } = await userWithTicket();
    const pending = submit(ticket);
    await pause(300);
    expect(t.tenant.db.deleteUser(userId)).toBe(true);
    const res = await pending;
    expect(res.status).toBe(404);
    expectHtmlPage(res);
    expect(res.text).toContain('Your password was not changed');
    expect(res.text).toContain('This account no longer exists.');
    expect(res.text).not.toContain('has been changed');
  });

  it('a link retired by a newer email while the password is hashed: "not valid", the old password stays', async () => {
    const { ticket, email } = await userWithTicket();
    const pending = submit(ticket);
    await pause(300);
    const resent = await postTo(t.url, '/dbconnections/change_password', {
      client_id: 'two-databases',
      connection: SLOW_DB,
      email,
    });
    expect(resent.status).toBe(200);
    const res = await pending;
    expect(res.status).toBe(400);
    expectHtmlPage(res);
    expect(res.text).toContain('This link is not valid');
    expect((await signIn(SLOW_DB, email, OLD)).status).toBe(200);
    expect((await signIn(SLOW_DB, email, NEW)).status).toBe(401);
  });
});

describe('a password change voids the pending MFA sign-ins of its user (#13)', () => {
  /** An MFA user of the demo database, past its password step: its mfa_token and a redeemer. */
  async function pendingMfa() {
    const secret = generateSecret();
    const { email, ticket } = await userWithTicket(DB, { mfa_secret: secret });
    const first = await postTo(t.url, '/oauth/token', {
      grant_type: PASSWORD_REALM,
      realm: DB,
      client_id: MODERN_CLIENT,
      username: email,
      password: OLD,
      scope: 'openid',
    });
    expect(first.body).toMatchObject({ error: 'mfa_required', mfa_token: expect.any(String) });
    const redeem = async () =>
      postTo(t.url, '/oauth/token', {
        grant_type: MFA_OTP,
        client_id: MODERN_CLIENT,
        mfa_token: first.body.mfa_token,
        otp: await totp({ secret }),
      });
    return { email, ticket, redeem };
  }
  const DROPPED = { error: 'invalid_grant', error_description: 'Malformed mfa_token' };

  it('a control: without a password change the right code redeems the mfa_token', async () => {
    const { redeem } = await pendingMfa();
    expect((await redeem()).status).toBe(200);
  });

  it('after a reset on the reset page the right code no longer redeems it', async () => {
    const { ticket, redeem } = await pendingMfa();
    expect((await submit(ticket)).status).toBe(200);
    const res = await redeem();
    expect(res.status).toBe(403);
    expect(res.body).toEqual(DROPPED);
  });

  it('after `tenant users set-password` (another process, same data dir) neither', async () => {
    const { email, redeem } = await pendingMfa();
    const run = spawnSync(
      'npx',
      ['tsx', 'src/tenant/cli.ts', 'users', 'set-password', email, '--data-dir', t.dataDir],
      { cwd: root, input: `${NEW}\n`, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const res = await redeem();
    expect(res.status).toBe(403);
    expect(res.body).toEqual(DROPPED);
  });
});

describe('the per-address reset limit (#11)', () => {
  it('counts the address across database connections: 2 allowed in all, the third is 429', async () => {
    const email = `limited.${++seq}@safety.test`;
    const ask = (connection: string, address = email) =>
      postTo(t.url, '/dbconnections/change_password', {
        client_id: 'two-databases',
        connection,
        email: address,
      });
    expect((await ask(DB)).status).toBe(200);
    expect((await ask('db-second')).status).toBe(200);
    const third = await ask(SLOW_DB, email.toUpperCase());
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('too_many_requests');
    // Another address is counted apart.
    expect((await ask('db-second', `other.${seq}@safety.test`)).status).toBe(200);
  });
});

describe('the reset page answers a page, never JSON, to a browser (#12)', () => {
  it('413 (a huge pasted value), 400 (a malformed body) and 415 (another content type) are pages', async () => {
    const { ticket } = await userWithTicket(DB);
    const huge = await submit(ticket, 'x'.repeat(300_000));
    expect(huge.status).toBe(413);
    expectHtmlPage(huge);
    expect(huge.text).toContain('The form was too large');

    const raw = (body: string, type: string) =>
      postTo(t.url, '/lo/reset', body, { headers: { 'content-type': type, origin: 'null' } });
    const malformed = await raw('{"ticket":', 'application/json');
    expect(malformed.status).toBe(400);
    expectHtmlPage(malformed);
    expect(malformed.text).toContain('The form could not be read');

    const other = await raw(`ticket=${ticket}`, 'text/plain');
    expect(other.status).toBe(415);
    expectHtmlPage(other);
    expect(other.text).toContain('The form could not be read');
    for (const res of [huge, malformed, other]) expect(res.text).not.toContain(ticket);

    // The link was not spent by any of them.
    expect((await getFrom(t.url, `/lo/reset?ticket=${ticket}`)).status).toBe(200);
    // The API routes keep their JSON errors.
    const api = await postTo(t.url, '/dbconnections/change_password', 'x', {
      headers: { 'content-type': 'text/plain' },
    });
    expect(api.status).toBe(415);
    expect(api.body).toMatchObject({ code: 'invalid_request', statusCode: 415 });
  });

  it('500 (the tenant’s database is gone) is a page that says nothing was changed', async () => {
    const broken = await startTestTenant({ corpLdap: false });
    try {
      broken.tenant.db.close();
      const res = await submit('any-ticket-0123456789', NEW, broken.url);
      expect(res.status).toBe(500);
      expectHtmlPage(res);
      expect(res.text).toContain('Your password was not changed');
      const get = await getFrom(broken.url, '/lo/reset?ticket=any-ticket-0123456789');
      expect(get.status).toBe(500);
      expectHtmlPage(get);
      const api = await postTo(broken.url, '/oauth/ro', roBody(DB, 'a@b.test', 'x'));
      expect(api.status).toBe(500);
      expect(api.body).toEqual({ error: 'server_error', error_description: 'Internal error' });
    } finally {
      await broken.close();
    }
  });
});

describe('an email gateway that echoes the reset email (#9)', () => {
  it('leaves no ticket in the log, however it escapes the echo (JSON \\/, URL-encoded, as is)', async () => {
    const echoes = [
      (body: string) => body.replaceAll('/', '\\/'), // PHP's json_encode default
      (body: string) => encodeURIComponent(body),
      (body: string) => body,
    ];
    let next = 0;
    const received: string[] = [];
    const gateway = await startSmsGateway((body) => {
      received.push(body);
      // Its complaint quotes the payload from the link on (the log keeps the start of it).
      const quoted = body.slice(body.indexOf('http'));
      return { status: 500, body: `rejected: ${echoes[next++ % echoes.length]!(quoted)}` };
    });
    const log: string[] = [];
    const hooked = await startTestTenant({
      corpLdap: false,
      email: { provider: { kind: 'webhook', url: gateway.url } },
      log: (line) => log.push(line),
    });
    try {
      for (let i = 0; i < echoes.length; i++) {
        const res = await postTo(hooked.url, '/dbconnections/change_password', {
          client_id: 'signet-demo',
          connection: DB,
          email: ADA.username,
        });
        expect(res.status).toBe(200);
        const failures = () => log.filter((l) => l.includes('answered HTTP 500')).length;
        for (let w = 0; w < 100 && failures() <= i; w++) await pause(20);
        expect(failures()).toBe(i + 1);
      }
      const tickets = received.map((body) => {
        const text = (JSON.parse(body) as { body: string }).body;
        return /ticket=([A-Za-z0-9_-]+)/.exec(text)![1]!;
      });
      expect(tickets).toHaveLength(3);
      const all = log.join('\n');
      expect(all).toContain('rejected:');
      for (const ticket of tickets) expect(all).not.toContain(ticket);
    } finally {
      await hooked.close();
      await gateway.close();
    }
  });
});
