/**
 * Where the client configuration is loaded from (spec §8: one table, hosts that try to dodge
 * it) and how its script is read without being evaluated: the wrapper, JSON only, the fields
 * Lock reads with their defaults, and every malformed or hostile script refused.
 */
import { describe, expect, it } from 'vitest';
import {
  clientConfigBase,
  clientConfigUrl,
  MAX_CLIENT_SCRIPT_BYTES,
  parseClientScript,
} from '../../src/core/auth/client-config';
import { tenantBaseUrl } from '../../src/core/auth/tenant-url';

const base = (tenant: string) => clientConfigBase(tenantBaseUrl(tenant)).href;

describe('clientConfigBase', () => {
  it.each([
    ['acme.eu.auth0.com', 'https://cdn.eu.auth0.com/'],
    ['ACME.EU.AUTH0.COM.', 'https://cdn.eu.auth0.com/'],
    ['acme.au.auth0.com', 'https://cdn.au.auth0.com/'],
    ['acme.auth0.com', 'https://cdn.auth0.com/'],
    // Regional tenants load from their region's CDN, as Lock derives it (the third label from the end).
    ['acme.us.auth0.com', 'https://cdn.us.auth0.com/'],
    ['ACME.US.AUTH0.COM.', 'https://cdn.us.auth0.com/'],
    ['acme.jp.auth0.com', 'https://cdn.jp.auth0.com/'],
    ['acme.uk.auth0.com', 'https://cdn.uk.auth0.com/'],
    ['acme.ca.auth0.com', 'https://cdn.ca.auth0.com/'],
    ['https://acme.eu.auth0.com:443/', 'https://cdn.eu.auth0.com/'],
    // Custom domains and the local tenant serve their own script.
    ['login.acme.example', 'https://login.acme.example/'],
    ['http://127.0.0.1:4455', 'http://127.0.0.1:4455/'],
    ['https://login.acme.example/auth/', 'https://login.acme.example/auth/'],
    // Hosts that dodge the pattern are custom domains, not Auth0's CDN.
    ['auth0.com', 'https://auth0.com/'],
    ['evil-auth0.com', 'https://evil-auth0.com/'],
    ['acme.auth0.com.evil.test', 'https://acme.auth0.com.evil.test/'],
    ['eu.auth0.com.evil.test', 'https://eu.auth0.com.evil.test/'],
    ['acme.us.auth0.com.evil.test', 'https://acme.us.auth0.com.evil.test/'],
    ['acme.us-auth0.com', 'https://acme.us-auth0.com/'],
    ['.auth0.com', 'https://.auth0.com/'],
  ])('%s → %s', (tenant, expected) => {
    expect(base(tenant)).toBe(expected);
  });

  it('percent-encodes the client id into the path', () => {
    expect(clientConfigUrl(tenantBaseUrl('acme.auth0.com'), '../x?y').href).toBe(
      'https://cdn.auth0.com/client/..%2Fx%3Fy.js',
    );
  });
});

const script = (obj: unknown) => `Auth0.setClient(${JSON.stringify(obj)});`;
const DEMO = {
  id: 'app',
  tenant: 'acme',
  subscription: 'free',
  strategies: [
    {
      name: 'auth0',
      connections: [
        { name: 'db', passwordPolicy: 'excellent', showSignup: false, requires_username: true },
        { name: 'plain-db' },
      ],
    },
    {
      name: 'ad',
      connections: [
        {
          name: 'corp-ad',
          domain: 'Corp.Example.',
          domain_aliases: ['EXAMPLE.com', 'corp.example'],
        },
      ],
    },
    { name: 'sms', connections: [{ name: 'sms' }] },
    { name: 'google-oauth2', connections: [{ name: 'google', unknownField: 1 }] },
    { name: 'waad', connections: [{ name: 'azure', domain: 'azure.example' }] },
  ],
};

