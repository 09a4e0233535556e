/** The one Vite client API the renderer uses (`types: []` keeps vite/client's globals out). */
interface ImportMeta {
  glob<T>(
    patterns: string | string[],
    options: { import: 'default' },
  ): Record<string, () => Promise<T>>;
}

/** A catalog's compiled view (scripts/icu-plugin.ts): src/shared/error-text.en.json?catalog. */
declare module '*.json?catalog' {
  const messages: Record<string, unknown>;
  export default messages;
}
