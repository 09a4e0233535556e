import { test, expect } from '@playwright/test';
import { serveRenderer } from '../fixtures/static-server';
import { META_CONTENT_SECURITY_POLICY } from '../../src/shared/csp';

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
    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(csp).toBe(META_CONTENT_SECURITY_POLICY);
    // The policy is enforced: an inline script does not run.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.head.append(s);
      return (window as unknown as { __inline?: boolean }).__inline === true;
    });
    expect(ran).toBe(false);
  } finally {
    await server.close();
  }
});
