/**
 * Sentences with elements inside (src/renderer/i18n/rich.ts): each language places the element
 * (a name, a code, a screen-reader-only part) where its word order wants it, through a
 * placeholder or a numbered tag; the catalog check refuses a translation that loses a tag.
 */
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessageValues, Translate } from '../../src/renderer/i18n/keys';
import { rich } from '../../src/renderer/i18n/rich';
import { catalogProblems } from '../../scripts/catalog-check';

/** A translate function over a one-language catalog, filling `{name}` as ICU would. */
const over =
  (catalog: Record<string, string>): Translate =>
  (key, values: MessageValues = {}) =>
    catalog[key as string]!.replace(/\{(\w+)\}/g, (_, n: string) => String(values[n] ?? `{${n}}`));
const html = (node: ReactNode) => renderToStaticMarkup(createElement('p', null, node));
const key = 'k' as Parameters<Translate>[0];

describe('rich sentences', () => {
  it('puts a placeholder’s element where each language puts it', () => {
    const name = createElement('bdi', null, 'Ada');
    expect(html(rich(over({ k: 'Continue as {name}' }), key, { name }))).toBe(
      '<p>Continue as <bdi>Ada</bdi></p>',
    );
    expect(html(rich(over({ k: '{name} として続行' }), key, { name }))).toBe(
      '<p><bdi>Ada</bdi> として続行</p>',
    );
  });

  it('renders a tag as its part, the paired form with its translated inner text as children', () => {
    const hidden = (c: ReactNode) => createElement('span', { className: 'vh' }, c);
    const t = over({ k: 'Anzeigen<0> (Anfrage {n})</0>' });
    expect(html(rich(t, key, { 0: hidden }, { n: 3 }))).toBe(
      '<p>Anzeigen<span class="vh"> (Anfrage 3)</span></p>',
    );
    const file = () => createElement('bdi', null, 'a.csv');
    expect(html(rich(over({ k: '未加载 <0/>：<1/>。' }), key, { 0: file, 1: 'line 2' }))).toBe(
      '<p>未加载 <bdi>a.csv</bdi>：line 2。</p>',
    );
  });

  it('leaves text that only looks like a tag or a placeholder as text', () => {
    expect(html(rich(over({ k: 'a <b> {c}' }), key, {}))).toBe('<p>a &lt;b&gt; {c}</p>');
  });

  it('shows a value that looks like a tag or a mark as text, never as an element', () => {
    const code = (c: ReactNode) => createElement('code', null, c);
    const t = over({ k: 'Hello {name}, <0>see</0> {n}' });
    expect(html(rich(t, key, { 0: code }, { name: '<0>boss</0>', n: 2 }))).toBe(
      '<p>Hello &lt;0&gt;boss&lt;/0&gt;, <code>see</code> 2</p>',
    );
    expect(html(rich(t, key, { 0: code }, { name: '\uE0000\uE000', n: 2 }))).toBe(
      '<p>Hello \uE0000\uE000, <code>see</code> 2</p>',
    );
  });

  it('the catalog check refuses a translation that lost or changed a tag', () => {
    const problems = catalogProblems({
      en: { a: '<0/> was not loaded', b: 'Show<0> request</0>' },
      de: { a: 'wurde nicht geladen', b: 'Anzeigen<1> Anfrage</1>' },
    });
    expect(problems).toEqual([
      'de: "a" has tags none, English <0/>',
      'de: "b" has tags </1> <1>, English </0> <0>',
    ]);
  });
});
