import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import pluginVue from 'eslint-plugin-vue'
import layers from './eslint.layers.js'

export default defineConfigWithVueTs(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/e2e/artifacts/**', 'bench/results/**', 'native/build/**'] },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  {
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    // The native helper's entry point is CommonJS: it requires the compiled module.
    files: ['native/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // Each layer imports only the layers below it: see eslint.layers.js.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    plugins: { layers },
    rules: { 'layers/layering': 'error' }
  },
  {
    // A promise nobody awaits drops its error. A typed rule: defineConfigWithVueTs then lints every
    // TypeScript file with its tsconfig's types, so each one must be in a tsconfig (slower lint).
    files: ['**/*.ts', '**/*.vue'],
    rules: { '@typescript-eslint/no-floating-promises': 'error' }
  }
)
