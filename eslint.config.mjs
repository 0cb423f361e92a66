// ESLint flat config: typescript-eslint's recommended rules; the core (src/) forbids `any`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core, the rules and the calendar know no Temporal, web server, database or mail: the
    // outer layers (workflows/, activities/, src/app, src/store, src/api, src/web) bring those.
    files: ['src/epa/**/*.ts', 'src/plans/**/*.ts', 'src/calendar/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/*', 'fastify', 'fastify/*', 'pg', 'pg/*', 'nodemailer', 'nodemailer/*'],
              message:
                'src/epa, src/plans and src/calendar stay pure: Temporal, fastify, pg and nodemailer belong to the outer layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The pages' one script: an ES module run by the browser.
    files: ['src/web/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', window: 'readonly' } },
  },
);
