// ESLint: TypeScript's recommended rules, plus the house rules that keep tests honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Selectors for jest's modifiers that keep a test from running as it should, at any depth of its chain. */
function skipBan() {
  const root = '/^(it|test|describe)$/';
  const modifier = '/^(only|skip|todo|failing)$/';
  const message = 'no focused, skipped, todo or failing tests: every test runs';
  const selectors = [];
  for (const prop of [`property.name=${modifier}`, `property.value=${modifier}`]) {
    for (const path of ['object', 'object.object', 'object.object.object']) selectors.push(`MemberExpression[${path}.name=${root}][${prop}]`);
    // describe.each(table).skip, it.concurrent.each(table).only
    selectors.push(`MemberExpression[object.type='CallExpression'][object.callee.object.name=${root}][${prop}]`);
    selectors.push(`MemberExpression[object.type='CallExpression'][object.callee.object.object.name=${root}][${prop}]`);
  }
  selectors.push(`ConditionalExpression > Identifier[name=${root}]`, `LogicalExpression > Identifier[name=${root}]`);
  return selectors.map((selector) => ({ selector, message }));
}

export default tseslint.config(
  { ignores: ['*.cjs', 'jest.config.js', 'dist/**', 'node_modules/**', 'coverage/**', '.minyi/**', '.kafka/**', 'scripts/**', 'libs/testing/*.mjs', 'bench/results/**', 'bench/.scratch/**', 'bench/.snapshot/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Every test runs: nothing focused, skipped, left to do, or expected to fail — in any of jest's spellings
      // (it.only, test.skip, it.todo, it.failing, it.concurrent.only, test.concurrent.skip.each, describe.only.each,
      // describe.each(table).skip, it['skip'], …), and no suite chosen at run time (cond ? describe : …).
      'no-restricted-syntax': ['error', ...skipBan()],
      'no-restricted-globals': ['error', ...['xit', 'xtest', 'xdescribe', 'fit', 'fdescribe'].map((name) => ({ name, message: 'no skipped or focused tests: every test runs' }))],
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
