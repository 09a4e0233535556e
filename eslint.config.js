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
  core: { group: ['**/core/**', '**/core'], message: 'This folder may not import core/.' },
  main: { group: ['**/main/**', '**/main'], message: 'This folder may not import main/.' },
  tenant: { group: ['**/tenant/**', '**/tenant'], message: 'This folder may not import tenant/.' },
  renderer: { group: ['**/renderer/**'], message: 'This folder may not import renderer/.' },
  cli: { group: ['**/cli/**', '**/cli'], message: 'This folder may not import cli/.' },
  test: { group: ['**/test/**'], message: 'Source never imports tests.' },
  node: { group: NODE_BUILTINS, message: 'The renderer and shared/ run without Node.' },
};

/** main/ and cli/ see core's public API only: core/index.ts, never a module behind it. */
const CORE_ONLY_VIA_INDEX = {
  group: ['**/core/**', '!**/core/index', '!**/core/index.js'],
  message: 'main/ and cli/ import core only through core/index.ts.',
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
    ),
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
    rules: forbid(NOT.core, NOT.main, NOT.tenant, NOT.renderer, NOT.cli, NOT.test),
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
      ...forbid(NOT.electron, NOT.core, NOT.main, NOT.tenant, NOT.cli, NOT.test, NOT.node),
    },
  },
);
