/**
 * The window's translations (issue 13): one Lingui `i18n` instance, catalogs compiled from ICU
 * at build time (scripts/icu-plugin.ts), so no ICU parser ships. English comes with the entry
 * (the form never waits for it, and it sits under every other language as the fallback); the
 * other languages are lazy chunks loaded on first use. Switching re-renders every `useT` user:
 * no reload.
 */
import { i18n, type Messages } from '@lingui/core';
import { useSyncExternalStore } from 'react';
import { languageDirection, type LanguageTag } from '../../shared/languages';
import type { Translate } from './keys';
import diagnostics from './icu/en/diagnostics.json';
import errors from '../../shared/error-text.en.json';
import session from './icu/en/session.json';
import settings from './icu/en/settings.json';
import shell from './icu/en/shell.json';
import signin from './icu/en/signin.json';

/**
 * The English catalog, one file per area of the window (`icu/<lang>/<area>.json`; a key lives
 * in exactly one area): its keys are the reference every language must match. The `errors`
 * area in English is core's own sentences, src/shared/error-text.en.json (each written once,
 * for the CLI and the window alike), compiled by the plugin like the other areas.
 */
const en = { ...shell, ...signin, ...session, ...settings, ...diagnostics, ...errors };

export type { MessageKey, MessageValues, Translate } from './keys';

/** Whether `key` is a message of the catalog (a key sent by core, say, before trusting it). */
export const hasMessage = (key: string): key is MessageKey => Object.hasOwn(en, key);

// The plugin has compiled the JSON; TypeScript sees the source text (only the keys matter).
const english = en as unknown as Messages;
/** Every other language's area files, each a lazy chunk: `./icu/de/signin.json` → loader. */
const loaders = import.meta.glob<Messages>(['./icu/*/*.json', '!./icu/en/*.json'], {
  import: 'default',
});

i18n.load('en', english);
i18n.activate('en');

/** Counts the asks: only the newest language lands when two loads overlap. */
let asked = 0;
/** The languages whose catalog is in `i18n` already. */
const loaded = new Set<string>(['en']);

/**
 * Makes `lang` the window's language: loads its catalog once (English under it, so a key a
 * catalog lacks still reads as English, never as the key), activates it and sets `<html lang>`
 * and `dir` (Arabic is right-to-left).
 */
export async function setLanguage(lang: LanguageTag): Promise<void> {
  const ask = ++asked;
  const files = Object.entries(loaders).filter(([path]) => path.startsWith(`./icu/${lang}/`));
  if (files.length && !loaded.has(lang)) {
    const areas = await Promise.all(files.map(([, load]) => load()));
    i18n.load(lang, Object.assign({}, english, ...areas) as Messages);
    loaded.add(lang);
  }
  if (ask !== asked) return;
  if (i18n.locale !== lang) i18n.activate(lang);
  const root = document.documentElement;
  root.lang = lang;
  root.dir = languageDirection(lang);
}

/** Bumped on every change: loading more messages for the same locale must re-render too. */
let version = 0;
i18n.on('change', () => void version++);
const subscribe = (onChange: () => void) => i18n.on('change', onChange);

/** The translate function for a component, re-rendering it when the language changes. */
export function useT(): Translate {
  useSyncExternalStore(subscribe, () => version);
  return (key, values) => i18n._(key, values);
}
