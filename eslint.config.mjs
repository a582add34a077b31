import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'docs/**', '*.mjs'] },
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
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
