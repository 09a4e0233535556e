/** The attempts log is redacted by construction: only allowlisted fields pass through. */
import { describe, expect, it } from 'vitest';
import { AttemptLog, redactRequest, redactResponse } from '../../src/core/diagnostics/attempts.js';

describe('attempts log redaction', () => {
  it('request: password, code, tokens and unknown fields are redacted; harmless fields kept', () => {
    const r = redactRequest({
      client_id: 'c',
      username: 'ada',
      password: 'secret',
      mfa_code: '123456',
      otp: '654321',
      id_token: 'eyJ...',
      refresh_token: 'rt',
      some_new_field: 'maybe-secret',
      scope: 'openid',
    });
    expect(r).toEqual({
      client_id: 'c',
      username: 'ada',
      password: '[redacted]',
      mfa_code: '[redacted]',
      otp: '[redacted]',
      id_token: '[redacted]',
      refresh_token: '[redacted]',
      some_new_field: '[redacted]',
      scope: 'openid',
    });
  });

  it('response: tokens show only their length, errors are kept', () => {
    expect(
      redactResponse(
        {
          access_token: 'abcd',
          id_token: 'eyJabc',
          token_type: 'bearer',
          error: 'x',
          nested: { a: 1 },
        },
        200,
      ),
    ).toEqual({
      access_token: '[redacted: 4 chars]',
      id_token: '[redacted: 6 chars]',
      token_type: 'bearer',
      error: 'x',
      nested: '[redacted object]',
    });
  });

  it('§7 error fields are kept only from an error answer, never from a success', () => {
    const profile = { sub: 'auth0|1', name: 'Ada Lovelace', email: 'ada@x.test', code: 'c' };
    expect(redactResponse(profile, 200)).toEqual({
      sub: '[redacted: 7 chars]',
      name: '[redacted: 12 chars]',
      email: '[redacted: 10 chars]',
      code: '[redacted: 1 chars]',
    });
    const refusal = {
      name: 'BadRequestError',
      code: 'user_exists',
      description: 'Taken.',
      statusCode: 400,
    };
    expect(redactResponse(refusal, 400)).toEqual(refusal);
  });

  it('keeps at most its limit, oldest dropped', () => {
    const log = new AttemptLog(2);
    for (const i of [1, 2, 3])
      log.add({
        at: String(i),
        method: 'POST',
        endpoint: '/x',
        timings: { totalMs: i },
        request: {},
      });
    expect(log.list().map((a) => a.at)).toEqual(['2', '3']);
  });
});
