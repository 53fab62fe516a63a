import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const labDir = new URL('../../../src/main/lab/', import.meta.url).pathname

test('src/main/lab is plain Node: no module there imports electron', () => {
  const files = readdirSync(labDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  expect(files.length).toBeGreaterThan(5)
  const offenders = files.filter((file) =>
    /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/.test(readFileSync(join(labDir, file), 'utf8'))
  )
  expect(offenders).toEqual([])
})
