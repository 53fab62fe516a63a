import { createReadStream, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { contentSecurityPolicy, rendererHeaders, STYLE_NONCE_PLACEHOLDER } from './src/main/rendererFiles'

/**
 * Puts the app's CSP into index.html as a meta tag (strict in builds, HMR-friendly in dev), and
 * the style nonce the page hands to CodeMirror; the server puts a fresh nonce in place of the
 * placeholder for each page (rendererResponse).
 */
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
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: contentSecurityPolicy({ dev, styleNonce: STYLE_NONCE_PLACEHOLDER })
        },
        injectTo: 'head-prepend'
      },
      { tag: 'meta', attrs: { property: 'csp-nonce', nonce: STYLE_NONCE_PLACEHOLDER }, injectTo: 'head-prepend' }
    ]
  }
}

/** The Pyodide runtime files the Python console loads at run time (no CDN: the app is offline). */
const pyodideFiles = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']
const pyodideDirectory = resolve(import.meta.dirname, 'node_modules/pyodide')

/**
 * Ships Pyodide from node_modules as the renderer's pyodide/ folder: copied into the build, and
 * served by the dev server with the app's headers (the worker imports it from there).
 */
function pyodideRuntime(): Plugin {
  return {
    name: 'yield-lab-pyodide',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/pyodide\/([^/?#]+)/.exec(request.url ?? '')
        const file = match?.[1]
        if (file === undefined || !pyodideFiles.includes(file)) return next()
        const path = resolve(pyodideDirectory, file)
        const headers = rendererHeaders(path)
        delete headers['Content-Security-Policy'] // dev pages carry their own, HMR-friendly one
        response.writeHead(200, headers)
        createReadStream(path).pipe(response)
      })
    },
    generateBundle() {
      for (const file of pyodideFiles) {
        this.emitFile({
          type: 'asset',
          fileName: `pyodide/${file}`,
          source: readFileSync(resolve(pyodideDirectory, file))
        })
      }
    }
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
      alias: {
        '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
        '@shared': resolve(import.meta.dirname, 'src/shared')
      }
    },
    plugins: [vue(), contentSecurityPolicyMeta(), pyodideRuntime()],
    // Cross-origin isolation in dev too, so the Python console can be interrupted in place.
    server: {
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    },
    // The Python worker is a module worker: it imports Pyodide from pyodide/ at run time.
    worker: { format: 'es' },
    build: {
      // Offline app: everything, fonts and wasm included, ships inside the bundle.
      assetsInlineLimit: 0
    }
  }
})
