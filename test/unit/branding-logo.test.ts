/** The branding logo: read by main, decided by content, PNG checked, SVG sanitised. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogo, MAX_LOGO_PIXELS } from '../../src/core/settings/branding-logo.js';
import { sanitizeSvg } from '../../src/core/settings/svg-logo.js';
import { PLAIN_SVG, pngBytes } from '../fixtures/images';

const dir = mkdtempSync(join(tmpdir(), 'signet-logo-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** The logo's data URL, failing the test with the problem when there is none. */
async function dataUrl(path: string): Promise<{ mime: string; body: Buffer }> {
  const r = await readLogo(path);
  if (!('dataUrl' in r)) throw new Error(`expected a logo, got: ${r.problem}`);
  const m = /^data:(image\/(?:png|svg\+xml));base64,([A-Za-z0-9+/=]+)$/.exec(r.dataUrl);
  if (!m) throw new Error(`not a base64 data URL: ${r.dataUrl.slice(0, 60)}`);
  return { mime: m[1]!, body: Buffer.from(m[2]!, 'base64') };
}
async function problem(path: string): Promise<string> {
  const r = await readLogo(path);
  if (!('problem' in r)) throw new Error('expected a problem, got a logo');
  return r.problem;
}
/** What the window would draw: the sanitised SVG's text. */
async function cleaned(svg: string): Promise<string> {
  const r = await sanitizeSvg(svg);
  if (!('svg' in r)) throw new Error(`refused: ${r.refused}`);
  return r.svg;
}
/** Nothing in it runs or fetches: no script, no handler, no reference outside the file. */
function assertInert(output: string): void {
  // The namespace names are identifiers, never fetched.
  const svg = output.replace(/ xmlns(?::xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
  expect(svg).not.toMatch(/<script|<foreignObject|<image|<style|<iframe|<set|<animate/i);
  expect(svg).not.toMatch(/\son\w+\s*=/i);
  expect(svg).not.toMatch(/javascript:|data:|@import|http:|https:|\/\/evil/i);
  for (const m of svg.matchAll(/(?:xlink:)?href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
  for (const m of svg.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^['"]?#/);
}

describe('branding logo file', () => {
  it('passes a PNG through byte for byte as a data:image/png URL', async () => {
    const png = pngBytes(32, 32);
    const logo = await dataUrl(file('logo.png', png));
    expect(logo.mime).toBe('image/png');
    expect(logo.body.equals(png)).toBe(true);
  });

  it('decides the type by content: a PNG named .svg is a PNG, an SVG named .png an SVG', async () => {
    expect((await dataUrl(file('really-png.svg', pngBytes(8, 8)))).mime).toBe('image/png');
    const svg = await dataUrl(file('really-svg.png', PLAIN_SVG));
    expect(svg.mime).toBe('image/svg+xml');
    expect(svg.body.toString()).toContain('<rect');
  });

  it('keeps a plain logo drawable: shapes, gradient, text and its local url(#g)', async () => {
    const svg = (await dataUrl(file('plain.svg', PLAIN_SVG))).body.toString();
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('<linearGradient id="g">');
    expect(svg).toContain('>Acme</text>');
    expect(svg).toContain('style="fill:#fff"');
  });

  it('refuses a text file, an empty file and a file that is neither image', async () => {
    expect(await problem(file('notes.svg', 'just some notes\n'))).toMatch(/not a PNG or SVG/);
    expect(await problem(file('empty.png', ''))).toMatch(/empty/);
    expect(await problem(file('html.svg', '<html><svg></svg></html>'))).toMatch(/not a PNG or SVG/);
    expect(
      await problem(file('binary.png', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x80]))),
    ).toMatch(/not a PNG or SVG/);
  });

  it('refuses a 300 KB file by its size, before reading it', async () => {
    const big = `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(11_000)}</svg>`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(300 * 1024);
    expect(await problem(file('big.svg', big))).toMatch(/is 30\d KB; a logo may be at most 256 KB/);
  });

  it('answers a missing file, a directory, a FIFO and a symlink loop with a problem, never a hang', async () => {
    expect(await problem(join(dir, 'nope.png'))).toMatch(/does not exist/);
    mkdirSync(join(dir, 'folder.png'));
    expect(await problem(join(dir, 'folder.png'))).toMatch(/is not a file/);
    const fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    expect(await problem(fifo)).toMatch(/is not a file/);
    symlinkSync(join(dir, 'loop-b.png'), join(dir, 'loop-a.png'));
    symlinkSync(join(dir, 'loop-a.png'), join(dir, 'loop-b.png'));
    expect(await problem(join(dir, 'loop-a.png'))).toMatch(/loop of symbolic links/);
  });

  it('refuses a PNG whose header is not sane: a pixel bomb, a cut-short file, a bad IHDR', async () => {
    const bomb = pngBytes(1, 1, undefined, { width: 100_000, height: 100_000 });
    expect(await problem(file('bomb.png', bomb))).toMatch(
      new RegExp(`100000×100000 pixels; a logo may be at most ${MAX_LOGO_PIXELS}`),
    );
    const png = pngBytes(16, 16);
    expect(await problem(file('cut.png', png.subarray(0, png.length - 12)))).toMatch(/cut short/);
    const badDepth = Buffer.from(png);
    badDepth[24] = 3; // bit depth 3 exists for no colour type
    expect(await problem(file('depth.png', badDepth))).toMatch(/header is not valid/);
  });
});

describe('hostile SVG logos are neutralised', () => {
  const svg = (body: string, attrs = '') =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${body}<rect width="10" height="10" fill="#123456"/></svg>`;

  it.each([
    ['a script element', svg('<script>alert(1)</script><script><![CDATA[alert(2)]]></script>')],
    ['an onload handler', svg('<circle r="2" onclick="alert(1)"/>', ' onload="alert(1)"')],
    [
      'foreignObject with HTML',
      svg(
        '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/><iframe src="https://evil.example"/></div></foreignObject>',
      ),
    ],
    ['an external href', svg('<a href="https://evil.example"><text>go</text></a>')],
    ['a javascript: href', svg('<a xlink:href="javascript:alert(1)"><text>x</text></a>')],
    ['<use> of a remote file', svg('<use href="http://evil.example/sprite.svg#logo"/>')],
    ['<use> of a data: URL', svg('<use xlink:href="data:image/svg+xml;base64,PHN2Zz4="/>')],
    ['an <image>', svg('<image href="https://evil.example/track.png" width="1" height="1"/>')],
    [
      'CSS @import and url() in a style attribute',
      svg(
        `<rect style="fill: url(https://evil.example/x); background: url(javascript:alert(1))"/><circle style="@import 'https://evil.example/a.css'; fill: red"/>`,
      ),
    ],
    [
      'a url() to another file in a paint attribute',
      svg('<rect fill="url(https://evil.example/p#g)"/>'),
    ],
    [
      'a style element',
      svg('<style>@import url(https://evil.example/a.css); rect{fill:red}</style>'),
    ],
    [
      'animation that rewrites an href',
      svg('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'),
    ],
    ['entity-encoded javascript:', svg('<a href="&#106;avascript:alert(1)"><text>x</text></a>')],
  ])('%s', async (_name, hostile) => {
    // The check bites on the file as it came…
    expect(() => assertInert(hostile)).toThrow();
    // …and passes on what the window gets.
    const out = await cleaned(hostile);
    assertInert(out);
    // What was harmless is still drawn.
    expect(out).toContain('fill="#123456"');
  });

  it('refuses entity declarations (billion laughs, XXE) instead of expanding them', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>`;
    const xxe = `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`;
    for (const text of [laughs, xxe]) {
      const path = file('entities.svg', text);
      expect(await problem(path)).toMatch(/declares entities/);
    }
  });

  it('drops a plain DOCTYPE and keeps the drawing', async () => {
    const out = await cleaned(
      `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${svg('')}`,
    );
    expect(out).not.toMatch(/DOCTYPE|w3\.org\/Graphics/);
    expect(out).toContain('fill="#123456"');
  });
});
