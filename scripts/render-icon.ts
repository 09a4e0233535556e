/**
 * `npm run icon`: renders assets/icon.svg to assets/icon.png (1024×1024, transparent corners)
 * in headless Chromium. The PNG is committed: electron-builder makes every platform's icon from
 * it at build time (.icns for macOS, .ico for Windows, the hicolor sizes for Linux), so this
 * only needs running when the SVG changes. Chromium: SIGNET_CHROMIUM or /usr/bin/chromium.
 */
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from './chromium';

const SIZE = 1024;
const root = join(import.meta.dirname, '..');
const svg = readFileSync(join(root, 'assets/icon.svg'), 'utf8');

const browser = await chromium.launch(CHROMIUM_LAUNCH);
try {
  const page = await browser.newPage({
    viewport: { width: SIZE, height: SIZE },
    deviceScaleFactor: 1,
  });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
  );
  const png = await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  writeFileSync(join(root, 'assets/icon.png'), png);
  console.log(`assets/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
} finally {
  await browser.close();
}
