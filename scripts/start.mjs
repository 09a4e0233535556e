#!/usr/bin/env node
// `npm start`: build the app, start the local tenant when no tenant is configured (the
// embedded default), and open the Electron window against it. Where no Electron binary
// exists, say so in one line and keep the local tenant serving for the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => `${root}node_modules/.bin/${name}`;

const build = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const env = { ...process.env };
let tenant;
if (!env.SIGNET_TENANT) {
  tenant = spawn(bin('tsx'), ['src/tenant/cli.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    tenant.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      seen += chunk;
      const m = /(https?:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    tenant.on('exit', (code) =>
      reject(new Error(`the local tenant exited (${code}) before it was ready`)),
    );
  }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
  tenant.stdout.pipe(process.stdout);
  env.SIGNET_TENANT = url;
  env.SIGNET_CLIENT_ID ??= 'signet-demo';
}

const stop = () => tenant?.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const electron = findElectronBinary();
if ('missing' in electron) {
  console.log(
    `Signet cannot open its window on this machine: ${electron.missing}. ` +
      (tenant
        ? `The local tenant keeps serving at ${env.SIGNET_TENANT}; sign in from a terminal with \`npm run --silent signet -- login --tenant ${env.SIGNET_TENANT} --client-id signet-demo --connection Username-Password-Authentication --username ada@signet.test\` (Ctrl+C stops it).`
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
