/**
 * What the signed-out screen shows of the tenant's text: the "Continue as…" names and the rules
 * of a tenant's `invalid_password` refusal. A tenant (or whoever controls a user's profile)
 * may put control, bidi-override and invisible characters in a name, or anything at all in an
 * error body; what reaches the window is one plain line, or nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  SCOPE_CHOICES,
  scopeChoiceFor,
  scopeForChoice,
  type LastLogin,
} from '../../src/shared/ipc';
import { checkPassword } from '../../src/shared/password-policy';
import { refusedRules, rulesSummary } from '../../src/renderer/signin/policy-verdicts';
import { lastLoginNames, shownText } from '../../src/renderer/signin/shown-text';
import { HOSTILE_TERMINAL } from '../fixtures/misbehaving-server';
import { setupI18n } from '@lingui/core';
import { compileMessage } from '@lingui/message-utils/compileMessage';
import signin from '../../src/renderer/i18n/icu/en/signin.json';

/** The window's English `t` for the sign-in area, from the catalog itself. */
const english = setupI18n();
english.setMessagesCompiler(compileMessage);
english.load('en', signin);
english.activate('en');
const t = (key: string, values?: Record<string, number>) => english._(key, values);

const STEERING =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/; // eslint-disable-line no-control-regex -- the point

const last = (fields: Partial<LastLogin>): LastLogin => ({
  tenant: 'http://127.0.0.1:4455',
  clientId: 'signet-demo',
  connection: 'Username-Password-Authentication',
  kind: 'database',
  username: 'ada@signet.test',
  at: '2026-12-02T04:00:00.000Z',
  ...fields,
});

describe('shownText', () => {
  it('drops terminal escapes, bidi overrides and invisible characters, and keeps one line', () => {
    const shown = shownText(HOSTILE_TERMINAL);
    expect(shown).not.toMatch(STEERING);
    expect(shown).not.toContain('\n');
    expect(shownText('Ada\u200b \u202eecalevol\u202c\u2066\u200f')).toBe('Ada ecalevol');
  });

  it('cuts a long text at a whole character, with an ellipsis', () => {
    const shown = shownText(`${'a'.repeat(10)}😀😀`, 11);
    expect(shown).toBe(`${'a'.repeat(10)}…`);
    expect(shownText('😀'.repeat(20), 5)).toBe('😀😀😀😀…');
  });
});

describe('lastLoginNames', () => {
  it('names the person and, in brackets, the email', () => {
    expect(lastLoginNames(last({ name: 'Ada Lovelace', email: 'ada@signet.test' }))).toEqual({
      name: 'Ada Lovelace',
      detail: 'ada@signet.test',
    });
  });

  it('falls back to what was typed, without repeating it', () => {
    expect(lastLoginNames(last({ kind: 'sms', username: '+12015550123' }))).toEqual({
      name: '+12015550123',
      detail: '',
    });
    expect(lastLoginNames(last({ name: 'grace', username: 'grace', kind: 'ad' }))).toEqual({
      name: 'grace',
      detail: '',
    });
  });

  it('a name of only invisible characters does not hide who it is', () => {
    const names = lastLoginNames(last({ name: '\u202e\u200b\u0007', email: 'ada@signet.test' }));
    expect(names).toEqual({ name: 'ada@signet.test', detail: '' });
  });
});

describe('refusedRules', () => {
  const refusal = (rules: unknown) => ({
    code: 'invalid_password',
    message: 'This password is too weak.',
    detail: { rules },
  });

  it('keeps password-sheriff’s rules as the tenant sent them', () => {
    const { rules } = checkPassword('good', 'short1');
    expect(refusedRules(refusal(rules))).toEqual(rules);
  });

  it('is null for other refusals and for rules of no known shape', () => {
    const { rules } = checkPassword('good', 'short1');
    expect(refusedRules({ code: 'user_exists', message: 'x', detail: { rules } })).toBeNull();
    expect(refusedRules(refusal('At least 8'))).toBeNull();
    expect(refusedRules(refusal([{ message: 1, verified: 'no' }, null, 'x']))).toBeNull();
    expect(refusedRules(null)).toBeNull();
  });

  it('makes the tenant’s text safe and keeps its size sane', () => {
    const hostile = {
      message: `At least %d ${HOSTILE_TERMINAL}`,
      format: [8, `${HOSTILE_TERMINAL}`, { toString: 'x' }, 4, 5, 6],
      code: 'lengthAtLeast',
      verified: false,
      items: Array.from({ length: 50 }, () => ({
        message: 'x',
        verified: true,
        code: 'c',
        items: [{ message: 'too deep', verified: true, code: 'd' }],
      })),
    };
    const [rule, ...rest] = refusedRules(refusal(Array(100).fill(hostile)))!;
    expect(rest).toHaveLength(19);
    expect(JSON.stringify(rule)).not.toMatch(STEERING);
    expect(rule!.format).toHaveLength(3);
    expect(rule!.items).toHaveLength(10);
    expect(rule!.items![0]!.items).toBeUndefined();
  });
});

describe('rulesSummary', () => {
  it('counts the top-level rules met', () => {
    expect(rulesSummary(checkPassword('good', 'short1').rules, t)).toBe(
      'The password meets 0 of 2 rules.',
    );
    expect(rulesSummary(checkPassword('good', 'Correct-Horse-9').rules, t)).toBe(
      'The password meets every rule.',
    );
  });
});

describe('the scope a sign-in asks for', () => {
  it('is the settings’ own scope when IT locks it, whatever the form chose', () => {
    expect(scopeForChoice('remember', 'openid profile email', true)).toBe('openid profile email');
  });

  it('keeps a hand-written scope when the form’s choice is the one it stands for', () => {
    const custom = 'openid email offline_access read:reports';
    expect(scopeChoiceFor(custom)).toBe('remember');
    expect(scopeForChoice('remember', custom, false)).toBe(custom);
    expect(scopeForChoice('basic', custom, false)).toBe(SCOPE_CHOICES.basic.scope);
  });

  it('starts the form at the nearest choice', () => {
    expect(scopeChoiceFor('openid name email')).toBe('basic');
    expect(scopeChoiceFor('openid profile email')).toBe('profile');
    expect(scopeChoiceFor(undefined)).toBe('remember');
  });
});
