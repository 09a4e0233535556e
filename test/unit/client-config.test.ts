/**
 * Which connections the sign-in form offers (`formConnections`: settings or managed
 * configuration naming connections win and can restrict; else the client's usable ones, with
 * the labels settings give their names) and home-realm discovery's matching (`homeRealm`, with
 * the window's email reading `emailParts` in front of it: case, a trailing dot, Unicode
 * domains). Pure functions, so the edge cases are cheap to pin here; the e2e covers the window.
 */
import { describe, expect, it } from 'vitest';
import {
  formConnections,
  homeRealm,
  realmUsername,
  type ClientConfigView,
  type ClientConnection,
} from '../../src/shared/client-config';
import type { Connection } from '../../src/shared/settings';
import { emailParts, looksLikeEmail, normalEmail } from '../../src/renderer/signin/email';
import { connectionLabel, connectionName } from '../../src/renderer/signin/username-label';

const DB = 'Username-Password-Authentication';
const defaults: Connection[] = [
  { name: DB, kind: 'database', label: 'Database' },
  { name: 'corp-ldap', kind: 'ad', label: 'Corporate directory' },
];
const client = (connections: ClientConnection[]): ClientConfigView => ({
  connections,
  fetchedAt: '2026-12-02T04:00:00.000Z',
  source: 'network',
  error: null,
});
const clientConnections: ClientConnection[] = [
  { name: DB, strategy: 'auth0', kind: 'database', passwordPolicy: 'fair', showSignup: false },
  { name: 'corp-ldap', strategy: 'ad', kind: 'ad', domains: ['corp.signet.test', 'corp.example'] },
  { name: 'acme-ad', strategy: 'ad', kind: 'ad', domains: ['acme.test'] },
  { name: 'google-oauth2', strategy: 'google-oauth2', kind: 'other' },
];

describe('formConnections', () => {
  it('offers the client’s usable connections when settings name none, keeping settings’ labels', () => {
    const offered = formConnections(
      { connections: defaults, connectionsNamed: false },
      client(clientConnections),
    );
    expect(offered.map((c) => [c.name, c.label])).toEqual([
      [DB, 'Database'],
      ['corp-ldap', 'Corporate directory'],
      ['acme-ad', undefined],
    ]);
    expect(offered[0]).toMatchObject({ passwordPolicy: 'fair', showSignup: false });
    expect(offered[2]).toMatchObject({ kind: 'ad', domains: ['acme.test'] });
  });

  it('offers exactly the connections settings or managed configuration name, completed with the client’s details', () => {
    const managed: Connection[] = [{ name: DB, kind: 'database', label: 'Database' }];
    const offered = formConnections(
      { connections: managed, connectionsNamed: true },
      client(clientConnections),
    );
    expect(offered).toEqual([
      { ...managed[0], strategy: 'auth0', passwordPolicy: 'fair', showSignup: false },
    ]);
    // And so home-realm discovery finds nothing the managed list left out.
    expect(homeRealm('grace@acme.test', offered)).toBeUndefined();
  });

  it('falls back to settings’ defaults without a configuration, or with nothing usable in it', () => {
    expect(formConnections({ connections: defaults, connectionsNamed: false }, null)).toEqual(
      defaults,
    );
    const onlyOther = client([{ name: 'google-oauth2', strategy: 'google-oauth2', kind: 'other' }]);
    expect(formConnections({ connections: defaults, connectionsNamed: false }, onlyOther)).toEqual(
      defaults,
    );
  });
});

