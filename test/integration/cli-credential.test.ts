/**
 * `signet credential git|docker` and `signet setup git` with the real `git` (2.x) calling the
 * real `signet` by name on PATH, a session signed in against the local tenant and kept in the
 * real keychain. Each git run has a scratch HOME and global config, no system config, and
 * `GIT_TERMINAL_PROMPT=0`: when no helper answers, git fails instead of prompting.
 * Run alone: `node scripts/test.mjs test/integration/cli-credential.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from '@github/keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSignet, tenantFlags } from '../fixtures/cli.js';
import * as demo from '../fixtures/demo';
import { keyringMissing } from '../fixtures/keyring.js';
import { writeJson } from '../fixtures/settings-files.js';
import { addDbUser, startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';
import { runTool, signetOnPath, signetRunsAs, type ToolRun } from '../fixtures/tools.js';

const noKeyring = await keyringMissing();
const scratch = tempDirs('signet-cred-');
const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
/** Keychain services: ada's session; none at all; a user whose name holds a line break. */
const SERVICE = `signet-test-cred-${tag}`;
const EMPTY = `signet-test-cred-empty-${tag}`;
const FORGED = `signet-test-cred-forged-${tag}`;
const HOSTS = ['git.corp.example', '*.apps.corp.example', 'registry.corp.example:5000'];
const ADA = demo.ADA.username;
const DB = 'Username-Password-Authentication';
/** A tenant user name that would end git's `username=` line and forge a `password=` line. */
const FORGING_NAME = 'eve\npassword=forged';

let t: TestTenant;
let dir: string;
let bin: string;

/** The environment of a run: isolated settings, keychain service, HOME and git config. */
function envOf(service = SERVICE, settings = join(dir, 'settings.json'), home = dir) {
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    SIGNET_KEYCHAIN_SERVICE: service,
    SIGNET_SETTINGS: settings,
    SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
  };
}

/** git's credential request for `host` (and `more` lines), as git writes it. */
const request = (host: string, protocol = 'https', more = '') =>
  `protocol=${protocol}\nhost=${host}\n${more}\n`;

/** `git credential fill` with Signet as the only helper. */
const fill = (host: string, protocol = 'https', env = envOf()) =>
  runTool('git', ['-c', 'credential.helper=!signet credential git', 'credential', 'fill'], {
    input: request(host, protocol),
    env,
  });

/** The helper itself, as git runs it: `signet credential git <action>` with `input`. */
const helper = (action: string, input: string | Buffer, env = envOf()) =>
  runTool('signet', ['credential', 'git', action], { input, env });

