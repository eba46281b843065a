import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use an RxJS scheduler (DESIGN.md: time is a scheduler).' },
        { name: 'setInterval', message: 'Use an RxJS scheduler (DESIGN.md: time is a scheduler).' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use scheduler.now().' },
      ],
    },
  },
  {
    files: ['src/node/**', 'test/**', 'bench/**', 'examples/**', 'marbles/**', '*.config.*'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
);
