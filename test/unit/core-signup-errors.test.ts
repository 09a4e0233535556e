/**
 * Spec §7's error shape (`{name, code, description, statusCode}`) becomes the same
 * `SignInError` as §1's: the tenant's code, a sentence for the user, the rules a weak password
 * missed in `detail.rules` — and a hostile body (huge, wrongly shaped, full of control
 * characters) is cut down, never trusted.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/core/auth/http.js';
import {
  MAX_PASSWORD_RULES,
  serverError,
  type ErrorContext,
} from '../../src/core/auth/server-errors.js';
import { MAX_KEPT_CHARS, redactResponse } from '../../src/core/diagnostics/attempts.js';
import { checkPassword, explainPolicy } from '../../src/shared/password-policy.js';
import { PASSWORD_TOO_LONG, USERNAME_RULE } from '../../src/shared/signup-rules.js';

const res = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  timings: { headersMs: 1, totalMs: 1, retried: false },
});
const ctx = (operation: ErrorContext['operation'] = 'signup'): ErrorContext => ({
  kind: 'database',
  operation,
  tenant: 'acme.auth0.com',
  connection: 'Username-Password-Authentication',
});
const bad = (code: string, description: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'BadRequestError',
  code,
  description,
  statusCode: 400,
  ...extra,
});
/** Auth0's weak-password answer for `password` under `policy`, as the spec shows it. */
const weak = (password: string, policy: 'good' | 'excellent' = 'good') => ({
  name: 'PasswordStrengthError',
  message: 'Password is too weak',
  code: 'invalid_password',
  description: checkPassword(policy, password),
  policy: explainPolicy(policy),
  statusCode: 400,
});

describe('spec §7 error bodies', () => {
  it('user_exists: the code, the tenant description for IT, and what to do next', () => {
    const e = serverError(res(400, bad('user_exists', 'The user already exists.')), ctx());
    expect(e).toMatchObject({
      code: 'user_exists',
      status: 400,
      description: 'The user already exists.',
      message:
        'An account with this email already exists. Sign in instead, or reset your password.',
    });
  });

  it('username_exists, invalid_signup and operation_not_allowed each have their own sentence', () => {
    const taken = serverError(
      res(400, bad('username_exists', 'The username already exists.')),
      ctx(),
    );
    const hidden = serverError(res(400, bad('invalid_signup', 'Invalid sign up')), ctx());
    const off = serverError(
      res(403, {
        name: 'ForbiddenError',
        code: 'operation_not_allowed',
        description: 'Signups are not allowed for this connection.',
        statusCode: 403,
      }),
      ctx(),
    );
    expect(taken).toMatchObject({ code: 'username_exists', message: /username is already taken/ });
    expect(hidden).toMatchObject({ code: 'invalid_signup', message: /could not be created/ });
    expect(off).toMatchObject({
      code: 'operation_not_allowed',
      status: 403,
      description: 'Signups are not allowed for this connection.',
      message: /not allowed on the connection “Username-Password-Authentication”/,
    });
    expect(new Set([taken.message, hidden.message, off.message]).size).toBe(3);
  });

  it('invalid_password: the unmet rules in the sentence and in detail.rules, the policy as description', () => {
    const e = serverError(res(400, weak('abc')), ctx());
    expect(e.code).toBe('invalid_password');
    expect(e.description).toBe(explainPolicy('good'));
    expect(e.message).toBe(
      'This password is too weak: at least 8 characters in length; contain at least 3 of the following 4 types of characters: lower case letters (a-z), upper case letters (A-Z), numbers (i.e. 0-9), special characters (e.g. !@#$%^&*).',
    );
    expect(e.detail?.rules).toEqual(checkPassword('good', 'abc').rules);
  });

  it('invalid_password names only what is missing (length met, character types not)', () => {
    const e = serverError(res(400, weak('abcdefghijkl')), ctx());
    expect(e.message).toMatch(/^This password is too weak: contain at least 3 of/);
    expect(e.message).not.toMatch(/characters in length/);
  });

  it('a §1 body still reads as before next to the §7 shape', () => {
    const e = serverError(
      res(400, { error: 'invalid_request', error_description: 'missing connection parameter' }),
      ctx('reset'),
    );
    expect(e).toMatchObject({
      code: 'invalid_request',
      description: 'missing connection parameter',
    });
  });

  it('a password over 72 bytes is called too long, not too weak (a string description)', () => {
    const e = serverError(res(400, bad('invalid_password', PASSWORD_TOO_LONG)), ctx());
    expect(e).toMatchObject({ code: 'invalid_password', message: PASSWORD_TOO_LONG });
    expect(e.message).not.toMatch(/weak/);
  });

  it('invalid_body shows the tenant’s one-line sentence (the username rule, the email)', () => {
    expect(serverError(res(400, bad('invalid_body', USERNAME_RULE.text)), ctx()).message).toBe(
      USERNAME_RULE.text,
    );
    expect(
      serverError(res(400, bad('invalid_body', 'email is not a valid email address')), ctx('reset'))
        .message,
    ).toBe('Email is not a valid email address');
    // Not one short line: the step's generic sentence, the text stays for IT.
    for (const description of ['line one\nline two', 'x'.repeat(400), ''])
      expect(serverError(res(400, bad('invalid_body', description)), ctx()).message).toBe(
        'The account could not be created. Details are available for IT.',
      );
  });

  it('an unknown code says which step failed (sign-up, reset)', () => {
    expect(serverError(res(400, bad('weird', 'x')), ctx('signup')).message).toBe(
      'The account could not be created. Details are available for IT.',
    );
    expect(serverError(res(400, bad('weird', 'x')), ctx('reset')).message).toBe(
      'The password reset could not be requested. Details are available for IT.',
    );
  });
});

