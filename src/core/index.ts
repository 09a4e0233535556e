/**
 * Signet's sign-in core: the public API main/ and cli/ import — only through this file (a lint
 * rule keeps their deep imports out). Node only, never Electron.
 *
 * Start with `new SignetCore({ settings: loadSettings().settings })`, then `signIn`,
 * `startSms`/`signInWithSms`, `restore`, `refresh`, `signOut`, `accounts`, `check`,
 * `attempts`. Every call rejects with `SignInFailure`, whose `.error` is the serialisable
 * `SignInError` of src/shared/errors.ts.
 */
export {
  SignetCore,
  LOCAL_TENANT_URL,
  LOCAL_CLIENT_ID,
  type KeepPolicy,
  type SessionTarget,
  type TokenRequest,
  type TokenResult,
  type TokenType,
  DEFAULT_MIN_VALID_SECONDS,
  type SignetCoreOptions,
  type SignInRequest,
  type SessionResult,
  type SignOutResult,
  type Account,
  type Profile,
  type RevealedTokens,
  type Stored,
  type TenantTarget,
} from './session.js';
export { SignInFailure, toSignInError } from './errors.js';
export type { ClientConfigView, ClientConnection } from '../shared/client-config.js';
export { signInAgain } from './session/session-errors.js';
export { HttpClient, MAX_BODY_BYTES, type HttpClientOptions } from './auth/http.js';
export { AuthClient, type TokenSet } from './auth/client.js';
export { AD_SUBCODES, adSubcodeMeaning } from '../shared/ad-subcodes.js';
export { tenantBaseUrl } from './auth/tenant-url.js';
export { TokenVerifier, type Verification } from './tokens/verify.js';
export { decodeToken, tryDecodeToken, type DecodedToken } from './tokens/decode.js';
export { Vault, CHUNK_BYTES, type SessionRecord, type AccountRef } from './vault/vault.js';
export { keychainService, type KeychainBackend } from './vault/keychain.js';
export {
  loadSettings,
  saveSettings,
  managedConfigPath,
  userSettingsPath,
} from './settings/store.js';
export { loadBranding } from './settings/branding.js';
export {
  clearLastLogin,
  lastLoginPath,
  readLastLogin,
  writeLastLogin,
} from './settings/last-login.js';
export type { CheckReport, CheckStep } from './diagnostics/check.js';
export type { Attempt } from './diagnostics/attempts.js';
export {
  AccountsFileError,
  parseAccountsFile,
  reportMarkdown,
  reportText,
  runConnectionReport,
  type AccountEntry,
  type ConnectionReportRequest,
  type ConnectionReport,
  type ReportAccount,
} from './connection-report.js';
