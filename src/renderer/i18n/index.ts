/**
 * The window's translations (issue 13): one Lingui `i18n` instance, catalogs compiled from ICU
 * at build time (scripts/icu-plugin.ts), so no ICU parser ships. English comes with the entry
 * (the form never waits for it, and it sits under every other language as the fallback); the
 * other languages are one lazy chunk each, loaded on first use. Switching re-renders every `useT` user:
 * no reload.
 */
import { i18n, type Messages } from '@lingui/core';
import { useSyncExternalStore } from 'react';
import { languageDirection, type LanguageTag } from '../../shared/languages';
import type { MessageKey, Translate } from './keys';
import errors from '../../shared/error-text.en.json';
import shell from './icu/en/shell.json';
import signin from './icu/en/signin.json';

/**
 * The English catalog, one file per area of the window (`icu/<lang>/<area>.json`; a key lives
 * in exactly one area; keys.ts names them all). What the first screen needs comes with the
 * entry: the shell, the sign-in forms and the `errors` area — core's own sentences,
 * src/shared/error-text.en.json, written once for the CLI and the window and compiled by the
 * plugin like the other areas (the shared error factories carry it into the entry anyway).
 * The lazy screens' areas load with those screens (`withArea`), keeping the entry small.
 * The plugin has compiled the JSON; TypeScript sees the source text (only the keys matter).
 */
const english = { ...shell, ...signin, ...errors } as unknown as Messages;

/** The areas that load with their lazy screen, in English. */
export type LazyArea = 'session' | 'settings' | 'diagnostics';
const englishLater = import.meta.glob<Messages>(
  ['./icu/en/session.json', './icu/en/settings.json', './icu/en/diagnostics.json'],
  { import: 'default' },
);
/**
 * Every other language's whole catalog, one lazy chunk each: an area file imported with
 * `?language` is all the areas of its folder, merged (scripts/icu-plugin.ts).
 * `./icu/de/shell.json` → loader of German.
 */
const languages = import.meta.glob<Messages>(['./icu/*/shell.json', '!./icu/en/*.json'], {
  query: '?language',
  import: 'default',
});

export type { MessageKey, MessageValues, Translate } from './keys';

/** Whether `key` is a message of the window's catalog (a key sent by core, before trusting it). */
export const hasMessage = (key: string): key is MessageKey => Object.hasOwn(english, key);

i18n.load('en', english);
i18n.activate('en');

/**
 * English's `area` (Vite's loader caches the module; loading twice only re-assigns). Other
 * languages load all their areas at once (setLanguage), and the catalog check keeps them
 * complete, so they never need this English under them.
 */
async function loadEnglish(area: LazyArea): Promise<void> {
  const load = englishLater[`./icu/en/${area}.json`];
  if (!load) return;
  const messages = await load();
  Object.assign(english, messages);
  i18n.load('en', messages);
}

/** A lazy screen's module loader that also brings its English area: `lazy(withArea(…))`. */
export const withArea =
  <T>(area: LazyArea, load: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([load(), loadEnglish(area)]).then(([module]) => module);

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
  const load = languages[`./icu/${lang}/shell.json`];
  if (load && !loaded.has(lang)) {
    i18n.load(lang, { ...english, ...(await load()) });
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