describe('hostile §7 bodies', () => {
  it('a 1 MB description is cut to the limit, in the error and in the attempts log', () => {
    const huge = 'x'.repeat(1024 * 1024);
    const e = serverError(res(400, bad('user_exists', huge)), ctx());
    expect(e.code).toBe('user_exists');
    expect(e.description!.length).toBe(MAX_KEPT_CHARS + 1);
    expect(e.message.length).toBeLessThan(200);
    const logged = redactResponse(bad('user_exists', huge), 400)!;
    expect(String(logged.description).length).toBeLessThanOrEqual(MAX_KEPT_CHARS + 1);
  });

  it('rules that are not an array (or not rules) are dropped: the sentence stays generic', () => {
    for (const rules of ['* be long', { 0: 'x' }, [1, 2], [{ message: 5 }], null]) {
      const e = serverError(
        res(400, { ...weak('abc'), description: { rules, verified: false } }),
        ctx(),
      );
      expect(e.code).toBe('invalid_password');
      expect(e.detail?.rules).toBeUndefined();
      expect(e.message).toBe('This password is too weak for this connection’s password policy.');
      // The policy sentence is still there for IT.
      expect(e.description).toBe(explainPolicy('good'));
    }
  });

  it('more rules than any policy has are refused as a whole', () => {
    const rule = { message: 'rule', code: 'r', verified: false };
    const e = serverError(
      res(400, {
        ...weak('abc'),
        description: { rules: Array(MAX_PASSWORD_RULES + 1).fill(rule), verified: false },
      }),
      ctx(),
    );
    expect(e.detail?.rules).toBeUndefined();
  });

  it('control characters never reach the sentence, the rules or the description', () => {
    const esc = '\u001b]0;pwned\u0007\u009b2J\u202e';
    const e = serverError(
      res(400, {
        ...weak('abc'),
        description: {
          rules: [
            { message: `At least %d${esc} characters`, format: [8], code: 'x', verified: false },
          ],
          verified: false,
        },
        policy: `* At least 8${esc}\n* more`,
      }),
      ctx(),
    );
    // eslint-disable-next-line no-control-regex -- looking for them is the point
    const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
    expect(e.message).toMatch(/^This password is too weak: at least 8\]0;pwned2J characters\.$/);
    expect(e.message).not.toMatch(controls);
    expect(JSON.stringify(e.detail?.rules)).not.toMatch(/\\u001b|\\u0007/);
    expect((e.detail?.rules as Array<{ message: string }>)[0]!.message).not.toMatch(controls);
    expect(e.description).toBe('* At least 8]0;pwned2J\n* more');
    const other = serverError(res(400, bad('user_exists', `taken${esc}`)), ctx());
    expect(other.description).toBe('taken]0;pwned2J');
  });
});
