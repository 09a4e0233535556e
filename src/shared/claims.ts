/**
 * The claims view model: what the signed-in screen, the CLI and diagnostics show for an
 * id_token's payload. Pure functions, no Node, no DOM, so the renderer can re-run them
 * (e.g. to refresh relative times) on the values core sent.
 */

/** How a claim's value is shown. */
export type ClaimKind = 'time' | 'list' | 'text' | 'boolean' | 'number' | 'object' | 'url';

/** One row of the claims table. */
export interface ClaimView {
  /** The claim's name as in the token (`sub`, `exp`, `groups`). */
  name: string;
  /** A friendly label for the standard claims; the name otherwise. */
  label: string;
  /** The value exactly as in the token. */
  raw: unknown;
  /** The value as one line of text (times ISO + relative, lists joined with ", "). */
  formatted: string;
  kind: ClaimKind;
  /** Times: ISO 8601 in UTC. */
  iso?: string;
  /** Times: "in 9 h 59 min", "3 min ago". */
  relative?: string;
  /** Arrays (e.g. AD `groups`): each element as text. */
  items?: string[];
  /** True for the claims every id_token carries (`iss sub aud exp iat`). */
  standard: boolean;
}

/** Friendly labels of the claims Auth0 id_tokens carry. */
export const CLAIM_LABELS: Readonly<Record<string, string>> = {
  iss: 'Issuer',
  sub: 'Subject (user ID)',
  aud: 'Audience (client ID)',
  exp: 'Expires',
  iat: 'Issued at',
  nbf: 'Not before',
  auth_time: 'Authenticated at',
  updated_at: 'Updated at',
  azp: 'Authorized party',
  nonce: 'Nonce',
  at_hash: 'Access token hash',
  sid: 'Session ID',
  name: 'Name',
  given_name: 'Given name',
  family_name: 'Family name',
  middle_name: 'Middle name',
  nickname: 'Nickname',
  preferred_username: 'Preferred username',
  username: 'Username',
  email: 'Email',
  email_verified: 'Email verified',
  phone_number: 'Phone number',
  phone_verified: 'Phone verified',
  phone_number_verified: 'Phone verified',
  picture: 'Picture',
  locale: 'Locale',
  zoneinfo: 'Time zone',
  groups: 'Groups',
  upn: 'User principal name',
  user_id: 'User ID',
  identities: 'Identities',
  app_metadata: 'App metadata',
  user_metadata: 'User metadata',
  created_at: 'Created at',
  last_login: 'Last login',
  amr: 'Authentication methods',
};

const STANDARD = new Set(['iss', 'sub', 'aud', 'exp', 'iat']);
/** NumericDate claims (seconds since the epoch). */
const EPOCH_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);
/** Claims that hold an ISO date string in Auth0 profiles. */
const DATE_STRING_CLAIMS = new Set(['updated_at', 'created_at', 'last_login']);
/** Order of the standard rows; the rest follow alphabetically. */
const ORDER = ['name', 'email', 'sub', 'iss', 'aud', 'iat', 'exp'];

/** "in 9 h 59 min", "3 min ago", "just now". */
export function relativeTime(targetMs: number, nowMs: number): string {
  const diff = targetMs - nowMs;
  const abs = Math.abs(diff);
  if (abs < 30_000) return 'just now';
  const minutes = Math.round(abs / 60_000);
  let text: string;
  if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    text = m ? `${h} h ${m} min` : `${h} h`;
  } else text = `${Math.round(minutes / 1440)} days`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Builds one row; `nowMs` makes relative times testable. */
export function claimView(name: string, raw: unknown, nowMs: number = Date.now()): ClaimView {
  const base = { name, label: CLAIM_LABELS[name] ?? name, raw, standard: STANDARD.has(name) };
  const epoch = EPOCH_CLAIMS.has(name) && typeof raw === 'number' && Number.isFinite(raw);
  const dated =
    DATE_STRING_CLAIMS.has(name) && typeof raw === 'string' && !Number.isNaN(Date.parse(raw));
  if (epoch || dated) {
    const ms = epoch ? (raw as number) * 1000 : Date.parse(raw as string);
    const iso = new Date(ms).toISOString();
    const relative = relativeTime(ms, nowMs);
    return { ...base, kind: 'time', iso, relative, formatted: `${iso} (${relative})` };
  }
  if (Array.isArray(raw)) {
    const items = raw.map(asText);
    return { ...base, kind: 'list', items, formatted: items.join(', ') };
  }
  if (typeof raw === 'boolean') return { ...base, kind: 'boolean', formatted: raw ? 'yes' : 'no' };
  if (typeof raw === 'number') return { ...base, kind: 'number', formatted: String(raw) };
  if (typeof raw === 'string' && /^https:\/\//i.test(raw) && name !== 'iss')
    return { ...base, kind: 'url', formatted: raw };
  if (raw !== null && typeof raw === 'object')
    return { ...base, kind: 'object', formatted: JSON.stringify(raw) };
  return { ...base, kind: 'text', formatted: asText(raw) };
}

/** All rows of a payload: the well-known ones first (name, email, sub, …), then A–Z. */
export function claimsView(
  payload: Record<string, unknown>,
  nowMs: number = Date.now(),
): ClaimView[] {
  const names = Object.keys(payload).sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    // Not localeCompare: its first call loads ICU's collator, tens of ms of every CLI start.
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  return names.map((n) => claimView(n, payload[n], nowMs));
}
