/**
 * What a session looks like once it crosses out of core: to main, over IPC to the renderer,
 * and to the CLI's `--json`. Plain serialisable values; no token ever appears here except in
 * `RevealedTokens`, which is only sent when the user asked to see them.
 */
import type { ClaimView } from './claims';
import type { SignInError } from './errors';
import type { ConnectionKind } from './settings';

/** The outcome of checking the id_token's signature and claims; travels with every session. */
export interface Verification {
  status: 'verified' | 'unverifiable' | 'failed';
  alg: string | null;
  kid: string | null;
  /** Why it is unverifiable or failed (a sentence, English); null when verified. */
  reason: string | null;
  /** `reason`'s key and values (src/shared/error-text.en.json): the window shows it translated. */
  reasonI18n?: SignInError['i18n'];
}

/** Who signed in, drawn from the id_token (or /userinfo). */
export interface Profile {
  sub: string;
  name?: string;
  email?: string;
  nickname?: string;
  picture?: string;
  phone_number?: string;
  groups?: string[];
}

/** Where a session is kept: the keychain, memory (keychain unavailable), or nowhere asked. */
export type Stored = 'keychain' | 'memory' | 'none';

/** What every successful sign-in, restore and refresh resolves with. No token inside. */
export interface SessionResult {
  /** The tenant's base URL (`https://acme.eu.auth0.com/`). */
  tenant: string;
  clientId: string;
  connection: { name: string; kind: ConnectionKind; label: string };
  username: string;
  /** The protocol that actually answered (`auto` resolves to one of these). */
  protocol: 'legacy' | 'modern';
  profile: Profile;
  claims: ClaimView[];
  verification: Verification;
  /** ISO expiry of the id_token (legacy: its `exp`), or null. */
  expiresAt: string | null;
  stored: Stored;
  /** Why `stored` is `memory`: the keychain's `keychain_unavailable` error. */
  storeError?: SignInError;
  /** True when a refresh token is held (the session can be renewed without a password). */
  refreshable: boolean;
  scope: string;
  /** ISO time the tokens were obtained. */
  obtainedAt: string;
  /** Milliseconds per step. */
  timings: { totalMs: number; requestMs: number; verifyMs: number; storeMs: number };
}

/** Which remembered session a record is. */
export interface RecordKey {
  tenant: string;
  clientId: string;
  username: string;
}

/** Whether two keys name the same session (tenant, client and user alike). */
export const sameSession = (a: RecordKey, b: RecordKey): boolean =>
  a.tenant === b.tenant && a.clientId === b.clientId && a.username === b.username;

/** A remembered account, as `accounts()` lists it (no tokens). */
export interface AccountRef extends RecordKey {
  connection: string;
  kind: ConnectionKind;
  obtainedAt: string;
  /** ISO time the session's token expires (needs renewing); null when not known. */
  expiresAt?: string | null;
}

/** A remembered session, as the account switcher lists it. */
export interface Account extends AccountRef {
  stored: 'keychain' | 'memory';
  /** The default session (`signet use`): the one used when a call names no user. */
  isDefault?: boolean;
}

/** The raw tokens, for a user who asked to see them. */
export interface RevealedTokens {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  token_type: string;
}

export interface SignOutResult {
  /** true: the tenant revoked the refresh token; false: it could not (see `revokeError`). */
  revoked: boolean;
  revokeError?: SignInError;
  /** Keychain entries deleted (index + chunks). */
  deleted: number;
}

/** One request core sent this run, redacted by construction (no password, code or token). */
export interface Attempt {
  /** ISO time the request started. */
  at: string;
  method: string;
  endpoint: string;
  connection?: string;
  username?: string;
  status?: number;
  /** The `SignInError` code, when it failed. */
  errorCode?: string;
  errorDescription?: string;
  /** AD bind sub-code and its meaning, when the tenant sent one. */
  ldapStatus?: string;
  ldapMeaning?: string;
  timings: { totalMs: number; headersMs?: number };
  /** The request body, redacted. */
  request: Record<string, string>;
  /** The answer, redacted (tokens as `[redacted: N chars]`). */
  response?: Record<string, unknown>;
}

export interface CheckStep {
  name: 'dns' | 'tcp' | 'tls' | 'openid-configuration' | 'jwks' | 'clock';
  ok: boolean;
  /** Skipped steps (e.g. TLS on a loopback http tenant) are ok with `skipped: true`. */
  skipped?: boolean;
  ms: number;
  /** One line for humans, in English (the CLI, the exported report). */
  summary: string;
  /**
   * The line's key and values (src/shared/error-text.en.json), shown by the window in its
   * language; for a failed step whose `error` follows, only what the error does not say.
   */
  summaryI18n?: SignInError['i18n'];
  detail?: Record<string, unknown>;
  error?: SignInError;
}

export interface CertInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  subjectAltName?: string;
}

/** The tenant check (`signet check`, Diagnostics → Check tenant). */
export interface CheckReport {
  tenant: string;
  ok: boolean;
  steps: CheckStep[];
  /** Server time minus local time, seconds (from the `Date` header). */
  clockSkewSeconds: number | null;
  totalMs: number;
}

/** Which token of a session `signet token` prints: the id_token (default) or the access token. */
export type TokenType = 'id' | 'access';

/**
 * A valid token of a remembered session, for another tool (`signet token`, the credential
 * helpers, kubectl). The one place a token leaves core without the user asking to see it: the
 * CLI prints it on stdout for the calling tool and nothing else keeps it.
 */
export interface TokenResult {
  token: string;
  type: TokenType;
  /** ISO expiry of the token, or null when it carries none (an opaque access token). */
  expiresAt: string | null;
  /** The tenant's key (`tenantKey`) and the client the token is for (`target` when asked). */
  tenant: string;
  clientId: string;
  username: string;
  /**
   * Set when the token is handed out without the refresh `minValid` asked for, because the
   * tenant could not be reached: the token is still valid, only closer to expiry than asked.
   */
  warning?: SignInError;
}
