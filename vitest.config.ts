import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'main',
          environment: 'node',
          include: ['test/main/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        // The walker and readers again without the native helper (Windows, or no compiler at install): Node's fs only.
        test: {
          name: 'main-without-native',
          environment: 'node',
          include: [
            'test/main/walk.test.ts',
            'test/main/walk.differential.test.ts',
            'test/main/walkJob.test.ts',
            'test/main/readers.test.ts',
            'test/main/readSyscalls.test.ts',
            'test/main/native.test.ts'
          ],
          env: { YIELD_LAB_NATIVE: 'off' },
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        plugins: [vue()],
        resolve: { alias: { '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts']
        }
      }
    ]
  }
})
