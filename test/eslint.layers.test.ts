/**
 * The layering rule (eslint.layers.js) with the project's own ESLint config: each fixture is
 * linted as if it were a file of that layer, and an import across the layers must be an error.
 */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')
// The fixtures are no files of any tsconfig, so the typed rules' project service cannot parse them:
// they are linted without types, which the layering rule does not need.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' }
  }
})

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return result!.messages.filter((message) => message.ruleId === 'layers/layering').map((message) => message.message)
}

test.each([
  [
    'src/renderer/src/stores/fixture.ts',
    "import { JobHost } from '../../../main/lab/jobs/jobHost'",
    'The renderer layer must not import the lab layer'
  ],
  [
    'src/renderer/src/stores/fixture.ts',
    "import { serveRenderer } from '../../../main/appProtocol'",
    'The renderer layer must not import the glue layer'
  ],
  [
    'src/renderer/src/fixture.ts',
    "import { ipcRenderer } from 'electron'",
    'The renderer layer must not import electron'
  ],
  [
    'src/shared/fixture.ts',
    "import { toLabError } from '../main/lab/errors'",
    'The shared layer must not import the lab layer'
  ],
  [
    'src/shared/fixture.ts',
    "export { call } from '../renderer/src/ipc/client'",
    'The shared layer must not import the renderer layer'
  ],
  [
    'src/shared/fixture.ts',
    "import type { Tab } from '@renderer/tabs'",
    'The shared layer must not import the renderer layer'
  ],
  ['src/main/lab/read/fixture.ts', "import { app } from 'electron'", 'The lab layer must not import electron'],
  [
    'src/main/lab/read/fixture.ts',
    "const glue = await import('../../window')",
    'The lab layer must not import the glue layer'
  ],
  [
    'src/main/fixture.ts',
    "import { formatBytes } from '../renderer/src/stores/read'",
    'The glue layer must not import the renderer layer'
  ],
  ['src/preload/fixture.ts', "import '../renderer/src/main'", 'The glue layer must not import the renderer layer']
])('%s: %s is an error', async (file, code, message) => {
  expect(await layeringErrors(file, code)).toEqual([expect.stringContaining(message)])
})

test.each([
  [
    'src/renderer/src/stores/fixture.ts',
    "import { formatBytes } from '../../../shared/format'\nimport { call } from '@renderer/ipc/client'"
  ],
  [
    'src/main/lab/read/fixture.ts',
    "import { LabError } from '../../../shared/errors'\nimport { toLabError } from '../errors'"
  ],
  ['src/main/fixture.ts', "import { app } from 'electron'\nimport { createHandlers } from './lab/handlers'"],
  [
    'src/preload/fixture.ts',
    "import { contextBridge } from 'electron'\nimport { channelNames } from '../shared/contract'"
  ]
])('%s: imports within the rules are fine', async (file, code) => {
  expect(await layeringErrors(file, code)).toEqual([])
})
