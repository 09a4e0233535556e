/**
 * The types of the window's messages, apart from the runtime (index.ts) so pure modules and
 * their Node-side unit tests can name them: a key is one of the English catalog's, a file per
 * area of the window (`icu/<lang>/<area>.json`; a key lives in exactly one area).
 */
import type diagnostics from './icu/en/diagnostics.json';
import type errors from '../../shared/error-text.en.json';
import type session from './icu/en/session.json';
import type settings from './icu/en/settings.json';
import type shell from './icu/en/shell.json';
import type signin from './icu/en/signin.json';

/** A message key: the English catalog's keys (a typo fails typecheck). */
export type MessageKey = keyof (typeof shell &
  typeof signin &
  typeof session &
  typeof settings &
  typeof diagnostics &
  typeof errors);

/** Values for a message's placeholders (`{reason}`, plural counts). */
export type MessageValues = Record<string, string | number>;

/** Looks a message up in the active language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;
