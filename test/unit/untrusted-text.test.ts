/**
 * Tenant and user text in the Markdown exports, rendered by a real GFM renderer (micromark with
 * GitHub's extensions, as github.com renders a pasted report): a hostile value stays one cell of
 * plain text — no forged row or column, no raw HTML, no image, and no link, not even GitHub's
 * bracket-less autolinks.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { markdownText, terminalLine } from '../../src/shared/untrusted-text.js';
import { HOSTILE_MARKDOWN, HOSTILE_TERMINAL } from '../fixtures/misbehaving-server.js';

const render = (md: string) =>
  micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** A two-column table whose second cell holds `value`, rendered to HTML. */
const tableWith = (value: string) =>
  render(`| a | b |\n|---|---|\n| 1 | ${markdownText(value)} |\n`);

const AUTOLINKED = [
  'see https://evil.example/reset?x=1 now',
  'http://10.0.0.1:8080/a',
  'www.evil.example/login',
  'mail bob@evil.example today',
  'mailto:bob@evil.example',
];

describe('markdownText in a GFM table', () => {
  it.each([HOSTILE_MARKDOWN, HOSTILE_TERMINAL, ...AUTOLINKED])(
    'keeps %j one plain cell',
    (value) => {
      const html = tableWith(value);
      expect(html.match(/<tr>/g)).toHaveLength(2); // the header and the one row
      expect(html.match(/<td>/g)).toHaveLength(2);
      expect(html).not.toMatch(/<a\b|<img\b|<b>|<script/i);
    },
  );

  it('the text still reads as it was sent', () => {
    for (const value of AUTOLINKED) {
      const text = tableWith(value)
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&');
      expect(text).toContain(terminalLine(value));
    }
  });

  it('without the code spans GitHub would have made links (the test can fail)', () => {
    for (const value of AUTOLINKED)
      expect(render(`| a | b |\n|---|---|\n| 1 | ${value} |\n`)).toMatch(/<a\b/);
  });
});
