// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The composition root (src/app): see the rule that uses it below. */
const COMPOSITION_ROOT = {
  group: ['**/app/*', '../app/*', '../../app/*'],
  message:
    'Only src/app, src/cli and src/http/app.ts import the composition root: take what you use as an argument.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs'] } },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify plugins are async by contract even when they register synchronously.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The composition root builds everything; a module receives what it uses and never reaches for the root.
    // Only src/app itself, the commands (src/cli) and the HTTP app builder (src/http/app.ts) import it.
    files: ['src/**/*.ts'],
    ignores: ['src/app/**', 'src/cli/**', 'src/http/app.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [COMPOSITION_ROOT] }] },
  },
  {
    // Pure domain code does no I/O, and the verifier (src/codec) is bundled into the browser scanner:
    // neither may reach for Node-only modules (nor, as above, for the composition root).
    files: [
      'src/codec/**/*.ts',
      'src/errors/*.ts',
      'src/access/*.ts',
      'src/rule-sets/*.ts',
      'src/**/*.domain.ts',
      'src/privacy/masking.ts',
      'src/regions/regions.ts',
      'src/time/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'crypto', 'path', 'zlib', 'buffer'], message: 'pure code does no I/O' },
            COMPOSITION_ROOT,
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
