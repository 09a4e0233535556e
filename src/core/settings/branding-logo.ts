/**
 * The branding logo file, read and checked by main (never by the window): a regular file of
 * at most 256 KB, a PNG or an SVG decided by its content (not its name), answered as a
 * `data:` URL the window's CSP already allows (`img-src 'self' data:`). A PNG passes through
 * when its header is sane; an SVG is sanitised first (svg-logo.ts). Anything else is a
 * problem sentence for Diagnostics, never an exception and never a hang (a FIFO is opened
 * non-blocking and refused by its fstat).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { BRANDING_LIMITS, type BrandingNote } from '../../shared/branding.js';
import { errorText, type ErrorTextKey, type TextValues } from '../../shared/error-text.js';
import { sanitizeSvg } from './svg-logo.js';

/** The largest width or height of a PNG logo: a 256 KB file can hold a 100 000² pixel bomb. */
export const MAX_LOGO_PIXELS = 4096;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bit depths PNG allows per colour type (PNG spec, 11.2.2 IHDR). */
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** The logo as a data URL, or the sentence saying why it cannot be shown (`problem`, English). */
export type LogoResult = { dataUrl: string } | { problem: string; i18n: BrandingNote['i18n'] };

/** The problem of the logo at `path`: the sentence of `key`, in English and as its key. */
export function logoProblem(key: ErrorTextKey, path: string, values?: TextValues) {
  const { message, i18n } = errorText(key, { path, ...values });
  return { problem: message, i18n };
}

/** Why a PNG's header is not sane (a sentence's key and values), or undefined when it is. */
function pngProblem(png: Buffer): [ErrorTextKey, TextValues?] | undefined {
  if (png.length < 8 + 25 + 12) return ['errors.branding.logo.pngShort'];
  if (png.readUInt32BE(8) !== 13 || png.toString('latin1', 12, 16) !== 'IHDR')
    return ['errors.branding.logo.pngNoHeader'];
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (!width || !height) return ['errors.branding.logo.pngNoSize'];
  if (width > MAX_LOGO_PIXELS || height > MAX_LOGO_PIXELS)
    return ['errors.branding.logo.pngTooBig', { width, height, max: MAX_LOGO_PIXELS }];
  const [depth, type, compression, filter, interlace] = [...png.subarray(24, 29)] as number[];
  if (!PNG_DEPTHS[type!]?.includes(depth!) || compression !== 0 || filter !== 0 || interlace! > 1)
    return ['errors.branding.logo.pngInvalid'];
  if (png.toString('latin1', png.length - 8, png.length - 4) !== 'IEND')
    return ['errors.branding.logo.pngEnd'];
  return undefined;
}

/** A read error as the sentence IT reads. */
function readProblem(path: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return logoProblem('errors.branding.logo.missing', path);
    case 'ELOOP':
      return logoProblem('errors.branding.logo.loop', path);
    case 'EACCES':
    case 'EPERM':
      return logoProblem('errors.branding.logo.forbidden', path);
    default:
      return logoProblem('errors.branding.logo.unreadable', path, {
        reason: code ?? (err instanceof Error ? err.message : String(err)),
      });
  }
}

/**
 * The file's bytes, at most `BRANDING_LIMITS.logoBytes`: opened once and checked through the
 * same descriptor (what is read is what was checked), the size checked by fstat before
 * reading and again on the bytes read (a file growing meanwhile is refused too).
 */
function readCapped(path: string): { bytes: Buffer } | Exclude<LogoResult, { dataUrl: string }> {
  const max = BRANDING_LIMITS.logoBytes;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return logoProblem('errors.branding.logo.notFile', path);
    const tooLarge = (size: number) =>
      logoProblem('errors.branding.logo.tooLarge', path, {
        size: Math.ceil(size / 1024),
        max: max / 1024,
      });
    if (st.size > max) return tooLarge(st.size);
    // One byte more than allowed: reading it proves the file grew past the cap.
    const buf = Buffer.alloc(max + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > max) return tooLarge(got);
    if (got === 0) return logoProblem('errors.branding.logo.empty', path);
    return { bytes: buf.subarray(0, got) };
  } catch (err) {
    return readProblem(path, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads the logo at `path` and answers it as a `data:` URL, or the problem: missing, not a
 * file, too large, not a PNG or SVG by its content, a broken PNG header, an SVG refused.
 */
export async function readLogo(path: string): Promise<LogoResult> {
  const read = readCapped(path);
  if ('problem' in read) return read;
  const { bytes } = read;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    const problem = pngProblem(bytes);
    if (problem) return logoProblem(problem[0], path, problem[1]);
    return { dataUrl: `data:image/png;base64,${bytes.toString('base64')}` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return logoProblem('errors.branding.logo.notImage', path);
  }
  const svg = await sanitizeSvg(text);
  if ('refused' in svg) return logoProblem(svg.refused, path);
  return { dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg.svg).toString('base64')}` };
}
