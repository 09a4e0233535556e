/**
 * An SVG logo made safe to show: only drawing survives. Parsed as XML by `sanitize-html`
 * (htmlparser2) against a strict allowlist of SVG shape, gradient and text elements and
 * presentation attributes, so nothing that runs or fetches can pass: no `script`, no
 * `foreignObject` (HTML inside an SVG), no `image`, no animation (`set`/`animate` can rewrite
 * an `href`), no `style` element, no event handler, no reference outside the file (an `href`
 * must be `#fragment`, a `url(…)` must be `url(#fragment)`), no `javascript:`/`data:` value,
 * no CSS `@import` or `expression()`. A DOCTYPE with declarations (entities: XXE, "billion
 * laughs") is refused outright; a plain one is dropped. Shown as a `data:` image in an `<img>`,
 * where a browser runs no script anyway: the sanitising is the second wall, and what makes the
 * same file safe wherever else it may be shown.
 */
import type sanitizeHtml from 'sanitize-html';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Elements that draw (shapes, text, gradients, clipping) and group; nothing else. */
const ELEMENTS = [
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'symbol',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'marker',
];

/** Presentation properties, as attributes and inside a `style` attribute. */
const PRESENTATION = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'stop-color',
  'stop-opacity',
  'clip-rule',
  'color',
  'display',
  'visibility',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'vector-effect',
  'shape-rendering',
];

/** Geometry, structure and accessibility attributes. */
const ATTRIBUTES = [
  ...PRESENTATION,
  'id',
  'class',
  'style',
  'xmlns',
  'xmlns:xlink',
  'version',
  'viewBox',
  'preserveAspectRatio',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'dx',
  'dy',
  'd',
  'points',
  'transform',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'clip-path',
  'mask',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'marker-start',
  'marker-mid',
  'marker-end',
  'href',
  'xlink:href',
  'textLength',
  'lengthAdjust',
  'xml:space',
  'role',
  'aria-label',
  'aria-hidden',
  'focusable',
];

/** A reference inside the file: `#id`. */
const FRAGMENT = /^#[\w.:-]+$/;
/** `url(#id)`, the only `url()` kept (gradients, clip paths, masks, markers). */
const LOCAL_URL = /url\(\s*(['"]?)#[\w.:-]+\1\s*\)/gi;
/** What no drawing value needs: markup, escapes, schemes, CSS imports and expressions. */
const HOSTILE_VALUE = /[<>`\\]|javascript:|vbscript:|data:|@import|expression\s*\(|url\(/i;
/** A CSS value in a `style` attribute: words, numbers, colours, `url(#id)`, rgb()/hsl(). */
const CSS_VALUE = /^(?:[#\w\s.,%+-]|url\(#[\w.:-]+\)|(?:rgba?|hsla?)\([\d\s.,%/+-]*\))*$/i;
/** A font list: names, quoted or not. */
const CSS_FONT = /^[\w\s,'"-]*$/;

/** Whether an attribute value is free of anything that fetches or runs. */
function safeValue(value: string): boolean {
  return !HOSTILE_VALUE.test(value.replace(LOCAL_URL, ''));
}

/** Each element's attributes after the value checks (before the allowlist of sanitize-html). */
function checkAttributes(tagName: string, attribs: Record<string, string>) {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower.startsWith('xmlns')) continue;
    if (lower === 'href' || lower === 'xlink:href') {
      if (FRAGMENT.test(value.trim())) kept[name] = value.trim();
      continue;
    }
    if (safeValue(value)) kept[name] = value;
  }
  // The root gets SVG's namespace (an `<img>` draws nothing without it) and no other.
  if (tagName === 'svg') {
    kept.xmlns = SVG_NS;
    kept['xmlns:xlink'] = XLINK_NS;
  }
  return { tagName, attribs: kept };
}

const OPTIONS: sanitizeHtml.IOptions = {
  parser: { xmlMode: true, decodeEntities: true },
  allowedTags: ELEMENTS,
  allowedAttributes: Object.fromEntries(ELEMENTS.map((e) => [e, ATTRIBUTES])),
  allowedStyles: {
    '*': Object.fromEntries(
      PRESENTATION.map((p) => [p, [p === 'font-family' ? CSS_FONT : CSS_VALUE]]),
    ),
  },
  // No scheme at all: the only links kept are `#fragment`s (checked above).
  allowedSchemes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Dropped with everything inside them, text included.
  nonTextTags: ['script', 'style', 'foreignObject', 'iframe', 'object', 'embed', 'noscript'],
  transformTags: { '*': checkAttributes },
  selfClosing: [],
};

/**
 * What comes before the root element: an XML declaration, comments, a DOCTYPE without an
 * internal subset; then the root must be `<svg`.
 */
const SVG_PROLOG =
  /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^[>]*>)\s*)*<svg[\s>/]/;

/** Whether the text is an SVG document: its root element, parsed past the prolog, is `svg`. */
export function isSvgDocument(text: string): boolean {
  return SVG_PROLOG.test(text);
}

/**
 * Why an SVG is refused: the key of the sentence "{path} cannot be used: …" in
 * src/shared/error-text.en.json (the caller knows the path).
 */
export type SvgRefusal =
  | 'errors.branding.logo.svgEntities'
  | 'errors.branding.logo.svgNotImage'
  | 'errors.branding.logo.svgEmpty';

/**
 * The SVG with only its drawing left (see the module comment), or the reason it is refused:
 * not an SVG document, entity or DTD declarations, or nothing left to draw.
 */
export async function sanitizeSvg(
  text: string,
): Promise<{ svg: string } | { refused: SvgRefusal }> {
  if (/<!ENTITY|<!DOCTYPE[^>]*\[/i.test(text))
    return { refused: 'errors.branding.logo.svgEntities' };
  if (!isSvgDocument(text)) return { refused: 'errors.branding.logo.svgNotImage' };
  // Loaded on first use: it brings postcss and a parser, which no `signet` command needs.
  const { default: sanitize } = await import('sanitize-html');
  const svg = sanitize(text, OPTIONS).trim();
  if (!/^<svg[\s>]/.test(svg) || !svg.endsWith('</svg>'))
    return { refused: 'errors.branding.logo.svgEmpty' };
  return { svg };
}
