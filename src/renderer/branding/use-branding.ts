import { useEffect, useState } from 'react';
import type { BrandingView, ThemeName } from '../../shared/branding';
import { signet } from '../api';

/**
 * The inline custom properties this module sets on `<html>`, per theme: styles.css picks the
 * light or dark pair under its own prefers-color-scheme rules, with Signet's colours as the
 * fallback when they are unset.
 */
const THEME_PROPERTIES: Record<ThemeName, { primary: string; onPrimary: string }> = {
  light: { primary: '--brand-light-primary', onPrimary: '--brand-light-on-primary' },
  dark: { primary: '--brand-dark-primary', onPrimary: '--brand-dark-on-primary' },
};

/**
 * Sets (or, for Signet's own look, removes) the branded colours on the document. Main has
 * already checked them (a `#rrggbb` per theme, corrected for contrast), so they are safe as
 * custom-property values.
 */
export function applyBrandColors(colors: BrandingView['colors']): void {
  const style = document.documentElement.style;
  for (const theme of Object.keys(THEME_PROPERTIES) as ThemeName[]) {
    const props = THEME_PROPERTIES[theme];
    const c = colors?.[theme];
    if (c) {
      style.setProperty(props.primary, c.primary);
      style.setProperty(props.onPrimary, c.onPrimary);
    } else {
      style.removeProperty(props.primary);
      style.removeProperty(props.onPrimary);
    }
  }
}

/**
 * The one ask for the branding: the header and Diagnostics share it (the managed file only
 * changes on relaunch). A failed ask is Signet's own look, never an error on the form.
 */
let asked: Promise<BrandingView | null> | null = null;
let answer: BrandingView | null = null;

function askBranding(): Promise<BrandingView | null> {
  asked ??= signet.branding({}).then(
    (b) => {
      answer = b;
      applyBrandColors(b.colors);
      return b;
    },
    () => null,
  );
  return asked;
}

/**
 * The managed branding, or null until main answers (and when it cannot): asked once, beside
 * the settings, so it never holds up the form.
 */
export function useBranding(): BrandingView | null {
  const [branding, setBranding] = useState<BrandingView | null>(answer);
  useEffect(() => {
    let live = true;
    void askBranding().then((b) => {
      if (live) setBranding(b);
    });
    return () => {
      live = false;
    };
  }, []);
  return branding;
}