/** What `signet token` prints for the default session: what the helpers must hand out. */
async function token(env = envOf()): Promise<string> {
  const r = await runTool('signet', ['token'], { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

const answered = (r: ToolRun) =>
  Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );

async function signIn(username: string, password: string, service: string): Promise<void> {
  const r = await runSignet(
    [
      'login',
      ...tenantFlags(t.url, t.clientId),
      '--connection',
      DB,
      '--username',
      username,
      '--password-stdin',
      '--json',
    ],
    { input: `${password}\n`, env: envOf(service) },
  );
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  dir = scratch();
  bin = signetOnPath(scratch());
  console.log(`[credential] signet on PATH runs ${signetRunsAs()}`);
  writeJson(dir, 'settings.json', { credentialHosts: HOSTS });
  t = await startTestTenant();
  if (noKeyring) return;
  await addDbUser(t, {
    username: FORGING_NAME,
    email: 'eve@signet.test',
    password: 'Eve-pass-1234',
  });
  await signIn(ADA, demo.ADA.password, SERVICE);
  await signIn(FORGING_NAME, 'Eve-pass-1234', FORGED);
});

afterAll(async () => {
  await t?.close();
  if (!noKeyring)
    for (const s of [SERVICE, EMPTY, FORGED])
      for (const c of await keytar.findCredentials(s)) await keytar.deletePassword(s, c.account);
});

describe.skipIf(noKeyring)('signet credential git with the real git', () => {
  it('gives a listed host the signed-in user and the token signet token prints', async () => {
    const r = await fill('git.corp.example');
    expect(r.code, r.stderr).toBe(0);
    const a = answered(r);
    expect(a).toMatchObject({ protocol: 'https', host: 'git.corp.example', username: ADA });
    expect(a.password).toBe(await token());
    expect(r.stderr).toBe('');
  });

  it('answers nothing for an unlisted host: git fails without prompting and Signet says nothing', async () => {
    for (const host of [
      'github.com',
      'evilgit.corp.example',
      'git.corp.example.evil.com',
      'corp.example',
    ]) {
      const r = await fill(host);
      expect(r.code, host).not.toBe(0);
      expect(r.stdout, host).toBe('');
      expect(r.stderr, host).toMatch(/terminal prompts disabled/);
      expect(r.stderr, host).not.toMatch(/signet/);
    }
  });

  it('matches *.apps.corp.example for one label only, in any case, with or without the root dot', async () => {
    const tok = await token();
    for (const host of ['ci.apps.corp.example', 'CI.Apps.Corp.Example', 'ci.apps.corp.example.'])
      expect(answered(await fill(host)).password, host).toBe(tok);
    for (const host of [
      'apps.corp.example',
      'a.ci.apps.corp.example',
      'ci.apps.corp.example.evil.com',
    ]) {
      const r = await fill(host);
      expect(r.stdout, host).toBe('');
      expect(r.code, host).not.toBe(0);
    }
  });

  it('answers a listed port only on that port, and a plain host only on 443', async () => {
    expect(answered(await fill('registry.corp.example:5000')).username).toBe(ADA);
    expect(answered(await fill('git.corp.example:443')).username).toBe(ADA);
    for (const host of ['registry.corp.example', 'git.corp.example:8443']) {
      const r = await fill(host);
      expect(r.stdout, host).toBe('');
    }
  });

  it('never sends the token over plain http, and says why on stderr', async () => {
    const r = await fill('git.corp.example', 'http');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/signet: no token for git\.corp\.example over http: only https/);
    const direct = await helper('get', request('git.corp.example', 'http'));
    expect([direct.code, direct.stdout]).toEqual([0, '']);
  });

  it('store and erase read the request and change nothing; the token still comes after', async () => {
    const creds = `protocol=https\nhost=git.corp.example\nusername=${ADA}\npassword=typed-by-someone\n\n`;
    for (const action of ['approve', 'reject']) {
      const r = await runTool(
        'git',
        ['-c', 'credential.helper=!signet credential git', 'credential', action],
        { input: creds, env: envOf() },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toBe('');
    }
    for (const action of ['store', 'erase', 'some-future-operation']) {
      const r = await helper(action, creds);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
    expect(answered(await fill('git.corp.example')).password).toBe(await token());
  });

  it('not signed in: nothing on stdout, one line on stderr naming what to do, exit 1; git then fails', async () => {
    const direct = await helper('get', request('git.corp.example'), envOf(EMPTY));
    expect(direct.code).toBe(1);
    expect(direct.stdout).toBe('');
    expect(direct.stderr.trim().split('\n')).toHaveLength(1);
    expect(direct.stderr).toMatch(/^signet: .*signet login/);
    const viaGit = await fill('git.corp.example', 'https', envOf(EMPTY));
    expect(viaGit.code).not.toBe(0);
    expect(viaGit.stdout).toBe('');
    expect(viaGit.stderr).toContain(direct.stderr.trim());
    expect(viaGit.stderr).toMatch(/terminal prompts disabled/);
  });
});

describe.skipIf(noKeyring)('signet credential git under attack', () => {
  it('a host line with a CR, NUL or control character inside matches nothing', async () => {
    for (const host of [
      'git.corp.exa\rmple',
      'git.corp.exa\u0000mple',
      'git.corp.example\u001b[31m',
      'git.corp.example\u0085',
    ]) {
      const r = await helper('get', `protocol=https\nhost=${host}\n\n`);
      expect([r.code, r.stdout], JSON.stringify(host)).toEqual([0, '']);
    }
    // A CRLF line ending is read as git reads it: the CR ends the line, it is not in the host.
    const crlf = await helper('get', 'protocol=https\r\nhost=git.corp.example\r\n\r\n');
    expect(answered(crlf).username).toBe(ADA);
    // git itself refuses a value with a line break; written raw, the second line is a new key.
    const split = await helper('get', 'protocol=https\nhost=evil.example\ngit.corp.example\n\n');
    expect(split.stdout).toBe('');
  });

  it('a request naming host or protocol twice is refused, whichever comes last', async () => {
    for (const input of [
      'protocol=https\nhost=evil.example\nhost=git.corp.example\n\n',
      'protocol=https\nhost=git.corp.example\nhost=evil.example\n\n',
      'protocol=http\nprotocol=https\nhost=git.corp.example\n\n',
    ]) {
      const r = await helper('get', input);
      expect(r.stdout, input).toBe('');
      expect(r.code, input).toBe(2);
      expect(r.stderr).toMatch(/^signet: credential request refused: .* twice/);
    }
  });

  it('userinfo or a path in the host gets nothing', async () => {
    for (const host of [
      'evil.example@git.corp.example',
      'git.corp.example@evil.example',
      'git.corp.example/x',
    ])
      expect((await helper('get', request(host))).stdout, host).toBe('');
  });

  it('reads a bounded request: 20 MB without an end is refused, unread past 64 KiB', async () => {
    const huge = Buffer.alloc(20 * 1024 * 1024, 'a');
    const r = await helper('get', huge);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/longer than 65536 bytes/);
    // A proper request followed by junk is answered: the blank line ends it.
    const tail = await helper(
      'get',
      Buffer.concat([Buffer.from(request('git.corp.example')), Buffer.alloc(1024 * 1024, 'a')]),
    );
    expect(answered(tail).username).toBe(ADA);
  });

  it('a user name with a line break is refused, never written: no forged password line', async () => {
    const direct = await helper('get', request('git.corp.example'), envOf(FORGED));
    expect(direct.stdout).toBe('');
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/^signet: .*line break/);
    const viaGit = await fill('git.corp.example', 'https', envOf(FORGED));
    expect(viaGit.stdout).not.toMatch(/forged/);
    expect(viaGit.code).not.toBe(0);
  });
});

