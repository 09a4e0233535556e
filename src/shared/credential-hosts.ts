/**
 * Which hosts the credential helpers (`signet credential git|docker`) hand the user's token
 * to: the `credentialHosts` setting. A token sent to the wrong host is a stolen session, so the
 * matching here is strict and shared by the settings schema (which normalises each entry) and
 * the helpers (which normalise the host they are asked about the same way):
 *
 * - An entry is a host name (`git.corp.example`) or a wildcard `*.corp.example`, optionally
 *   with a port (`git.corp.example:8443`). Without a port it means HTTPS's default port only.
 * - `*.corp.example` matches exactly ONE label in front of `corp.example`
 *   (`git.corp.example`, not `corp.example`, not `a.b.corp.example`): the rule git itself applies
 *   to `credential.https://*.corp.example.helper` and TLS to a `*.corp.example` certificate, so
 *   the git config line `signet setup git` writes and this list agree. A deeper name is listed
 *   on its own (or as `*.b.corp.example`). A wildcard needs two labels after it (`*.example`
 *   is refused: it would cover a whole top-level domain) and cannot cover an IP address.
 * - Both sides are put in one canonical form before comparing, by the WHATWG URL host parser
 *   (the one browsers use): lower case, international names in their `xn--` form, one trailing
 *   dot (the root) dropped, default port 443 dropped. Anything that is not a bare host and port —
 *   user info (`a@b`), a path, percent escapes, whitespace or control characters, an IPv6
 *   literal, an empty label — matches nothing.
 *
 * Pure (the global URL only): the renderer validates the same setting.
 */
import type { ErrorTextKey } from './error-text';

/** A `credentialHosts` entry, parsed: `*.`-wildcard or not, the canonical name, the port. */
export interface HostPattern {
  wildcard: boolean;
  /** Lower-case ASCII (`xn--` for international names), no trailing dot. */
  name: string;
  /** `''` for HTTPS's default port (443), else the port's digits. */
  port: string;
}

/** A host as asked about (git's `host=`, a Docker server URL's host), in canonical form. */
export interface CanonicalHost {
  name: string;
  port: string;
}

/** Longest host text looked at (a DNS name is at most 253 characters, plus `:port`). */
export const MAX_HOST_LENGTH = 260;

/** Characters that never belong in a bare `host[:port]`: they would carry a path, user info… */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NOT_IN_HOST = /[\u0000-\u0020\u007f-\u009f\u00a0\u2028\u2029@/\\?#%[\]]/;
const NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * `host` or `host:port` in canonical form, or undefined when it is anything else (then it
 * matches no entry). Uses the URL parser so that every spelling of one host (case, IDN, a
 * trailing dot, `:443`) compares equal, and checks nothing else came along.
 */
export function canonicalHost(raw: string): CanonicalHost | undefined {
  if (typeof raw !== 'string' || !raw || raw.length > MAX_HOST_LENGTH || NOT_IN_HOST.test(raw))
    return undefined;
  let url: URL;
  try {
    url = new URL(`https://${raw}/`);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
    return undefined;
  const name = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (!NAME.test(name)) return undefined;
  return { name, port: url.port };
}

/**
 * Why an entry is refused: the key of its sentence (`errors.config.problem.host…`, which takes
 * the entry as `{entry}`), for the settings schema and `signet setup --host` alike.
 */
export type HostProblem = Extract<ErrorTextKey, `errors.config.problem.host${string}`>;

/** One `credentialHosts` entry parsed, or why it is refused. */
export function parseHostPattern(entry: string): HostPattern | HostProblem {
  const text = entry.trim();
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  if (rest.includes('*')) return 'errors.config.problem.hostWildcardPlace';
  const host = canonicalHost(rest);
  if (!host) return 'errors.config.problem.hostForm';
  if (wildcard && IPV4.test(host.name)) return 'errors.config.problem.hostWildcardIp';
  if (wildcard && host.name.split('.').length < 2)
    return 'errors.config.problem.hostWildcardLabels';
  return { wildcard, ...host };
}

/** The canonical text of an entry (what the settings file keeps): `*.name:port`. */
export function formatHostPattern(p: HostPattern): string {
  return `${p.wildcard ? '*.' : ''}${p.name}${p.port ? `:${p.port}` : ''}`;
}

/** Whether `host` is what `pattern` names (same port; a wildcard: exactly one more label). */
export function hostMatches(pattern: HostPattern, host: CanonicalHost): boolean {
  if (pattern.port !== host.port) return false;
  if (!pattern.wildcard) return host.name === pattern.name;
  const suffix = `.${pattern.name}`;
  if (!host.name.endsWith(suffix)) return false;
  const label = host.name.slice(0, -suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** Letters, digits, marks, `.`, `-`, `_` and an optional `:port`: what a host name is spelled with. */
const SPELLED_HOST = /^([\p{L}\p{N}\p{M}._-]+)(?::(\d{1,5}))?$/u;

/**
 * A host as a tool asks about it, in canonical form — only when it is spelled as that host:
 * the canonical form may differ from the spelling in case, one trailing dot, `:443` and an
 * international label's `xn--` form, and in nothing else. The URL parser also maps other
 * spellings onto a host (a soft hyphen or zero-width character dropped, fullwidth letters and
 * dots folded, `167772165` or `0xa.0.0.5` read as `10.0.0.5`); a tool that sends one of those
 * may resolve it differently (a curl without IDN support looks the text up as it is), so they
 * match nothing. Entries (`parseHostPattern`) keep the lenient canonical form: IT may write
 * `bücher.example`.
 */
export function askedHost(raw: string): CanonicalHost | undefined {
  const h = canonicalHost(raw);
  const m = SPELLED_HOST.exec(raw);
  if (!h || !m || raw.normalize('NFKC') !== raw.normalize('NFC')) return undefined;
  const port = m[2] ?? '';
  if (port !== h.port && !(port === '443' && h.port === '')) return undefined;
  const spelled = m[1]!.toLowerCase().replace(/\.$/, '').split('.');
  const labels = h.name.split('.');
  if (spelled.length !== labels.length) return undefined;
  // eslint-disable-next-line no-control-regex -- ASCII is U+0000–U+007F
  const ascii = (s: string) => /^[\u0000-\u007f]*$/.test(s);
  const same = spelled.every((label, i) =>
    ascii(label) ? label === labels[i] : labels[i]!.startsWith('xn--'),
  );
  return same ? h : undefined;
}

/**
 * Whether the token may go to `host` (`host` or `host:port`, as git's `host=` line carries it):
 * it must be spelled as a host (`askedHost`) and match one of `entries` (the setting; an entry
 * that does not parse matches nothing).
 */
export function isCredentialHost(entries: readonly string[], host: string): boolean {
  const h = askedHost(host);
  if (!h) return false;
  return entries.some((e) => {
    const p = parseHostPattern(e);
    return typeof p !== 'string' && hostMatches(p, h);
  });
}
