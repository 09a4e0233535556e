import { createServer, type Socket } from 'node:net';
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

test('the CSP loads no image from another origin (no exfiltration through <img>)', async ({
  page,
}) => {
  const server = await serveRenderer();
  // Another loopback origin that counts every connection: plain TCP, so an https:// load
  // (a TLS handshake) counts as much as an http:// one.
  const sockets = new Set<Socket>();
  let hits = 0;
  const counter = createServer((s) => {
    hits += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  const port = (counter.address() as { port: number }).port;
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Signet', level: 1 })).toBeVisible();
    const blocked = await page.evaluate(async (port) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
      const load = (src: string) =>
        new Promise<string>((resolve) => {
          const img = document.createElement('img');
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('error');
          img.src = src;
          document.body.append(img);
        });
      const results = [
        await load(`https://127.0.0.1:${port}/pixel.png?token=secret`),
        await load(`http://127.0.0.1:${port}/pixel.png?token=secret`),
        await load('data:image/gif;base64,R0lGODlhAQABAAAAACw='),
      ];
      await new Promise((r) => setTimeout(r, 300));
      return { results, violations };
    }, port);
    expect(blocked.results.slice(0, 2)).toEqual(['error', 'error']);
    expect(blocked.violations).toHaveLength(2);
    for (const v of blocked.violations) expect(v).toMatch(/^img-src /);
    expect(hits).toBe(0);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => counter.close(() => resolve()));
    await server.close();
  }
});
