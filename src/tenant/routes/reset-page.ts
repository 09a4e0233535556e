/**
 * The tenant's password-reset page, where the link of a reset email lands (`{issuer}lo/reset?
 * ticket=…`, Auth0's path; spec §7). No script at all: a small HTML form (new password and its
 * confirmation) posting to itself, the connection's policy listed in password-sheriff's words.
 *
 * - `GET /lo/reset?ticket=` → 200 the form for the ticket's account; an unknown, retired (a newer
 *   email was sent) or used ticket → 400 "This link is not valid", an expired one → 410 "This link
 *   has expired": pages that name no account and repeat nothing of the request.
 * - `POST /lo/reset` (form: `ticket`, `newPassword`, `confirmNewPassword`) → the ticket checked as
 *   above; both fields given and equal, the policy passed (else 400 with the form again and each
 *   rule marked met or unmet), at most 72 bytes (password-limit.ts); then the password is hashed,
 *   and only then, in one transaction (`TenantDatabase.resetPassword`), the ticket is spent (one
 *   UPDATE: of two racing submissions one wins) and the password set, which ends every session
 *   of the user (refresh tokens revoked) and lifts its brute-force blocks → 200 "Your password
 *   has been changed." A user deleted during the hash → 404 "Your password was not changed";
 *   a ticket used, retired or expired during it → the 400/410 page; neither changes anything.
 *
 * Every page: `Content-Security-Policy: default-src 'none'; style-src '<hash of the one style
 * sheet>'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`, `Cache-Control:
 * no-store`, `Referrer-Policy: no-referrer` (the ticket is in the URL), `X-Content-Type-Options:
 * nosniff`; every dynamic text HTML-escaped after its control characters are dropped. Under
 * `no-referrer` a browser's form POST carries `Origin: null`, so the Origin check lets this one
 * route through (origin.ts): its authority is the ticket in the body, no ambient credential.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TenantContext } from '../context';
import { connectionOf, hashPassword } from '../database';
import {
  checkPassword,
  ruleText,
  type PasswordPolicyName,
  type PasswordRule,
} from '../../shared/password-policy';
import { terminalLine } from '../../shared/untrusted-text';
import { PASSWORD_TOO_LONG, passwordFits } from '../../shared/signup-rules';
import { bodyOf } from '../request';
import { SIGNUP_MESSAGES } from '../signup';

/** The route (also the Origin check's one exception, origin.ts). */
export const RESET_ROUTE = '/lo/reset';