describe('parseClientScript', () => {
  it('reads the connections Lock reads, defaults filled in, domains lower-cased', () => {
    expect(parseClientScript(script(DEMO), 'app').connections).toEqual([
      {
        name: 'db',
        strategy: 'auth0',
        kind: 'database',
        passwordPolicy: 'excellent',
        showSignup: false,
        showForgot: true,
        requiresUsername: true,
      },
      {
        name: 'plain-db',
        strategy: 'auth0',
        kind: 'database',
        passwordPolicy: 'none',
        showSignup: true,
        showForgot: true,
        requiresUsername: false,
      },
      { name: 'corp-ad', strategy: 'ad', kind: 'ad', domains: ['corp.example', 'example.com'] },
      { name: 'sms', strategy: 'sms', kind: 'sms' },
      { name: 'google', strategy: 'google-oauth2', kind: 'other' },
      // Spec §1: /oauth/ro signs in with Azure AD and ADFS connections too.
      { name: 'azure', strategy: 'waad', kind: 'ad', domains: ['azure.example'] },
    ]);
  });

  it('skips a bad connection or domain and keeps the rest, saying what was skipped', () => {
    const { connections, skipped } = parseClientScript(
      script({
        strategies: [
          {
            name: 'auth0',
            connections: [
              { name: 'x'.repeat(201) },
              { name: 'weak-policy', passwordPolicy: 'weak' },
              { name: 'db', showSignup: 'yes' },
              { name: 'good-db' },
            ],
          },
          {
            name: 'ad',
            connections: [
              {
                name: 'corp',
                domain: 'Corp.Example',
                domain_aliases: ['a b/c', '*.corp.example', 'bücher.example', 'ok.example'],
              },
              { name: 'no-domains', domain_aliases: 'corp.example' },
            ],
          },
          {
            name: 'adfs',
            connections: [{ name: 'fs', domain: 7 }],
          },
          // Fields Signet never reads are not checked for strategies it cannot use.
          {
            name: 'samlp',
            connections: [{ name: 'saml', domain_aliases: ['*.example.com'], domain: 'x y' }],
          },
        ],
      }),
      'app',
    );
    expect(connections).toEqual([
      {
        name: 'good-db',
        strategy: 'auth0',
        kind: 'database',
        passwordPolicy: 'none',
        showSignup: true,
        showForgot: true,
        requiresUsername: false,
      },
      { name: 'corp', strategy: 'ad', kind: 'ad', domains: ['corp.example', 'ok.example'] },
      { name: 'no-domains', strategy: 'ad', kind: 'ad' },
      { name: 'fs', strategy: 'adfs', kind: 'ad' },
      { name: 'saml', strategy: 'samlp', kind: 'other' },
    ]);
    expect(skipped).toEqual([
      expect.stringMatching(/^strategies\.0\.connections\.0\.name: /),
      expect.stringMatching(/^strategies\.0\.connections\.1\.passwordPolicy: /),
      expect.stringMatching(/^strategies\.0\.connections\.2\.showSignup: /),
      expect.stringMatching(/^strategies\.1\.connections\.0\.domain_aliases\.0: /),
      expect.stringMatching(/^strategies\.1\.connections\.0\.domain_aliases\.1: /),
      expect.stringMatching(/^strategies\.1\.connections\.0\.domain_aliases\.2: /),
      expect.stringMatching(/^strategies\.1\.connections\.1\.domain_aliases: /),
      expect.stringMatching(/^strategies\.2\.connections\.0\.domain: /),
    ]);
  });

  it('counts the connection limit over connections Signet can use, keeping the first ones', () => {
    const many = (strategy: string, n: number) => ({
      name: strategy,
      connections: Array.from({ length: n }, (_, i) => ({ name: `${strategy}-${i}` })),
    });
    const { connections, skipped } = parseClientScript(
      script({ strategies: [many('google-oauth2', 150), many('auth0', 120)] }),
      'app',
    );
    // The copy on disk holds at most 100: the usable ones go first, the rest are skipped.
    expect(connections).toHaveLength(100);
    expect(connections[0]?.name).toBe('auth0-0');
    expect(connections.at(-1)?.name).toBe('auth0-99');
    expect(skipped).toHaveLength(150 + 20);

    const few = parseClientScript(
      script({ strategies: [many('google-oauth2', 150), many('auth0', 2)] }),
      'app',
    );
    expect(few.connections.map((c) => c.name)).toEqual([
      ...Array.from({ length: 98 }, (_, i) => `google-oauth2-${i}`),
      'auth0-0',
      'auth0-1',
    ]);
  });

  it('tolerates white space, a BOM and a missing semicolon', () => {
    const text = `\uFEFF\n  Auth0 . setClient (\n ${JSON.stringify(DEMO, null, 2)} \n ) \n`;
    expect(parseClientScript(text, 'app').connections).toHaveLength(6);
  });

  it.each([
    ['an HTML page', '<!doctype html><html><body>Proxy login</body></html>', 'not_a_client_script'],
    ['an empty body', '', 'not_a_client_script'],
    ['code instead of JSON', 'Auth0.setClient(alert(1));', 'not_json'],
    ['code after the call', `${script(DEMO)}alert(1);`, 'not_json'],
    ['code before the call', `alert(1);${script(DEMO)}`, 'not_a_client_script'],
    ['another function', `Auth0.evil(${JSON.stringify(DEMO)});`, 'not_a_client_script'],
    ['a JSON comment', `Auth0.setClient(/*x*/${JSON.stringify(DEMO)});`, 'not_json'],
    [
      'a __proto__ key',
      'Auth0.setClient({"strategies":[],"__proto__":{"polluted":1}});',
      'poisoned_key',
    ],
    [
      'a nested constructor key',
      'Auth0.setClient({"strategies":[{"name":"auth0","connections":[{"name":"x","constructor":{}}]}]});',
      'poisoned_key',
    ],
    ['no strategies', script({ id: 'app' }), 'invalid_fields'],
    ['strategies that are not a list', script({ strategies: { auth0: [] } }), 'invalid_fields'],
    [
      'a connections field that is not a list',
      script({ strategies: [{ name: 'auth0', connections: 'db' }] }),
      'invalid_fields',
    ],
    ['another client', script({ ...DEMO, id: 'other' }), 'other_client'],
    [
      'a body over the limit',
      `Auth0.setClient({"strategies":[],"pad":"${'x'.repeat(MAX_CLIENT_SCRIPT_BYTES)}"});`,
      'too_large',
    ],
  ])('refuses %s', (_what, text, problem) => {
    expect(() => parseClientScript(text, 'app')).toThrow(expect.objectContaining({ problem }));
  });

  it('refuses a full-size script that opens like one but never closes (no backtracking)', () => {
    // The review's input: the wrapper's start, then a run of white space and a stray letter,
    // padded to the size cap. A backtracking wrapper pattern took minutes on this.
    const head = 'Auth0.setClient({})';
    const text = head + ' '.repeat(MAX_CLIENT_SCRIPT_BYTES - head.length - 1) + 'x';
    expect(text.length).toBe(MAX_CLIENT_SCRIPT_BYTES);
    expect(() => parseClientScript(text, 'app')).toThrow(
      expect.objectContaining({ problem: 'not_a_client_script' }),
    );
  });

  it('never pollutes Object.prototype', () => {
    try {
      parseClientScript('Auth0.setClient({"strategies":[],"__proto__":{"polluted":1}});', 'app');
    } catch {
      // refused, as above
    }
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});
