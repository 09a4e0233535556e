/**
 * A Vite plugin that compiles the window's ICU catalogs at build time, so the renderer ships
 * Lingui's compiled form and no ICU parser (issue 13; the design is in the m2 research note).
 * Each `src/renderer/i18n/icu/<lang>/<area>.json` (flat `{ key: "ICU message" }`) is loaded as
 * `{ key: CompiledMessage }` JSON; Vite's own JSON plugin then makes it a module (a lazy chunk
 * when imported through `import.meta.glob`). An area file imported with `?language` stands for
 * its whole folder: every area of that language, compiled and merged into one module, so a
 * language the user picks is one chunk (src/renderer/i18n/index.ts). A message that does not
 * parse fails the build, naming the file and the key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';
import type { Plugin } from 'vite';

/** Where the catalogs live: any `i18n/icu/<lang>/<area>.json`. */
const CATALOG = /[\\/]i18n[\\/]icu[\\/][^\\/]+[\\/][^\\/]+\.json$/;

/**
 * The English `errors` area is core's sentences file, src/shared/error-text.en.json (each
 * written once): core and the CLI read its ICU text under Node; in the window it is compiled
 * like every catalog, and shared/error-text.ts reads that compiled form.
 */
const ENGLISH_ERRORS = /[\\/]shared[\\/]error-text\.en\.json$/;

/** Whether the module `id` is a catalog to compile. */
export const isCatalog = (id: string): boolean => {
  const file = id.split('?')[0]!;
  return CATALOG.test(file) || ENGLISH_ERRORS.test(file);
};

/** Compiles one catalog's text; throws an Error naming `file` and the key of a bad message. */
export function compileCatalog(file: string, text: string): Record<string, unknown> {
  const source = JSON.parse(text) as Record<string, unknown>;
  const compiled: Record<string, unknown> = {};
  for (const [key, message] of Object.entries(source)) {
    if (typeof message !== 'string') throw new Error(`${file}: "${key}": not a string`);
    try {
      compiled[key] = compileMessageOrThrow(message);
    } catch (err) {
      throw new Error(`${file}: "${key}": ${(err as Error).message}`);
    }
  }
  return compiled;
}

/** The plugin: registered in electron.vite.config.ts's renderer plugins. */
export function icuCatalogs(): Plugin {
  return {
    name: 'signet-icu-catalogs',
    enforce: 'pre',
    load(id) {
      if (!isCatalog(id)) return null;
      const [file = '', query = ''] = id.split('?');
      const whole = new URLSearchParams(query).has('language');
      const files = whole
        ? readdirSync(dirname(file))
            .filter((name) => name.endsWith('.json'))
            .map((name) => join(dirname(file), name))
        : [file];
      try {
        const compiled = {};
        for (const f of files) {
          this.addWatchFile(f);
          Object.assign(compiled, compileCatalog(f, readFileSync(f, 'utf8')));
        }
        // A plain area file is JSON for Vite's JSON plugin; `?language` is no JSON request to it.
        return whole ? `export default ${JSON.stringify(compiled)};` : JSON.stringify(compiled);
      } catch (err) {
        this.error((err as Error).message);
      }
    },
  };
}
