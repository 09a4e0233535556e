/**
 * "Use from other tools" as main serves it (toolSetup, copyToolCommand): the texts are for the
 * shown account and are what the real `git` and `kubectl` accept; the page can only have main
 * copy one of main's own texts; `signet` is looked up on PATH and beside the app. Real local
 * tenant over HTTP, the real service; the real git and kubectl binaries read what we hand out.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliStatus } from '../../src/main/cli-location';
import type { SignetService } from '../../src/main/service';
import { PLACEHOLDER_GIT_HOST } from '../../src/main/tool-commands';
import type { ToolSetupView } from '../../src/shared/ipc';
import * as demo from '../fixtures/demo';
import { serviceOn, writeJson } from '../fixtures/settings-files';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';

const ADA = {
  connection: 'Username-Password-Authentication',
  username: 'ada@signet.test',
  password: demo.ADA.password,
  scope: 'remember',
} as const;

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
};

describe('main serves the tool setups of the shown session', () => {
  let tenant: TestTenant;
  let service: SignetService;
  let dir: string;
  const copied: string[] = [];

  beforeAll(async () => {
    tenant = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'signet-tools-'));
    service = serviceOn(
      writeJson(dir, 'settings.json', { tenant: tenant.url, clientId: tenant.clientId }),
      undefined,
      { clipboard: { writeText: (t) => void copied.push(t) }, cliDirs: [] },
    );
  });
  afterAll(async () => {
    await service?.close();
    await tenant?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers not_signed_in before a sign-in, and copies nothing', async () => {
    expect(await service.dispatch('toolSetup', {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(await service.dispatch('copyToolCommand', { tool: 'git' })).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(copied).toEqual([]);
  });

  it('gives the shown account’s commands, which the real git and kubectl accept', async () => {
    await service.calls.signIn(ADA);
    const r = await service.dispatch('toolSetup', {});
    expect(r.ok).toBe(true);
    const view = (r as { value: ToolSetupView }).value;
    expect(view.account).toEqual({
      tenant: tenant.url,
      clientId: tenant.clientId,
      username: ADA.username,
    });
    expect(view.commands.map((c) => c.tool)).toEqual(['git', 'kubectl', 'curl']);
    const text = (tool: string) => view.commands.find((c) => c.tool === tool)!.text;

    const home = mkdtempSync(join(tmpdir(), 'signet-tools-home-'));
    try {
      // The git line, run as the user would paste it, makes Signet the helper for that host
      // only (the last helper configured for the URL is the one git asks last).
      const git = { env: { ...process.env, HOME: home }, encoding: 'utf8' } as const;
      execFileSync('sh', ['-c', text('git')], git);
      const key = `credential.https://${PLACEHOLDER_GIT_HOST}.helper`;
      const helpers = execFileSync('git', ['config', '--global', '--get-all', key], git);
      expect(helpers.trim().split('\n').at(-1)).toMatch(/^!signet credential git( |$)/);
      expect(execFileSync('git', ['config', '--global', '--list'], git)).not.toMatch(
        /^credential\.helper=/m,
      );

      // The kubeconfig user, as kubectl reads it: the exec plugin runs `signet token` for Ada.
      if (has('kubectl')) {
        const kubeconfig = join(home, 'config');
        writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\n${text('kubectl')}`);
        const user = JSON.parse(
          execFileSync('kubectl', ['config', 'view', '-o', 'jsonpath={.users[0].user.exec}'], {
            env: { ...process.env, KUBECONFIG: kubeconfig },
            encoding: 'utf8',
          }),
        ) as { command: string; args: string[] };
        expect(user.command).toBe('signet');
        expect(user.args).toEqual([
          'token',
          '--format',
          'kubectl',
          '--tenant',
          tenant.url,
          '--client-id',
          tenant.clientId,
          '--username',
          ADA.username,
        ]);
      } else console.log('kubectl is not installed: its part of this test is skipped');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    // No secret in anything handed out.
    const tokens = await service.calls.revealTokens({});
    const all = JSON.stringify(view);
    for (const secret of [
      ADA.password,
      tokens.id_token!,
      tokens.access_token,
      tokens.refresh_token!,
    ])
      expect(all).not.toContain(secret);
  });

  it('copies only its own text of a named tool; anything else is refused', async () => {
    const view = await service.calls.toolSetup({});
    expect(await service.dispatch('copyToolCommand', { tool: 'curl' })).toEqual({
      ok: true,
      value: { copied: 'curl' },
    });
    expect(copied).toEqual([view.commands.find((c) => c.tool === 'curl')!.text]);
    for (const bad of [{ tool: 'sh' }, { tool: 'git', text: 'rm -rf ~' }, {}])
      expect(await service.dispatch('copyToolCommand', bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    expect(copied).toHaveLength(1);
  });
});

describe('where signet is (main/cli-location.ts)', () => {
  const dirs: string[] = [];
  const folder = (mode?: number) => {
    const d = mkdtempSync(join(tmpdir(), 'signet-path-'));
    dirs.push(d);
    if (mode !== undefined) {
      writeFileSync(join(d, 'signet'), '#!/bin/sh\n');
      chmodSync(join(d, 'signet'), mode);
    }
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds an executable signet on PATH, and skips one that cannot run', async () => {
    const notRunnable = folder(0o644);
    const runnable = folder(0o755);
    const status = await cliStatus({
      bundledDirs: [],
      env: { PATH: `${notRunnable}:${runnable}` },
      platform: 'linux',
    });
    expect(status).toEqual({ onPath: join(runnable, 'signet'), bundled: null, hint: null });
  });

  it('when it is not on PATH, says how to link the one the app carries, per platform', async () => {
    const bundled = folder(0o755);
    const path = folder();
    const exe = join(bundled, 'signet');
    const linux = await cliStatus({ bundledDirs: [bundled], env: { PATH: path } });
    expect(linux.onPath).toBeNull();
    expect(linux.bundled).toBe(exe);
    expect(linux.hint?.command).toBe(`sudo ln -sf ${exe} /usr/local/bin/signet`);
    // An AppImage's files move at every start: the hint copies them out first.
    const appImage = await cliStatus({
      bundledDirs: [bundled],
      env: { PATH: path, APPIMAGE: '/home/ada/Signet.AppImage' },
      platform: 'linux',
    });
    expect(appImage.hint?.command).toContain(`cp -r ${bundled}/. ~/.local/lib/signet/`);
    // Nothing bundled (an unbuilt checkout): it says where signet comes from.
    const none = await cliStatus({ bundledDirs: [path], env: { PATH: path }, platform: 'linux' });
    expect(none).toMatchObject({ onPath: null, bundled: null });
    expect(none.hint?.text).toMatch(/npm run build:cli/);
    expect(none.hint?.command).toBeUndefined();
  });
});
