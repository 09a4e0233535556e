// `npm start`: build the app, start the local tenant when no tenant is configured (the
// embedded default), and open the Electron window against it. Where no Electron binary
// exists, say so in one line and keep the local tenant serving for the CLI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { loadSettings } from '../src/core/settings/store';
import { LOCAL_CLIENT_ID, LOCAL_TENANT_URL } from '../src/core/session';
import { findElectronBinary } from './electron-binary.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const build = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const env = { ...process.env };
const { settings } = loadSettings();
let tenant: ChildProcess | undefined;
let tenantUrl = settings.tenant ?? '';
if (settings.useLocalTenant || !settings.tenant) {
  const port = new URL(LOCAL_TENANT_URL).port;
  tenant = spawn(bin('tsx'), ['src/tenant/cli.ts', '--port', port], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const child = tenant;
  tenantUrl = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      seen += chunk;
      const m = /(https?:\/\/\S+)/.exec(seen);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) =>
      reject(new Error(`the local tenant exited (${code}) before it was ready`)),
    );
  }).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
  env.SIGNET_LOCAL_TENANT = tenantUrl;
}

const stop = () => tenant?.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const electron = findElectronBinary();
if ('missing' in electron) {
  console.log(
    `Signet cannot open its window on this machine: ${electron.missing}. ` +
      (tenant
        ? `The local tenant keeps serving at ${tenantUrl}; sign in from a terminal with \`npm run --silent signet -- login --tenant ${tenantUrl} --client-id ${LOCAL_CLIENT_ID} --connection Username-Password-Authentication --username ada@signet.test\` (Ctrl+C stops it).`
        : ''),
  );
  if (!tenant) process.exit(1);
} else {
  const app = spawn(electron.path, [root], { cwd: root, stdio: 'inherit', env });
  app.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
}
