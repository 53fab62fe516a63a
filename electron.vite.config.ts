import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { contentSecurityPolicy } from './src/main/lab/rendererFiles'

/** Puts the app's CSP into index.html as a meta tag (strict in builds, HMR-friendly in dev). */
function contentSecurityPolicyMeta(): Plugin {
  let dev = false
  return {
    name: 'yield-lab-csp',
    configResolved(config) {
      dev = config.command === 'serve'
    },
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ dev }) },
        injectTo: 'head-prepend'
      }
    ]
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle valibot and the contract into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    resolve: {
      alias: { '@renderer': resolve(import.meta.dirname, 'src/renderer/src') }
    },
    plugins: [vue(), contentSecurityPolicyMeta()],
    build: {
      // Offline app: everything, fonts and wasm included, ships inside the bundle.
      assetsInlineLimit: 0
    }
  }
})