export const RESET_PAGE_TEXT = {
  title: 'Reset your password',
  invalid: 'This link is not valid',
  invalidDetail:
    'It may have been used already, or a newer email was sent. Ask for a new one from the sign-in window.',
  expired: 'This link has expired',
  expiredDetail: 'Ask for a new email from the sign-in window.',
  mismatch: 'The passwords do not match.',
  missing: 'Enter the new password twice.',
  changed: 'Your password has been changed.',
  changedDetail: 'You can now sign in with it. The account was signed out everywhere.',
  notChanged: 'Your password was not changed',
  noAccount: 'This account no longer exists.',
  serverError: 'Something went wrong on our side. Try again later: the link still works.',
  tooLarge: 'The form was too large',
  tooLargeDetail: 'Go back and enter a shorter password.',
  unreadable: 'The form could not be read',
  unreadableDetail: 'Open the link from the email again and fill in the form there.',
} as const;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}label{display:block;margin-top:1rem}input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font:inherit}.error{color:#b00020}.met::marker{content:"\\2713  "}.unmet{color:#b00020}.unmet::marker{content:"\\2717  "}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** Text for HTML: control characters dropped, then `& < > " '` escaped. */
function html(text: string): string {
  return terminalLine(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** One rule of the policy as a list item, marked met/unmet once a password was checked. */
function ruleItem(rule: PasswordRule, checked: boolean): string {
  const mark = checked ? ` class="${rule.verified ? 'met' : 'unmet'}"` : '';
  const items = rule.items?.length
    ? `<ul>${rule.items.map((item) => ruleItem(item, checked)).join('')}</ul>`
    : '';
  // Said in words too (not by colour and mark alone), so a screen reader hears which rules fail.
  const state = checked ? ` <span class="state">(${rule.verified ? 'met' : 'not met'})</span>` : '';
  return `<li${mark}>${html(ruleText(rule))}${state}${items}</li>`;
}

function send(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>\n`,
    );
}

const notice = (reply: FastifyReply, status: number, title: string, detail: string) =>
  send(reply, status, title, `<h1>${html(title)}</h1><p>${html(detail)}</p>`);

/** The form for `email`'s account; `problem`/`rules`: what the last submission got wrong. */
function form(
  reply: FastifyReply,
  status: number,
  args: {
    ticket: string;
    email: string;
    policy: PasswordPolicyName;
    problem?: string;
    rules?: PasswordRule[];
  },
) {
  const rules = args.rules ?? checkPassword(args.policy, '').rules;
  const problem = args.problem ? `<p class="error" role="alert">${html(args.problem)}</p>` : '';
  const body = `<h1>${html(RESET_PAGE_TEXT.title)}</h1>
<p>Choose a new password for <strong>${html(args.email)}</strong>.</p>${problem}
<p>Your password must meet these rules:</p><ul>${rules.map((r) => ruleItem(r, args.rules !== undefined)).join('')}</ul>
<form method="post" action="reset">
<input type="hidden" name="ticket" value="${html(args.ticket)}">
<label for="newPassword">New password</label>
<input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required autofocus>
<label for="confirmNewPassword">Confirm the new password</label>
<input type="password" id="confirmNewPassword" name="confirmNewPassword" autocomplete="new-password" required>
<button type="submit">Set the password</button>
</form>`;
  return send(reply, status, RESET_PAGE_TEXT.title, body);
}

/**
 * The page a browser gets when the request failed before or outside the route's own answers
 * (the server's error handler: body too large, unreadable, another content type, an internal
 * error): a person opened this route, so it is a page, never JSON. The status is kept.
 */
export function resetErrorPage(reply: FastifyReply, status: number) {
  if (status >= 500)
    return notice(reply, status, RESET_PAGE_TEXT.notChanged, RESET_PAGE_TEXT.serverError);
  if (status === 413)
    return notice(reply, 413, RESET_PAGE_TEXT.tooLarge, RESET_PAGE_TEXT.tooLargeDetail);
  return notice(reply, status, RESET_PAGE_TEXT.unreadable, RESET_PAGE_TEXT.unreadableDetail);
}

type Ticket =
  | { ok: true; userId: string; email: string; policy: PasswordPolicyName; bcryptCost: number }
  | { ok: false; status: 400 | 410 };

/** What the ticket opens: its user on a database connection that still exists, or the refusal. */
function lookUp(ctx: TenantContext, ticket: unknown): Ticket {
  if (typeof ticket !== 'string' || ticket === '' || ticket.length > 200)
    return { ok: false, status: 400 };
  const found = ctx.db.resetTicketState(ticket, ctx.now());
  if (found.state === 'expired') return { ok: false, status: 410 };
  if (found.state !== 'valid') return { ok: false, status: 400 };
  const user = ctx.db.findById(found.userId);
  const connection = user && connectionOf(user);
  const config = connection ? ctx.connections.get(connection)?.config : undefined;
  if (!user || config?.type !== 'database' || !config.enabled) return { ok: false, status: 400 };
  return {
    ok: true,
    userId: user.user_id,
    email: user.email ?? user.username ?? '',
    policy: config.passwordPolicy,
    bcryptCost: config.bcryptCost,
  };
}

function refused(reply: FastifyReply, status: 400 | 410) {
  return status === 410
    ? notice(reply, 410, RESET_PAGE_TEXT.expired, RESET_PAGE_TEXT.expiredDetail)
    : notice(reply, 400, RESET_PAGE_TEXT.invalid, RESET_PAGE_TEXT.invalidDetail);
}

export function registerResetPage(app: FastifyInstance, ctx: TenantContext): void {
  app.get(RESET_ROUTE, async (req, reply) => {
    const ticket = (req.query as Record<string, unknown>).ticket;
    const found = lookUp(ctx, ticket);
    if (!found.ok) return refused(reply, found.status);
    return form(reply, 200, { ticket: ticket as string, ...found });
  });

  app.post(RESET_ROUTE, async (req, reply) => {
    const body = bodyOf(req);
    const ticket = body.ticket;
    const found = lookUp(ctx, ticket);
    if (!found.ok) return refused(reply, found.status);
    const again = { ticket: ticket as string, ...found };
    const { newPassword, confirmNewPassword } = body;
    if (
      typeof newPassword !== 'string' ||
      typeof confirmNewPassword !== 'string' ||
      newPassword === '' ||
      confirmNewPassword === ''
    )
      return form(reply, 400, { ...again, problem: RESET_PAGE_TEXT.missing });
    if (newPassword !== confirmNewPassword)
      return form(reply, 400, { ...again, problem: RESET_PAGE_TEXT.mismatch });
    const verdict = checkPassword(found.policy, newPassword);
    if (!verdict.verified)
      return form(reply, 400, {
        ...again,
        problem: SIGNUP_MESSAGES.weakPassword,
        rules: verdict.rules,
      });
    if (!passwordFits(newPassword))
      return form(reply, 400, { ...again, problem: PASSWORD_TOO_LONG });
    // Hashed first (the slow part): the ticket is spent only together with the password.
    const passwordHash = await hashPassword(newPassword, found.bcryptCost);
    const outcome = ctx.db.resetPassword(ticket as string, found.userId, passwordHash, ctx.now());
    if (outcome === 'no_user')
      return notice(reply, 404, RESET_PAGE_TEXT.notChanged, RESET_PAGE_TEXT.noAccount);
    if (outcome === 'ticket_gone') {
      const now = lookUp(ctx, ticket);
      return refused(reply, now.ok ? 400 : now.status);
    }
    ctx.log(`password reset: ${found.userId}`);
    return notice(reply, 200, RESET_PAGE_TEXT.changed, RESET_PAGE_TEXT.changedDetail);
  });
}
