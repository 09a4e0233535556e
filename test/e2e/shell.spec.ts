import { test, expect } from '@playwright/test';
import { serveRenderer } from '../fixtures/static-server';

test('the built renderer loads in Chromium under its CSP without errors', async ({ page }) => {
  const server = await serveRenderer();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Signet', level: 1 })).toBeVisible();
    // Without preload there is no `window.signet`: the page says so instead of crashing.
    await expect(page.getByRole('alert')).toContainText('not connected');
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});
