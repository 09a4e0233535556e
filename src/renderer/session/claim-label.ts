import { CLAIM_LABELS } from '../../shared/claims';
import type { MessageKey, Translate } from '../i18n';

/**
 * A claim's human label in the window's language: `session.claim.<name>` for the claims
 * src/shared/claims.ts names (that list stays the one list of claims; its English labels are
 * the CLI's), the claim's own name for any other (a tenant's custom claim is data).
 */
export function claimLabel(t: Translate, name: string): string {
  return Object.hasOwn(CLAIM_LABELS, name) ? t(`session.claim.${name}` as MessageKey) : name;
}
