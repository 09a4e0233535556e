/**
 * Which hosts the credential helpers give the token to (src/shared/credential-hosts.ts), and the
 * `credentialHosts` setting that lists them: every spelling of a listed host matches, nothing
 * that merely looks like one does.
 */
import { describe, expect, it } from 'vitest';
import {
  canonicalHost,
  isCredentialHost,
  parseHostPattern,
} from '../../src/shared/credential-hosts';
import { SETTINGS_LIMITS, SettingsSchema } from '../../src/shared/settings';
import { gitConfigCommands, gitConfigLine } from '../../src/shared/tool-setup';

const LIST = ['git.corp.example', '*.apps.corp.example', 'registry.corp.example:5000'];
const ok = (host: string) => isCredentialHost(LIST, host);

describe('credential host matching', () => {
  it('matches a listed host in every spelling of it: case, trailing dot, :443, IDN', () => {
    for (const h of [
      'git.corp.example',
      'GIT.Corp.Example',
      'git.corp.example.',
      'git.corp.example:443',
    ])
      expect(ok(h), h).toBe(true);
    expect(isCredentialHost(['bücher.corp.example'], 'xn--bcher-kva.corp.example')).toBe(true);
    expect(isCredentialHost(['xn--bcher-kva.corp.example'], 'BÜCHER.corp.example')).toBe(true);
  });

  it('matches only a host spelled as the host: no spelling the URL parser folds onto it', () => {
    for (const h of [
      'git.corp\u00adexample', // a soft hyphen, dropped by IDNA
      'git.corp.example\u200b', // a zero-width space
      'ｇｉｔ.corp.example', // fullwidth letters
      'git\uff0ecorp\uff0eexample', // fullwidth dots
      'git.corp.example:0443', // a port with a leading zero
    ])
      expect(ok(h), JSON.stringify(h)).toBe(false);
    const ip = ['10.0.0.5'];
    expect(isCredentialHost(ip, '10.0.0.5')).toBe(true);
    for (const h of ['167772165', '0xa.0.0.5', '012.0.0.5', '10.5'])
      expect(isCredentialHost(ip, h), h).toBe(false);
  });

  it('does not match look-alikes: a longer name, a suffix, a prefix, another label', () => {
    for (const h of [
      'evilgit.corp.example',
      'git.corp.example.evil.com',
      'git.corp.example.evil.com.',
      'corp.example',
      'agit.corp.example',
      'git-corp.example',
    ])
      expect(ok(h), h).toBe(false);
  });

  it('*.apps.corp.example matches one label only, never the bare domain or a look-alike', () => {
    expect(ok('ci.apps.corp.example')).toBe(true);
    expect(ok('CI.Apps.Corp.Example.')).toBe(true);
    for (const h of [
      'apps.corp.example',
      'a.b.apps.corp.example',
      'evilapps.corp.example',
      'ci.apps.corp.example.evil.com',
      'ci-apps.corp.example',
    ])
      expect(ok(h), h).toBe(false);
  });

  it('a port must be the listed one; no port in the entry means 443 only', () => {
    expect(ok('git.corp.example:8443')).toBe(false);
    expect(ok('registry.corp.example:5000')).toBe(true);
    expect(ok('registry.corp.example')).toBe(false);
    expect(ok('registry.corp.example:5001')).toBe(false);
  });

  it('refuses anything that is more than host[:port]: user info, paths, controls, newlines', () => {
    for (const h of [
      'evil.com@git.corp.example',
      'git.corp.example@evil.com',
      'git.corp.example/evil',
      'git.corp.example\nhost=evil.com',
      'git.corp.example\r',
      'git.corp.exa\u0000mple',
      'git.corp.example\u0085',
      ' git.corp.example',
      'git%2ecorp.example',
      'git.corp.example:99999',
      'git..corp.example',
      '[::1]',
      '',
      `${'a.'.repeat(200)}git.corp.example`,
    ])
      expect(canonicalHost(h), JSON.stringify(h)).toBeUndefined();
  });

  it('refuses entries that would cover too much or are not hosts', () => {
    for (const e of [
      '*.example',
      '*',
      '*.*.corp.example',
      'a.*.example',
      '*.10.0.0.1',
      'https://git.corp.example',
      'user@git.corp.example',
    ])
      expect(typeof parseHostPattern(e), e).toBe('string');
  });
});

describe('the credentialHosts setting', () => {
  it('keeps entries in canonical form and defaults to none', () => {
    expect(SettingsSchema.parse({}).credentialHosts).toEqual([]);
    expect(
      SettingsSchema.parse({
        credentialHosts: ['Git.Corp.Example.', '*.Apps.Corp.Example', 'bücher.example:443'],
      }).credentialHosts,
    ).toEqual(['git.corp.example', '*.apps.corp.example', 'xn--bcher-kva.example']);
  });

  it('refuses a bad entry, naming it, and a list past the limit', () => {
    const bad = SettingsSchema.safeParse({ credentialHosts: ['git.corp.example', '*.example'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['credentialHosts', 1]);
    expect(bad.error?.issues[0]?.message).toContain('"*.example"');
    const many = Array.from(
      { length: SETTINGS_LIMITS.credentialHosts + 1 },
      (_, i) => `h${i}.corp.example`,
    );
    expect(SettingsSchema.safeParse({ credentialHosts: many }).success).toBe(false);
  });
});

describe('the git config lines', () => {
  it('clear the helpers before Signet for that URL only, quoted for a shell', () => {
    expect(gitConfigCommands('*.apps.corp.example')).toEqual([
      ['config', '--global', '--replace-all', 'credential.https://*.apps.corp.example.helper', ''],
      [
        'config',
        '--global',
        '--add',
        'credential.https://*.apps.corp.example.helper',
        '!signet credential git',
      ],
    ]);
    expect(gitConfigLine('git.corp.example', '/opt/My Signet/signet')).toBe(
      `git config --global --replace-all credential.https://git.corp.example.helper '' && git config --global --add credential.https://git.corp.example.helper '!'\\''/opt/My Signet/signet'\\'' credential git'`,
    );
  });
});

describe("Docker's server URL", () => {
  it('is matched as Docker wrote its host, never as the URL parser folded it', async () => {
    const { dockerServerHost } = await import('../../src/cli/credential');
    expect(dockerServerHost('https://registry.corp.example/v1/')).toBe('registry.corp.example');
    expect(dockerServerHost('registry.corp.example:5000')).toBe('registry.corp.example:5000');
    for (const u of [
      'https://registry.corp\u00adexample/v1/',
      'ｒｅｇｉｓｔｒｙ.corp.example',
      'http://registry.corp.example/',
      'https://user@registry.corp.example/',
    ])
      expect(dockerServerHost(u), JSON.stringify(u)).toBeUndefined();
  });
});
