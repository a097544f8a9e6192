import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'artifacts/**', '**/artifacts/**', 'web/src/gql/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The server's layers (docs/architecture.md): core at the bottom, free of GraphQL and of the
  // modules; modules on core; graphql/ and http/ are edges that only app.ts and each other use.
  {
    files: ['server/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'server/tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'web/tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['graphql', 'type-graphql', '@apollo/server', 'express'].map((name) => ({
            name,
            message: 'core/ is free of the API layer.',
          })),
          patterns: [
            {
              group: ['**/modules/**', '**/graphql/**', '**/http/**', '**/services', '**/app', '**/db/**', '**/lib/**'],
              message: 'core/ is the floor: it imports only shared and libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/modules/**/*.ts', 'server/src/lib/**/*.ts', 'server/src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/graphql/**', '**/http/**', '**/services', '**/app'],
              message: 'Only app.ts, http/ and the schema build use the API edges; take services by constructor.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/modules/**', '**/graphql/**', '**/http/**', '**/services', '**/app'], message: 'lib/ holds infrastructure below the modules.' }] },
      ],
    },
  },
  // The web app: React's rules of hooks (and the compiler's checks of the recommended set), and
  // the plan rule from @pulze/shared (API_KEYS_PLAN), never spelled out.
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "Literal[value='PULZE_X_SUITE']",
          message: 'Use API_KEYS_PLAN and keyAvailability (src/lib/plans.ts) instead of naming the plan.',
        },
      ],
    },
  },
  {
    files: ['**/*.cjs', '**/jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/test/**/*.ts', '**/*.spec.ts', '**/*.test.ts', '**/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
