/**
 * `signet setup kubectl` and `signet token --format kubectl` with the real kubectl: the
 * kubeconfig user Signet prints, pasted into a kubeconfig whose cluster is a loopback HTTPS
 * stand-in for a Kubernetes API server (test/fixtures/kube-api.ts) that checks the bearer
 * id_token against the local tenant's keys. kubectl runs `signet` (on PATH, the real CLI) as
 * its exec credential plugin. Run alone:
 * `node scripts/test.mjs test/integration/cli-kubectl.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from '@github/keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSignet, tenantFlags } from '../fixtures/cli.js';
import * as demo from '../fixtures/demo';
import { keyringMissing } from '../fixtures/keyring.js';
import { startKubeApi, type KubeApi } from '../fixtures/kube-api.js';
import { serviceMissing } from '../fixtures/services.js';
import { writeJson } from '../fixtures/settings-files.js';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';
import { runTool, signetOnPath, signetRunsAs } from '../fixtures/tools.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const noKubectl = serviceMissing(
  'kubectl',
  existsSync(KUBECTL)
    ? undefined
    : `${KUBECTL} is missing (install kubectl, or Debian's kubernetes-client)`,
);
const noKeyring = await keyringMissing();
const scratch = tempDirs('signet-kubectl-');
const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
const SERVICE = `signet-test-kubectl-${tag}`;
const EMPTY = `signet-test-kubectl-empty-${tag}`;

let t: TestTenant;
let api: KubeApi;
let dir: string;
let bin: string;

const envOf = (service = SERVICE) => ({
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  HOME: dir,
  KUBECONFIG: '',
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(dir, 'settings.json'),
  SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
});

/** A kubeconfig: the stand-in cluster, a context, and the `users:` block Signet printed. */
function kubeconfig(usersYaml: string, name: string): string {
  const file = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: stand-in',
      '  cluster:',
      `    server: ${JSON.stringify(api.url)}`,
      `    certificate-authority: ${JSON.stringify(api.caFile)}`,
      'contexts:',
      '- name: stand-in',
      '  context:',
      '    cluster: stand-in',
      '    user: signet',
      'current-context: stand-in',
      usersYaml,
    ].join('\n'),
  );
  return file;
}

const healthz = (config: string, service = SERVICE) =>
  runTool(KUBECTL, ['--kubeconfig', config, 'get', '--raw', '/healthz'], { env: envOf(service) });

let printed = '';

beforeAll(async () => {
  if (noKubectl) return;
  dir = scratch();
  bin = signetOnPath(scratch());
  console.log(`[kubectl] ${KUBECTL}; signet on PATH runs ${signetRunsAs()}`);
  writeJson(dir, 'settings.json', {});
  t = await startTestTenant();
  api = await startKubeApi(dir, {
    jwks: `${t.url}/.well-known/jwks.json`,
    issuer: t.issuer,
    audience: t.clientId,
  });
  if (noKeyring) return;
  const login = await runSignet(
    [
      'login',
      ...tenantFlags(t.url, t.clientId),
      '--connection',
      'Username-Password-Authentication',
      '--username',
      demo.ADA.username,
      '--password-stdin',
    ],
    { input: `${demo.ADA.password}\n`, env: envOf() },
  );
  expect(login.code, login.stderr).toBe(0);
  const setup = await runTool('signet', ['setup', 'kubectl'], { env: envOf() });
  expect(setup.code, setup.stderr).toBe(0);
  printed = setup.stdout;
});

afterAll(async () => {
  await Promise.all([t?.close(), api?.close()]);
  if (!noKeyring && !noKubectl)
    for (const s of [SERVICE, EMPTY])
      for (const c of await keytar.findCredentials(s)) await keytar.deletePassword(s, c.account);
});

describe.skipIf(noKubectl || noKeyring)('kubectl through signet', () => {
  it('signet setup kubectl prints a users: entry naming the session and signet token', () => {
    expect(printed).toMatch(/^users:\n- name: "signet"\n {2}user:\n {4}exec:\n/);
    expect(printed).toContain('      apiVersion: "client.authentication.k8s.io/v1"');
    expect(printed).toContain('      command: "signet"');
    expect(printed).toContain(`      - ${JSON.stringify(demo.ADA.username)}`);
    expect(printed).toContain('      interactiveMode: Never');
  });

  it('signet setup kubectl without a remembered session prints nothing and says so', async () => {
    const r = await runTool('signet', ['setup', 'kubectl'], { env: envOf(EMPTY) });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/No remembered session to set kubectl up with/);
  });

  it('kubectl get --raw /healthz succeeds with the token Signet issued', async () => {
    const r = await healthz(kubeconfig(printed, 'v1'));
    expect(r.stderr).toBe('');
    expect([r.code, r.stdout]).toEqual([0, 'ok']);
    const token = await runTool('signet', ['token'], { env: envOf() });
    expect(api.tokens.at(-1)).toBe(token.stdout.trim());
  });

  it('speaks v1beta1 when the kubeconfig asks for it (KUBERNETES_EXEC_INFO)', async () => {
    const v1beta1 = printed.replace(
      'client.authentication.k8s.io/v1"',
      'client.authentication.k8s.io/v1beta1"',
    );
    expect(v1beta1).not.toBe(printed);
    const r = await healthz(kubeconfig(v1beta1, 'v1beta1'));
    expect(r.stderr).toBe('');
    expect([r.code, r.stdout]).toEqual([0, 'ok']);
  });

  it('the stand-in refuses any other bearer token (the test can fail)', async () => {
    const forged = printed.replace(
      /command: "signet"\n {6}args:\n(?: {6}- .*\n)+/,
      'command: "sh"\n      args:\n      - "-c"\n      - "echo \'{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"not-a-signet-token\\"}}\'"\n',
    );
    expect(forged).toContain('not-a-signet-token');
    const r = await healthz(kubeconfig(forged, 'forged'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized/);
  });

  it("not signed in: kubectl fails and shows Signet's one line", async () => {
    const r = await healthz(kubeconfig(printed, 'empty'), EMPTY);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const signetLines = r.stderr.split('\n').filter((l) => /^error: Not signed in/.test(l));
    // kubectl may run the plugin more than once per command; each run prints the same one line.
    expect(signetLines.length).toBeGreaterThan(0);
    expect(new Set(signetLines).size).toBe(1);
    expect(signetLines[0]).toMatch(/signet login/);
    expect(r.stderr).toMatch(/exit code 1/);
  });
});
