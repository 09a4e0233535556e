/**
 * The last-login file (Lock's rememberLastLogin): one entry of names and the connection,
 * written whole with mode 0600, and read back only when it is exactly what Signet writes —
 * a hand-edited, foreign, oversized or broken file is "no last login", never a crash.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clearLastLogin,
  LAST_LOGIN_MAX_BYTES,
  lastLoginPath,
  readLastLogin,
  writeLastLogin,
} from '../../src/core/settings/last-login.js';
import type { LastLogin } from '../../src/shared/ipc.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const newDir = tempDirs('signet-last-login-');
const envIn = (dir: string): NodeJS.ProcessEnv => ({
  SIGNET_SETTINGS: join(dir, 'nested', 'settings.json'),
});
const ADA: LastLogin = {
  tenant: 'https://acme.eu.auth0.com/',
  clientId: 'abc123',
  connection: 'Username-Password-Authentication',
  kind: 'database',
  username: 'ada@signet.test',
  name: 'Ada Lovelace',
  email: 'ada@signet.test',
  at: '2026-12-02T03:00:00.000Z',
};

describe('last login store', () => {
  it('keeps one entry beside the settings, mode 0600, and reads it back', () => {
    const env = envIn(newDir());
    expect(readLastLogin(env)).toBeNull();
    expect(writeLastLogin(ADA, env)).toBe(true);
    const file = lastLoginPath(env);
    expect(file).toBe(join(env.SIGNET_SETTINGS!, '..', 'last-login.json'));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readLastLogin(env)).toEqual(ADA);
    // One entry: the next sign-in replaces it.
    const grace = { ...ADA, kind: 'ad' as const, connection: 'corp-ldap', username: 'grace' };
    delete (grace as Partial<LastLogin>).email;
    writeLastLogin(grace, env);
    expect(readLastLogin(env)).toEqual(grace);
  });

  it('writes only the fields of a LastLogin, whatever else the object carried', () => {
    const env = envIn(newDir());
    const carrying = { ...ADA, password: 'hunter2', id_token: 'eyJ.secret.sig' } as LastLogin;
    writeLastLogin(carrying, env);
    const text = readFileSync(lastLoginPath(env), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('eyJ');
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(Object.keys(ADA).sort());
  });

  it('keeps names on one line, without control characters, cut to their limits', () => {
    const env = envIn(newDir());
    writeLastLogin(
      {
        ...ADA,
        name: `Ada\u001b]0;pwned\u0007\nLovelace\u202e${'x'.repeat(1000)}`,
        email: '\u0000\u0001',
      },
      env,
    );
    const back = readLastLogin(env)!;
    expect(back.name!.startsWith('Ada]0;pwned Lovelace')).toBe(true);
    expect(back.name!.length).toBeLessThanOrEqual(256);
    // eslint-disable-next-line no-control-regex -- looking for them is the point
    expect(back.name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    // An email that is nothing but control characters is left out, not kept empty.
    expect(back.email).toBeUndefined();
  });

  it('refuses to keep an entry with a required field empty after cleaning', () => {
    const env = envIn(newDir());
    expect(writeLastLogin({ ...ADA, username: '\u0007' }, env)).toBe(false);
    expect(readLastLogin(env)).toBeNull();
  });

  it.each([
    ['not JSON', '{"tenant": '],
    ['a JSON string', '"ada"'],
    ['a wrong kind', JSON.stringify({ ...ADA, kind: 'saml' })],
    ['a missing field', JSON.stringify({ ...ADA, connection: undefined })],
    ['a field over its limit', JSON.stringify({ ...ADA, username: 'u'.repeat(513) })],
    ['a bad time', JSON.stringify({ ...ADA, at: 'yesterday' })],
    ['an oversized file', JSON.stringify({ ...ADA, pad: ' '.repeat(LAST_LOGIN_MAX_BYTES) })],
  ])('a hand-edited file with %s counts as no last login', (_what, content) => {
    const env = envIn(newDir());
    writeLastLogin(ADA, env);
    writeFileSync(lastLoginPath(env), content);
    expect(readLastLogin(env)).toBeNull();
  });

  it('forgets: true when there was one, false after', () => {
    const env = envIn(newDir());
    writeLastLogin(ADA, env);
    expect(clearLastLogin(env)).toBe(true);
    expect(readLastLogin(env)).toBeNull();
    expect(clearLastLogin(env)).toBe(false);
  });

  it('an unwritable folder keeps nothing and does not throw', () => {
    const dir = newDir();
    // The settings "folder" is a file: nothing can be created under it.
    writeFileSync(join(dir, 'nested'), 'not a folder');
    const env = envIn(dir);
    expect(writeLastLogin(ADA, env)).toBe(false);
    expect(readLastLogin(env)).toBeNull();
  });
});
