import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { bundledPackages } from './scripts/bundled-packages';
import { icuCatalogs } from './scripts/icu-plugin';
import { META_CONTENT_SECURITY_POLICY } from './src/shared/csp';

/** Writes the one CSP (src/shared/csp.ts) into index.html's meta tag. */
const csp = {
  name: 'signet-csp',
  transformIndexHtml: (html: string) => html.replace('%SIGNET_CSP%', META_CONTENT_SECURITY_POLICY),
};

export default defineConfig({
  // bundledPackages: lists the npm code inlined in each bundle, for the third-party notices.
  main: {
    plugins: [bundledPackages('main')],
    // sanitize-html (managed SVG logos) is bundled, not shipped whole: its package brings 2.3 MB
    // of nested modules, of which main uses a few hundred KB, loaded only for an SVG logo.
    build: {
      outDir: 'out/main',
      sourcemap: false,
      externalizeDeps: { exclude: ['sanitize-html'] },
      // One file: a chunk would import "./index.js" again, which the e2e stand-in (loading the
      // entry under a query string) would run a second time; lazy modules stay lazy inside it.
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  },
  preload: {
    plugins: [bundledPackages('preload')],
    // A sandboxed preload must be one CommonJS file with nothing left to require.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [icuCatalogs(), react(), bundledPackages('renderer'), csp],
    build: { outDir: 'out/renderer', minify: true, sourcemap: false },
  },
});
