/**
 * The branding the window shows, built from the settings' raw `branding` block: the fields
 * that pass `checkBranding`, the logo read and made safe (branding-logo.ts), the primary
 * colour adjusted for contrast per theme (src/shared/branding.ts). Never throws: each field
 * that cannot be used is left out, with its problem, and the rest still applies.
 */
import {
  brandColors,
  checkBranding,
  NO_BRANDING,
  type BrandingView,
} from '../../shared/branding.js';
import { logoProblem, readLogo } from './branding-logo.js';

/** The `BrandingView` of a settings file's `branding` block (anything the file held). */
export async function loadBranding(raw: unknown): Promise<BrandingView> {
  if (raw === undefined || raw === null) return NO_BRANDING;
  const checked = checkBranding(raw);
  const problems = [...checked.problems];
  let logo: string | null = null;
  if (checked.logo !== undefined) {
    const path = checked.logo;
    const read = await readLogo(path).catch((err: unknown) =>
      logoProblem('errors.branding.logo.failed', path, {
        reason: err instanceof Error ? err.message : String(err),
      }),
    );
    if ('dataUrl' in read) logo = read.dataUrl;
    else problems.push({ field: 'branding.logo', message: read.problem, i18n: read.i18n });
  }
  const colors = checked.primaryColor ? brandColors(checked.primaryColor) : null;
  return {
    name: checked.name ?? null,
    logo,
    colors: colors?.colors ?? null,
    problems,
    adjustments: colors?.adjustments ?? [],
  };
}
