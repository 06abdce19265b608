import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // .tmp/ holds Stryker's sandboxes and jest's result file; reports/ Stryker's reports.
  { ignores: ['dist/', 'node_modules/', 'coverage/', '__fixtures__/', '.tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
