/** The one Vite client API the renderer uses (`types: []` keeps vite/client's globals out). */
interface ImportMeta {
  glob<T>(
    patterns: string | string[],
    options: { import: 'default'; query?: string },
  ): Record<string, () => Promise<T>>;
}
