/**
 * What IT sees of an unusable answer: an HTML proxy page as it is, a token answer never —
 * its tokens masked wherever they sit (JSON fields, form fields, bare JWTs, opaque runs).
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/core/auth/http.js';
import { badResponse, serverError } from '../../src/core/auth/server-errors.js';
import { maskSecrets, safeExcerpt } from '../../src/core/diagnostics/excerpt.js';
import { AD_SUBCODES, adSubcodeMeaning } from '../../src/core/index.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhdXRoMHwxMjMiLCJuYW1lIjoiQWRhIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const ACCESS = 'at_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

const res = (status: number, type: string, body: string): HttpResponse => ({
  status,
  headers: { 'content-type': type },
  body: Buffer.from(body),
  timings: { headersMs: 1, totalMs: 1, retried: false },
});

describe('safeExcerpt', () => {
  it('masks token fields of JSON, whole or cut inside a value', () => {
    const body = JSON.stringify({ access_token: ACCESS, id_token: JWT, token_type: 'Bearer' });
    const whole = safeExcerpt(Buffer.from(body), 'text/plain');
    expect(whole).toContain(`"access_token":"[redacted: ${ACCESS.length} chars]"`);
    expect(whole).toContain(`"id_token":"[redacted: ${JWT.length} chars]"`);
    expect(whole).toContain('"token_type":"Bearer"');
    const cut = safeExcerpt(Buffer.from(body.slice(0, 90)), 'application/json');
    expect(cut).not.toContain(ACCESS.slice(3, 15));
    expect(cut).not.toContain(JWT.slice(0, 12));
    expect(cut).toMatch(/"id_token":"\[redacted: \d+ chars\]"$/);
  });

  it('masks form fields, bare JWTs and long opaque runs outside HTML', () => {
    const text = maskSecrets(`access_token=${ACCESS}&state=ok ${JWT} x ${'A1b2'.repeat(10)}`);
    expect(text).toBe(
      `access_token=[redacted: ${ACCESS.length} chars]&state=ok [redacted: ${JWT.length} chars] x [redacted: 40 chars]`,
    );
  });

  it('keeps an HTML proxy page readable (its long URLs too), masking only JWTs in it', () => {
    const page = `<!DOCTYPE html><html><body><h1>Blocked</h1><a href="https://proxy.example.com/policy/category/social-networking">why</a> ${JWT}</body></html>`;
    const out = safeExcerpt(Buffer.from(page), 'text/html', 500);
    expect(out).toContain('<h1>Blocked</h1>');
    expect(out).toContain('https://proxy.example.com/policy/category/social-networking');
    expect(out).not.toContain(JWT.slice(0, 12));
  });
});

describe('badResponse and server_error detail', () => {
  it('a JSON body shows its redacted view, never its first bytes', () => {
    const body = JSON.stringify({ access_token: ACCESS, id_token: JWT, token_type: 'Bearer' });
    const e = badResponse(res(200, 'text/plain', body), 'wrong_content_type', { tenant: 't' });
    expect(e.detail?.firstBytes).toBeUndefined();
    expect(e.detail?.response).toEqual({
      access_token: `[redacted: ${ACCESS.length} chars]`,
      id_token: `[redacted: ${JWT.length} chars]`,
      token_type: 'Bearer',
    });
  });

  it('an HTML 502 keeps its first bytes for IT', () => {
    const e = badResponse(
      res(502, 'text/html', '<html><title>502 Bad Gateway</title></html>'),
      'not_json',
      { tenant: 't' },
    );
    expect(e.detail?.firstBytes).toBe('<html><title>502 Bad Gateway</title></html>');
  });

  it('a 500 whose JSON has no error code shows the redacted view, no raw bytes', () => {
    const e = serverError(res(500, 'application/json', JSON.stringify({ id_token: JWT })), {
      kind: 'database',
      operation: 'signin',
      tenant: 't',
    });
    expect(e.code).toBe('server_error');
    expect(JSON.stringify(e)).not.toContain(JWT.slice(0, 12));
  });
});

describe('AD sub-codes (shared, spec §5)', () => {
  it('core re-exports the shared table and its lookup', () => {
    expect(AD_SUBCODES['775']).toBe('account locked');
    expect(adSubcodeMeaning('52E ')).toBe('wrong password');
    expect(adSubcodeMeaning('530')).toBe('not permitted at this time');
    expect(adSubcodeMeaning('999')).toBeUndefined();
    expect(adSubcodeMeaning('constructor')).toBeUndefined();
  });
});
