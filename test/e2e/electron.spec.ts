import { test, expect, _electron as electron } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

// The one test that opens the real Electron app. It needs an Electron binary, which machines
// without GitHub access cannot download; there it is skipped with the reason printed.
const binary = findElectronBinary();
const missing = 'missing' in binary ? binary.missing : undefined;
if (missing) console.log(`SKIP [electron] ${missing}`);

test('the packaged main process opens a sandboxed window showing the sign-in page', async () => {
  test.skip(Boolean(missing), `no Electron binary: ${missing}`);
  const app = await electron.launch({
    executablePath: (binary as { path: string }).path,
    args: ['out/main/index.js'],
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Signet' })).toBeVisible();
    // Context isolation + sandbox: the page sees the bridge, and nothing of Node or Electron.
    const world = await window.evaluate(() => ({
      bridge: typeof (globalThis as { signet?: unknown }).signet,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(world).toEqual({ bridge: 'object', process: 'undefined' });
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
  } finally {
    await app.close();
  }
});
