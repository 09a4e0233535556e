import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './scripts/chromium';

/** e2e: the built renderer in Debian's Chromium, `window.signet` bridged to the real core. */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // The specs' own program (Node plus the DOM their page callbacks use), not the root's
  // references: the web program maps `papaparse` to a types-only file.
  tsconfig: './tsconfig.e2e.json',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 480, height: 720 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