describe('homeRealm', () => {
  const offered = formConnections(
    { connections: defaults, connectionsNamed: false },
    client(clientConnections),
  );

  it('matches the domain or an alias, whatever the case, and a trailing dot', () => {
    expect(homeRealm('grace@corp.signet.test', offered)?.name).toBe('corp-ldap');
    expect(homeRealm('Grace@CORP.Signet.TEST', offered)?.name).toBe('corp-ldap');
    expect(homeRealm('grace@corp.example', offered)?.name).toBe('corp-ldap');
    expect(homeRealm('grace@corp.signet.test.', offered)?.name).toBe('corp-ldap');
  });

  it('matches whole domains only: no suffix, no longer name, no second @', () => {
    expect(homeRealm('grace@corp.signet.test.evil.com', offered)).toBeUndefined();
    expect(homeRealm('grace@corp.signet.testing.org', offered)).toBeUndefined();
    expect(homeRealm('grace@evil.corp.signet.test', offered)).toBeUndefined();
    expect(homeRealm('grace@x@corp.signet.test', offered)).toBeUndefined();
    expect(homeRealm('@corp.signet.test', offered)).toBeUndefined();
    expect(homeRealm('grace', offered)).toBeUndefined();
  });

  it('only ever picks an AD connection', () => {
    const db = [{ name: DB, kind: 'database', domains: ['signet.test'] }];
    expect(homeRealm('ada@signet.test', db)).toBeUndefined();
  });
});

describe('the window’s email reading', () => {
  it('has one rule for “looks like an email” (the shared EMAIL)', () => {
    expect(looksLikeEmail(' ada@signet.test ')).toBe(true);
    expect(looksLikeEmail('ada')).toBe(false);
    expect(looksLikeEmail('ada@localhost')).toBe(false);
    expect(looksLikeEmail('a da@signet.test')).toBe(false);
  });

  it('reads the domain as Chromium does: lower case, punycode for Unicode, no trailing dot', () => {
    expect(emailParts('Ada@CORP.Signet.TEST.')).toEqual({
      local: 'Ada',
      domain: 'corp.signet.test',
    });
    expect(emailParts('ada@bücher.example')).toEqual({
      local: 'ada',
      domain: 'xn--bcher-kva.example',
    });
    expect(normalEmail(' josé@Bücher.example ')).toBe('josé@xn--bcher-kva.example');
    expect(normalEmail('ada')).toBe('ada');
  });

  it('refuses a domain the URL parser would read as another host', () => {
    for (const text of [
      'ada@corp.signet.test/x',
      'ada@evil.com#corp.signet.test',
      'ada@[::1]',
      'ada@a:1',
      'a@b@c',
    ])
      expect(emailParts(text), text).toBeNull();
  });

  it('lets HRD match a company domain typed in Unicode', () => {
    const unicode = [{ name: 'bu', kind: 'ad', domains: ['xn--bcher-kva.example'] }];
    const parts = emailParts('ada@BÜCHER.example');
    expect(parts && homeRealm(`${parts.local}@${parts.domain}`, unicode)?.name).toBe('bu');
  });
});

describe('connection names from the tenant', () => {
  it('are shown without control, bidi-override or invisible characters', () => {
    const spoof: Connection = { name: 'corp\u202Egnp.exe\u200B\u001b[2J', kind: 'ad' };
    expect(connectionName(spoof)).toBe('corpgnp.exe[2J');
    expect(connectionLabel(spoof)).toBe('corpgnp.exe[2J (AD/LDAP)');
    expect(connectionLabel({ name: DB, kind: 'database', label: 'Database' })).toBe('Database');
    expect(connectionName({ name: '\u202E\u200B', kind: 'ad' })).toBe('Unnamed connection');
  });
});

describe('the username home-realm discovery signs in with', () => {
  it('is the part before @ for AD/LDAP connectors, the whole address for Azure AD and ADFS', () => {
    const offered = formConnections(
      { connections: defaults, connectionsNamed: false },
      client([
        ...clientConnections,
        { name: 'azure', strategy: 'waad', kind: 'ad', domains: ['azure.test'] },
      ]),
    );
    const corp = homeRealm('grace@corp.signet.test', offered);
    const azure = homeRealm('grace@azure.test', offered);
    expect(corp && realmUsername(corp, 'grace', 'grace@corp.signet.test')).toBe('grace');
    expect(azure && realmUsername(azure, 'grace', 'grace@azure.test')).toBe('grace@azure.test');
    // Settings' own AD connection (no strategy known) binds with the plain name, as the demo's.
    expect(realmUsername({}, 'grace', 'grace@corp.signet.test')).toBe('grace');
  });
});
