import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'docs/**', '*.mjs', 'web/dist/**', 'web/node_modules/**', 'web/e2e/screenshots/**', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // decorator metadata needs DTO classes imported as values: the type-import rule must know it
    languageOptions: { parserOptions: { projectService: false, emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      // Jest runs the code as ES modules: a type imported as a value is a missing export at run time.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/cli.ts', 'web/e2e/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // the web app: the rules of hooks (React Compiler-era checks included)
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
);
