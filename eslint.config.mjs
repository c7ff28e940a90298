// ESLint: TypeScript's recommended rules, plus the house rules that keep tests honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['*.cjs', 'jest.config.js', 'dist/**', 'node_modules/**', 'coverage/**', '.minyi/**', '.kafka/**', 'scripts/**', 'libs/testing/*.mjs', 'bench/results/**', 'bench/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'no focused tests' },
        { object: 'it', property: 'skip', message: 'no skipped tests' },
        { object: 'describe', property: 'only', message: 'no focused tests' },
        { object: 'describe', property: 'skip', message: 'no skipped tests' },
        { object: 'test', property: 'only', message: 'no focused tests' },
        { object: 'test', property: 'skip', message: 'no skipped tests' },
      ],
      'no-restricted-globals': ['error', { name: 'xit', message: 'no skipped tests' }, { name: 'xdescribe', message: 'no skipped tests' }],
    },
  },
  {
    // The dependency rule: domain code (deciders, index math) imports no framework or infrastructure.
    files: ['apps/*/src/domain/**/*.ts', 'libs/indices/src/**/*.ts', 'libs/cases/src/**/*.ts'],
    // Their specs may use the given/when/then helpers of libs/testing.
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'pg', 'pg-*', 'kafkajs', 'fastify', '@fastify/*', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net'], message: 'domain code imports no framework or infrastructure' },
            { group: ['@minyi/platform', '@minyi/event-store', '@minyi/messaging', '@minyi/testing'], message: 'domain code depends only on @minyi/contracts' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