describe.skipIf(noKeyring)('signet credential docker', () => {
  const docker = (action: string, input: string, env = envOf()) =>
    runTool('signet', ['credential', 'docker', action], { input, env });

  it('get answers ServerURL, Username and Secret (the token) for a listed registry', async () => {
    const url = 'https://registry.corp.example:5000/v2/';
    const r = await docker('get', `${url}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ServerURL: url, Username: ADA, Secret: await token() });
    expect(JSON.parse((await docker('get', 'registry.corp.example:5000')).stdout).Username).toBe(
      ADA,
    );
  });

  it('an unlisted, plain-http or userinfo server gets Docker\'s "not found" and exit 1', async () => {
    for (const url of [
      'https://index.docker.io/v1/',
      'http://registry.corp.example:5000',
      'https://registry.corp.example/',
      'https://x@registry.corp.example:5000/',
      'registry.corp.example:5000.evil.com',
    ]) {
      const r = await docker('get', url);
      expect([r.code, r.stdout], url).toEqual([1, 'credentials not found in native keychain\n']);
    }
  });

  it('not signed in: "not found" for Docker, one line on stderr for the user', async () => {
    const r = await docker('get', 'https://registry.corp.example:5000', envOf(EMPTY));
    expect([r.code, r.stdout]).toEqual([1, 'credentials not found in native keychain\n']);
    expect(r.stderr).toMatch(/^signet: .*signet login/);
  });

  it('list answers an empty object; store and erase change nothing', async () => {
    expect(JSON.parse((await docker('list', '')).stdout)).toEqual({});
    const stored = await docker(
      'store',
      '{"ServerURL":"https://registry.corp.example:5000","Username":"x","Secret":"y"}',
    );
    expect([stored.code, stored.stdout]).toEqual([0, '']);
    expect(JSON.parse((await docker('get', 'registry.corp.example:5000')).stdout).Secret).toBe(
      await token(),
    );
  });
});

describe.skipIf(noKeyring)('signet setup git', () => {
  it('prints the git config lines and changes nothing', async () => {
    const home = scratch();
    const r = await runTool('signet', ['setup', 'git', '--host', 'Git.Other.Example'], {
      env: envOf(SERVICE, join(dir, 'settings.json'), home),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `git config --global --replace-all credential.https://git.other.example.helper ''`,
        `git config --global --add credential.https://git.other.example.helper '!signet credential git'`,
        '',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(/add git\.other\.example/);
    expect(existsSync(join(home, 'gitconfig'))).toBe(false);
  });

  it('a host that is not one is refused as a usage error naming it, and nothing is printed', async () => {
    const home = scratch();
    const r = await runTool('signet', ['setup', 'git', '--host', '*.example'], {
      env: envOf(SERVICE, join(dir, 'settings.json'), home),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '--host "*.example": a wildcard needs at least two labels after it (*.corp.example, not *.example)',
    );
  });

  it('--apply lists the host and configures git so that only Signet answers for it', async () => {
    const home = scratch();
    const settings = writeJson(home, 'settings.json', {});
    const env = envOf(SERVICE, settings, home);
    // A global helper that would otherwise keep the token in plain text after each use.
    writeFileSync(join(home, 'gitconfig'), '[credential]\n\thelper = store\n');
    const r = await runTool('signet', ['setup', 'git', '--host', 'git.corp.example', '--apply'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(settings, 'utf8')).credentialHosts).toEqual([
      'git.corp.example',
    ]);
    const fillAt = (url: string) =>
      runTool('git', ['credential', 'fill'], { input: `url=${url}\n\n`, env });
    const got = await fillAt('https://git.corp.example/team/repo.git');
    expect(got.code, got.stderr).toBe(0);
    expect(answered(got).password).toBe(await token(env));
    // git hands every helper the credentials to store after a success: the store helper no longer sees them.
    const approve = await runTool('git', ['credential', 'approve'], { input: got.stdout, env });
    expect(approve.code, approve.stderr).toBe(0);
    expect(existsSync(join(home, '.git-credentials'))).toBe(false);
    // Other hosts keep the user's own helper.
    expect((await fillAt('https://other.example/')).stderr).toMatch(/terminal prompts disabled/);
    // Applying twice leaves one Signet helper.
    await runTool('signet', ['setup', 'git', '--host', 'git.corp.example', '--apply'], { env });
    const all = await runTool(
      'git',
      ['config', '--global', '--get-all', 'credential.https://git.corp.example.helper'],
      { env },
    );
    expect(all.stdout).toBe('\n!signet credential git\n');
  });

  it("naming a session pins the helper to it; git then gets that session's token", async () => {
    const home = scratch();
    const env = envOf(SERVICE, writeJson(home, 'settings.json', {}), home);
    const args = ['setup', 'git', '--host', 'git.corp.example', '--username', ADA];
    const printed = await runTool('signet', args, { env });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(
      `'!signet credential git --tenant ${t.url} --client-id ${t.clientId} --username ${ADA}'`,
    );
    expect((await runTool('signet', [...args, '--apply'], { env })).code).toBe(0);
    const got = await runTool('git', ['credential', 'fill'], {
      input: 'url=https://git.corp.example/\n\n',
      env,
    });
    expect(answered(got).password).toBe(await token(env));
    const nobody = await runTool(
      'signet',
      ['setup', 'git', '--host', 'x.corp.example', '--username', 'nobody@signet.test'],
      { env },
    );
    expect([nobody.code, nobody.stdout]).toEqual([1, '']);
  });

  it('--apply when IT locks credentialHosts without the host: refused, nothing changed', async () => {
    const home = scratch();
    const settings = writeJson(home, 'settings.json', {});
    const managed = writeJson(home, 'managed.json', { credentialHosts: ['*.corp.example'] });
    const env = { ...envOf(SERVICE, settings, home), SIGNET_CONFIG: managed };
    const r = await runTool(
      'signet',
      ['setup', 'git', '--host', 'git.elsewhere.example', '--apply'],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /credentialHosts is set by your organisation .* does not list git\.elsewhere\.example; nothing was changed/,
    );
    expect(existsSync(join(home, 'gitconfig'))).toBe(false);
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({});
    // A host the managed list covers is configured in git, the settings left alone.
    const ok = await runTool('signet', ['setup', 'git', '--host', 'git.corp.example', '--apply'], {
      env,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({});
    expect(readFileSync(join(home, 'gitconfig'), 'utf8')).toContain(
      '[credential "https://git.corp.example"]',
    );
    // The helper answers from the managed list.
    const got = await runTool('git', ['credential', 'fill'], {
      input: 'url=https://git.corp.example/\n\n',
      env,
    });
    expect(answered(got).username).toBe(ADA);
  });
});
