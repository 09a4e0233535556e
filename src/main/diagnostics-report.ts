/**
 * The diagnostics export for IT: this run's attempts, the session shown and the settings in
 * force, as JSON or Markdown. Built only from values that are redacted by construction
 * (attempts keep no password, code or token; a session result carries no token).
 *
 * In the Markdown every value (the tenant's names, claims, error descriptions; the user's
 * settings, scope and labels) goes through one cell formatter, `cell` (`markdownText`: one
 * line, no control character, Markdown and HTML escaped), and the redacted requests and
 * answers sit in fences longer than any backtick run inside them.
 */
import type { BrandingView } from '../shared/branding';
import type { SettingsView } from '../shared/ipc';
import type { Attempt, SessionResult } from '../shared/session';
import { markdownFence, markdownText } from '../shared/untrusted-text';

export interface DiagnosticsInput {
  generatedAt: string;
  settings: SettingsView;
  session: SessionResult | null;
  attempts: Attempt[];
  /** The managed branding: what applies, each field that could not, each colour changed. */
  branding?: BrandingView;
}

/**
 * The branding as the report shows it: the logo only as whether one is shown and its type
 * (its data URL is up to 350 KB of base64 IT does not read).
 */
function brandingSummary(b: BrandingView) {
  return {
    name: b.name,
    logo: b.logo ? b.logo.slice(5, b.logo.indexOf(';')) : null,
    colors: b.colors,
    // The English sentences only (their translation keys are the window's).
    problems: b.problems.map(({ field, message }) => ({ field, message })),
    adjustments: b.adjustments.map((a) => a.message),
  };
}

/** The Branding section of the Markdown, or nothing when no branding is set (Signet's own look). */
function brandingMarkdown(b: BrandingView): string[] {
  const unset = !b.name && !b.logo && !b.colors && !b.problems.length && !b.adjustments.length;
  if (unset) return [];
  const summary = brandingSummary(b);
  const lines = [
    '',
    '## Branding',
    '',
    `- Name: ${cell(summary.name)} · logo: ${cell(summary.logo)} · primary colour: ` +
      (b.colors
        ? `${cell(b.colors.light.primary)} (light), ${cell(b.colors.dark.primary)} (dark)`
        : '—'),
  ];
  for (const p of b.problems) lines.push(`- Problem: ${cell(p.field)}: ${cell(p.message)}`);
  for (const a of b.adjustments) lines.push(`- Adjusted: ${cell(a.message)}`);
  return lines;
}

const cell = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '—' : markdownText(String(v));

function markdown(d: DiagnosticsInput): string {
  const lines = [
    '# Signet diagnostics',
    '',
    `Generated ${cell(d.generatedAt)} · tenant ${cell(d.settings.tenant)} · client ${cell(d.settings.clientId)}` +
      (d.settings.usingLocalTenant ? ' (local tenant)' : ''),
    '',
    '## Session',
    '',
  ];
  if (d.session) {
    const s = d.session;
    lines.push(
      `- User: ${cell(s.profile.name ?? s.username)} (${cell(s.profile.sub)})`,
      `- Connection: ${cell(s.connection.label)} (${cell(s.connection.name)}, ${cell(s.connection.kind)})`,
      `- Protocol: ${cell(s.protocol)} · scope: ${cell(s.scope)}`,
      `- Verification: ${cell(s.verification.status)}` +
        (s.verification.alg
          ? ` (${cell(s.verification.alg)}, kid ${cell(s.verification.kid)})`
          : '') +
        (s.verification.reason ? ` — ${cell(s.verification.reason)}` : ''),
      `- Expires: ${cell(s.expiresAt)} · stored: ${cell(s.stored)}`,
      `- Timings: total ${s.timings.totalMs} ms, request ${s.timings.requestMs} ms, verify ${s.timings.verifyMs} ms, store ${s.timings.storeMs} ms`,
    );
  } else lines.push('Not signed in.');
  if (d.branding) lines.push(...brandingMarkdown(d.branding));
  lines.push(
    '',
    '## Attempts',
    '',
    '| time | endpoint | connection | username | status | error | AD sub-code | ms |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const a of d.attempts) {
    lines.push(
      `| ${cell(a.at)} | ${cell(`${a.method} ${a.endpoint}`)} | ${cell(a.connection)} | ${cell(a.username)} | ${cell(a.status)} | ${cell(a.errorCode && `${a.errorCode}: ${a.errorDescription ?? ''}`)} | ${cell(a.ldapStatus && `${a.ldapStatus} (${a.ldapMeaning ?? ''})`)} | ${a.timings.totalMs} |`,
    );
  }
  if (d.attempts.length === 0) lines.push('| — | no request this run | | | | | | |');
  lines.push('', '## Requests and answers (redacted)', '');
  d.attempts.forEach((a, i) => {
    lines.push(
      `### ${i + 1}. ${cell(`${a.method} ${a.endpoint}`)}`,
      '',
      markdownFence(
        JSON.stringify({ request: a.request, response: a.response ?? null }, null, 2),
        'json',
      ),
      '',
    );
  });
  return lines.join('\n');
}

/** Builds the export file for `format`. */
export function diagnosticsReport(
  format: 'json' | 'markdown',
  d: DiagnosticsInput,
): { filename: string; mimeType: string; content: string } {
  const stamp = d.generatedAt.replace(/[:.]/g, '-');
  return format === 'json'
    ? {
        filename: `signet-diagnostics-${stamp}.json`,
        mimeType: 'application/json',
        content: JSON.stringify(
          d.branding ? { ...d, branding: brandingSummary(d.branding) } : d,
          null,
          2,
        ),
      }
    : {
        filename: `signet-diagnostics-${stamp}.md`,
        mimeType: 'text/markdown',
        content: markdown(d),
      };
}
