import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

/** The renderer's import aliases (as in electron.vite.config.ts): its tests import through them too. */
const alias = {
  '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
  '@shared': resolve(import.meta.dirname, 'src/shared')
}

/** Renderer modules tested in Node rather than in a DOM: they run python3 or Pyodide beside them. */
const rendererTestsInNode = [
  'test/renderer/src/python/console.test.ts',
  'test/renderer/src/python/trace_recorder.test.ts',
  'test/renderer/src/walk/pythonEquivalent.test.ts'
]

/** Tests of the fallback alone (what the native helper does in C cannot be made to fail from JS). */
const withoutNativeOnly = 'test/main/lab/walk/walk.fallback.test.ts'

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'main',
          environment: 'node',
          include: [
            'test/*.test.ts',
            'test/bench/**/*.test.ts',
            'test/main/**/*.test.ts',
            'test/native/**/*.test.ts',
            'test/scripts/**/*.test.ts',
            'test/shared/**/*.test.ts',
            ...rendererTestsInNode
          ],
          exclude: [withoutNativeOnly],
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        // The walker and readers again without the native helper (Windows, or no compiler at install): Node's fs only.
        resolve: { alias },
        test: {
          name: 'main-without-native',
          environment: 'node',
          include: [
            'test/main/lab/walk/walk.test.ts',
            'test/main/lab/walk/walk.differential.test.ts',
            'test/main/lab/walk/walkJob.test.ts',
            'test/main/lab/read/readers.test.ts',
            'test/main/lab/read/readers.syscalls.test.ts',
            'test/main/lab/native.test.ts',
            withoutNativeOnly
          ],
          env: { YIELD_LAB_NATIVE: 'off' },
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts'],
          exclude: rendererTestsInNode
        }
      }
    ]
  }
})
