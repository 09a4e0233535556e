/**
 * Sentences with elements inside (src/renderer/diagnostics/rich.tsx): each language places
 * the element (a file name, a code, a screen-reader-only part) where its word order wants
 * it, so every catalog must keep English's tags — a lost `<0/>` would drop the file name
 * from the sentence, silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { rich } from '../../src/renderer/diagnostics/rich';

const DIR = join(import.meta.dirname, '../../src/renderer/i18n/icu');
const read = (lang: string) =>
  JSON.parse(readFileSync(join(DIR, lang, 'diagnostics.json'), 'utf8')) as Record<string, string>;
const tags = (message: string) => (message.match(/<\/?\d+\/?>/g) ?? []).sort();

const html = (node: ReturnType<typeof rich>) =>
  renderToStaticMarkup(createElement('p', null, node));

describe('rich sentences', () => {
  it('renders each tag as its part, the paired form with its inner text as children', () => {
    const hidden = (c: unknown) => createElement('span', { className: 'vh' }, c as string);
    expect(html(rich('Show<0> request 3</0>', [hidden]))).toBe(
      '<p>Show<span class="vh"> request 3</span></p>',
    );
    expect(html(rich('Anzeigen<0> (Anfrage 3)</0>', [hidden]))).toBe(
      '<p>Anzeigen<span class="vh"> (Anfrage 3)</span></p>',
    );
    const file = () => createElement('bdi', null, 'a.csv');
    const why = () => createElement('span', null, 'line 2');
    // Word order is the catalog's: the same parts, placed where each language puts them.
    expect(html(rich('<0/> was not loaded: <1/>.', [file, why]))).toBe(
      '<p><bdi>a.csv</bdi> was not loaded: <span>line 2</span>.</p>',
    );
    expect(html(rich('未加载 <0/>：<1/>。', [file, why]))).toBe(
      '<p>未加载 <bdi>a.csv</bdi>：<span>line 2</span>。</p>',
    );
    expect(html(rich('No tags here.', []))).toBe('<p>No tags here.</p>');
  });

  it('every language keeps English’s tags in every diagnostics message', () => {
    const en = read('en');
    const wrong: string[] = [];
    for (const lang of readdirSync(DIR).filter((l) => l !== 'en')) {
      const catalog = read(lang);
      for (const [key, message] of Object.entries(en))
        if (JSON.stringify(tags(catalog[key] ?? '')) !== JSON.stringify(tags(message)))
          wrong.push(`${lang}: ${key}`);
    }
    expect(wrong).toEqual([]);
  });
});
