/**
 * Which tenant and client a call goes to, and what Signet keeps per tenant + client for the
 * run: its `AuthClient`, whether `auto` learned that it refuses the legacy grant, and the
 * modern MFA tokens waiting for a code. Settings fill what a call leaves out.
 */
import { configInvalid } from '../../shared/errors.js';
import type { Connection, ConnectionKind, Settings } from '../../shared/settings.js';
import { AuthClient } from '../auth/client.js';
import type { HttpClient } from '../auth/http.js';
import { tenantBaseUrl, tenantKey } from '../auth/tenant-url.js';
import type { AttemptLog } from '../diagnostics/attempts.js';
import { fail } from '../errors.js';
import { errorText } from '../../shared/error-text.js';

/** The local tenant `npm run tenant` serves when `useLocalTenant` is on. */
export const LOCAL_TENANT_URL = 'http://127.0.0.1:4455';
/** The client the local tenant's demo data registers. */
export const LOCAL_CLIENT_ID = 'signet-demo';

/** Which tenant and client a call is for; defaults come from settings. */
export interface TenantTarget {
  /** Domain or URL (`acme.eu.auth0.com`, `http://127.0.0.1:4455`). */
  tenant?: string;
  clientId?: string;
}

/** One tenant + client of this run. */
export interface TenantContext {
  base: URL;
  clientId: string;
  auth: AuthClient;
  /** `auto` learned this tenant refuses the legacy grant. */
  learnedModern: boolean;
  /** Modern MFA: `mfa_token` per connection and username, waiting for the code. */
  mfaTokens: Map<string, string>;
}

/** The tenant contexts of one core: resolved from a target and settings, built once each. */
export class TenantContexts {
  private readonly contexts = new Map<string, TenantContext>();

  constructor(
    private readonly settings: Settings,
    private readonly http: HttpClient,
    private readonly log: AttemptLog,
    private readonly localTenantUrl: string,
  ) {}

  /**
   * The tenant's base URL: the target's, else the local tenant (when settings use it), else
   * settings' tenant. Rejects with `config_invalid` when there is none or it is unusable.
   */
  resolveTenant(tenant: string | undefined): URL {
    const t = tenant ?? (this.settings.useLocalTenant ? this.localTenantUrl : this.settings.tenant);
    if (!t)
      fail(configInvalid('tenant', errorText('errors.config.noTenant', {}, 'errors.hint.tenant')));
    return tenantBaseUrl(t);
  }

  /** The context of `target` (created on first use); `config_invalid` without a client ID. */
  get(target: TenantTarget): TenantContext {
    const base = this.resolveTenant(target.tenant);
    const clientId =
      target.clientId ??
      this.settings.clientId ??
      (this.settings.useLocalTenant && !target.tenant ? LOCAL_CLIENT_ID : undefined);
    if (!clientId)
      fail(
        configInvalid(
          'clientId',
          errorText('errors.config.noClientId', {}, 'errors.hint.clientId'),
        ),
      );
    const key = `${tenantKey(base)}|${clientId}`;
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = {
        base,
        clientId,
        auth: new AuthClient(base, clientId, this.http, this.log),
        learnedModern: false,
        mfaTokens: new Map(),
      };
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  /** A connection by name, its kind and label from settings (or `kind`, or the name's guess). */
  connection(name: string, kind?: ConnectionKind): Required<Connection> {
    const c = this.settings.connections.find((x) => x.name === name);
    const k = kind ?? c?.kind ?? (name === 'sms' ? 'sms' : 'database');
    return { name, kind: k, label: c?.label ?? name };
  }

  /** The name of settings' SMS connection (`sms` when none is configured). */
  smsConnectionName(): string {
    return this.settings.connections.find((c) => c.kind === 'sms')?.name ?? 'sms';
  }
}
