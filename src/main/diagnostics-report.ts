/**
 * The diagnostics export for IT: this run's attempts, the session shown and the settings in
 * force, as JSON or Markdown. Built only from values that are redacted by construction
 * (attempts keep no password, code or token; a session result carries no token).
 */
import type { SettingsView } from '../shared/ipc';
import type { Attempt, SessionResult } from '../shared/session';

export interface DiagnosticsInput {
  generatedAt: string;
  settings: SettingsView;
  session: SessionResult | null;
  attempts: Attempt[];
}

const cell = (v: unknown): string =>
  v === undefined || v === null || v === ''
    ? '—'
    : String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(d: DiagnosticsInput): string {
  const lines = [
    '# Signet diagnostics',
    '',
    `Generated ${d.generatedAt} · tenant ${d.settings.tenant} · client ${d.settings.clientId}` +
      (d.settings.usingLocalTenant ? ' (local tenant)' : ''),
    '',
    '## Session',
    '',
  ];
  if (d.session) {
    const s = d.session;
    lines.push(
      `- User: ${cell(s.profile.name ?? s.username)} (${cell(s.profile.sub)})`,
      `- Connection: ${s.connection.label} (${s.connection.name}, ${s.connection.kind})`,
      `- Protocol: ${s.protocol} · scope: ${s.scope}`,
      `- Verification: ${s.verification.status}` +
        (s.verification.alg ? ` (${s.verification.alg}, kid ${cell(s.verification.kid)})` : '') +
        (s.verification.reason ? ` — ${s.verification.reason}` : ''),
      `- Expires: ${cell(s.expiresAt)} · stored: ${s.stored}`,
      `- Timings: total ${s.timings.totalMs} ms, request ${s.timings.requestMs} ms, verify ${s.timings.verifyMs} ms, store ${s.timings.storeMs} ms`,
    );
  } else lines.push('Not signed in.');
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
      `### ${i + 1}. ${a.method} ${a.endpoint}`,
      '',
      '```json',
      JSON.stringify({ request: a.request, response: a.response ?? null }, null, 2),
      '```',
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
        content: JSON.stringify(d, null, 2),
      }
    : {
        filename: `signet-diagnostics-${stamp}.md`,
        mimeType: 'text/markdown',
        content: markdown(d),
      };
}
