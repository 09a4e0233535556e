// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Import directions of ARCHITECTURE.md: each folder lists what it may not reach. */
const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    { patterns: groups.map((g) => ({ group: g.group, message: g.message })) },
  ],
});
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
];
const NOT = {
  electron: {
    group: ['electron', 'electron/*'],
    message: 'Only main/ and preload/ import electron.',
  },
  core: {
    group: ['**/core/**', '**/core', '!@lingui/core'],
    message: 'This folder may not import core/.',
  },
  main: { group: ['**/main/**', '**/main'], message: 'This folder may not import main/.' },
  tenant: { group: ['**/tenant/**', '**/tenant'], message: 'This folder may not import tenant/.' },
  renderer: { group: ['**/renderer/**'], message: 'This folder may not import renderer/.' },
  cli: { group: ['**/cli/**', '**/cli'], message: 'This folder may not import cli/.' },
  test: { group: ['**/test/**'], message: 'Source never imports tests.' },
  node: { group: NODE_BUILTINS, message: 'The renderer and shared/ run without Node.' },
  nodeLayer: {
    group: ['**/node/**', '**/node'],
    message: 'node/ holds Node-only helpers for core, tenant and cli: not for this folder.',
  },
};

/**
 * No loosely typed IPC (GitHub Desktop's rule): in main/ and preload/, only the typed
 * wrappers of the contract (src/main/ipc.ts, src/preload/ipc.ts) touch `ipcMain`,
 * `ipcRenderer` or send to a window's `webContents`; everything else goes through them.
 */
const IPC_OBJECTS = new Set(['ipcMain', 'ipcRenderer']);
const SEND_METHODS = new Set(['send', 'sendToFrame', 'postMessage']);
const typedIpc = {
  meta: {
    type: 'problem',
    messages: {
      raw: '{{name}} is untyped IPC: use the contract’s wrappers (src/main/ipc.ts, src/preload/ipc.ts).',
    },
    schema: [],
  },
  create(context) {
    const report = (node, name) => context.report({ node, messageId: 'raw', data: { name } });
    const isContents = (n) =>
      (n.type === 'Identifier' && /contents$/i.test(n.name)) ||
      (n.type === 'MemberExpression' && !n.computed && n.property.name === 'webContents');
    return {
      ImportSpecifier(node) {
        const from = node.parent.source.value;
        if (/^electron(\/|$)/.test(from) && IPC_OBJECTS.has(node.imported.name))
          report(node, node.imported.name);
      },
      MemberExpression(node) {
        const name = node.computed ? node.property.value : node.property.name;
        if (IPC_OBJECTS.has(name)) report(node, name);
        else if (SEND_METHODS.has(name) && isContents(node.object))
          report(node, `webContents.${name}`);
      },
    };
  },
};

/**
 * main/ and cli/ see core's public API only: core/index.ts, never a module behind it. The one
 * other door is core/early.ts, what the built CLI's entry calls before it loads the barrel
 * (`signet token` starts its keychain read there, so that it overlaps loading the rest).
 */
const CORE_ONLY_VIA_INDEX = {
  group: [
    '**/core/**',
    '!**/core/index',
    '!**/core/index.js',
    '!**/core/early',
    '!**/core/early.js',
  ],
  message: 'main/ and cli/ import core only through core/index.ts (the CLI entry: core/early.ts).',
};

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: forbid(
      NOT.electron,
      NOT.core,
      NOT.main,
      NOT.tenant,
      NOT.renderer,
      NOT.cli,
      NOT.test,
      NOT.node,
      NOT.nodeLayer,
    ),
  },
  {
    files: ['src/node/**'],
    rules: forbid(NOT.electron, NOT.core, NOT.main, NOT.tenant, NOT.renderer, NOT.cli, NOT.test),
  },
  {
    files: ['src/core/**'],
    rules: forbid(NOT.electron, NOT.main, NOT.tenant, NOT.renderer, NOT.cli, NOT.test),
  },
  {
    files: ['src/main/**'],
    rules: forbid(CORE_ONLY_VIA_INDEX, NOT.tenant, NOT.renderer, NOT.cli, NOT.test),
  },
  {
    files: ['src/preload/**'],
    rules: forbid(NOT.core, NOT.main, NOT.tenant, NOT.renderer, NOT.cli, NOT.test, NOT.nodeLayer),
  },
  {
    files: ['src/tenant/**'],
    rules: forbid(NOT.electron, NOT.core, NOT.main, NOT.renderer, NOT.cli, NOT.test),
  },
  {
    files: ['src/cli/**'],
    rules: forbid(CORE_ONLY_VIA_INDEX, NOT.electron, NOT.main, NOT.renderer, NOT.test),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        NOT.electron,
        NOT.core,
        NOT.main,
        NOT.tenant,
        NOT.cli,
        NOT.test,
        NOT.node,
        NOT.nodeLayer,
      ),
    },
  },
  {
    files: ['src/main/**', 'src/preload/**'],
    ignores: ['src/main/ipc.ts', 'src/preload/ipc.ts'],
    plugins: { 'typed-ipc': { rules: { 'no-raw-ipc': typedIpc } } },
    rules: { 'typed-ipc/no-raw-ipc': 'error' },
  },
);
