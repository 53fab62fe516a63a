/**
 * The write policy: main writes sample data only into the app's data folder, a folder the user
 * chose in main's dialog for a folder to write into, or one they typed and confirmed in main's message box; the renderer alone
 * cannot make it write anywhere else, and never over files the app did not make.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { createHandlers, dispatch } from '../../../src/main/lab/handlers'
import { OUTPUT_FOLDER_TITLE } from '../../../src/main/lab/writePolicy'
import { encodeNcdu } from '../../../src/shared/ncdu'
import type { JobHost } from '../../../src/main/lab/jobs/jobHost'
import { createTestJobHost } from '../../support/jobHost'
import { testAppInfo } from '../../support/appInfo'
import { runUnprivilegedScript } from '../../support/unprivileged'

let root: string
let jobs: JobHost | undefined
let n = 0

beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'yield-lab-policy-'))))
afterAll(() => rmSync(root, { recursive: true, force: true }))
afterEach(async () => {
  await jobs?.closeAll()
})

function setup(answers: { chosen?: string | null; confirm?: boolean } = {}) {
  const base = join(root, `case-${n++}`)
  const dataDirectory = join(base, 'data')
  const project = join(base, 'project')
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, 'package.json'), '{"name": "precious"}\n')
  jobs = createTestJobHost().host
  const choosePath = vi.fn((): Promise<string | null> => Promise.resolve(answers.chosen ?? null))
  const confirm = vi.fn(() => Promise.resolve(answers.confirm ?? false))
  const handlers = createHandlers({
    jobs,
    appInfo: () => testAppInfo(dataDirectory),
    choosePath,
    confirm,
    showItemInFolder: vi.fn()
  })
  const generate = async (directory: string, name = 'sample', overwrite = false) => {
    const opened = await dispatch(
      handlers,
      'job.open',
      { kind: 'sampleData', args: { directory, name, bytes: 80, overwrite } },
      'owner'
    )
    if (!opened.ok) return opened
    return dispatch(handlers, 'job.next', { id: opened.value.id, maxItems: 1 }, 'owner')
  }
  return { handlers, choosePath, confirm, dataDirectory, project, generate, base }
}

describe('where sample data may be written', () => {
  test('the review’s case: a renderer naming a project folder cannot replace its package.json', async () => {
    const { generate, project, confirm } = setup()
    const reply = await generate(project, 'package', true)
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(
          /^Yield Lab may not write into .*project: it writes only into its own data folder/
        ),
        path: project
      }
    })
    expect(readFileSync(join(project, 'package.json'), 'utf8')).toBe('{"name": "precious"}\n')
    expect(readdirSync(project)).toEqual(['package.json'])
    expect(jobs!.openJobs()).toEqual([])
    expect(confirm).not.toHaveBeenCalled()
  })

  test('the app’s data folder and folders inside it need no asking', async () => {
    const { generate, dataDirectory, confirm } = setup()
    expect(await generate(dataDirectory)).toMatchObject({ ok: true, value: { done: true } })
    expect(await generate(join(dataDirectory, 'more', 'deeper'))).toMatchObject({ ok: true, value: { done: true } })
    expect(confirm).not.toHaveBeenCalled()
  })

  test('a folder chosen in the dialog as the place to write may be written; overwriting a file the app did not make is still refused', async () => {
    const { handlers, generate, project, choosePath } = setup()
    choosePath.mockResolvedValueOnce(project)
    // Main titles that dialog, whatever the page asked.
    expect(
      await dispatch(
        handlers,
        'dialog.choosePath',
        { kind: 'outputDirectory', title: 'Choose a folder to walk' },
        'owner'
      )
    ).toEqual({ ok: true, value: { path: project } })
    expect(choosePath).toHaveBeenCalledWith('outputDirectory', OUTPUT_FOLDER_TITLE)
    expect(await generate(project)).toMatchObject({ ok: true, value: { done: true } })
    expect(readdirSync(project).sort()).toEqual(['package.json', 'sample.bin', 'sample.json'])
    const refused = await generate(project, 'package', true)
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('was not made by Yield Lab') }
    })
    expect(readFileSync(join(project, 'package.json'), 'utf8')).toBe('{"name": "precious"}\n')
    // Another session (a new set of handlers) has no such grant.
    const other = setup()
    expect(await other.generate(project)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  test('a file chosen in the dialog grants nothing', async () => {
    const { handlers, generate, project } = setup({ chosen: join(root, 'x') })
    await dispatch(handlers, 'dialog.choosePath', { kind: 'file' }, 'owner')
    expect(await generate(project)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  test('a folder chosen to walk grants nothing, whatever the page titled its dialog', async () => {
    const { handlers, generate, project, choosePath } = setup()
    choosePath.mockResolvedValueOnce(project)
    const title = 'Choose a folder for sample data'
    expect(await dispatch(handlers, 'dialog.choosePath', { kind: 'directory', title }, 'owner')).toEqual({
      ok: true,
      value: { path: project }
    })
    expect(choosePath).toHaveBeenCalledWith('directory', title)
    expect(await generate(project)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(readdirSync(project)).toEqual(['package.json'])
  })

  test('saving a scan for ncdu writes that one file and grants nothing more in its folder', async () => {
    const { project, dataDirectory } = setup()
    const target = join(project, 'scan.json')
    const handlers = createHandlers({
      jobs: jobs!,
      appInfo: () => testAppInfo(dataDirectory),
      choosePath: vi.fn(),
      chooseSavePath: () => Promise.resolve(target),
      confirm: vi.fn(() => Promise.resolve(false)),
      showItemInFolder: vi.fn()
    })
    const bytes = encodeNcdu({ progname: 'yield-lab', progver: '1', timestamp: 1, root: { name: '/r', children: [] } })
    expect(await dispatch(handlers, 'walk.saveNcdu', { bytes, suggestedName: 'scan.json' }, 'owner')).toEqual({
      ok: true,
      value: { path: target }
    })
    const opened = await dispatch(
      handlers,
      'job.open',
      { kind: 'sampleData', args: { directory: project, name: 'sample', bytes: 80, overwrite: false } },
      'owner'
    )
    expect(opened).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(readdirSync(project).sort()).toEqual(['package.json', 'scan.json'])
  })

  test('the question names a typed folder with what is not printable escaped, so its text cannot say something else', async () => {
    const { handlers, confirm, base } = setup({ confirm: false })
    const typed = join(base, 'Documents\n\n(Yield Lab data folder \u2014 always safe)\n\n\u202egnp.exe')
    await dispatch(handlers, 'dialog.allowWrite', { directory: typed }, 'owner')
    expect(confirm).toHaveBeenCalledWith(
      expect.objectContaining({
        message: `Allow Yield Lab to write into ${base}/Documents\\n\\n(Yield Lab data folder \u2014 always safe)\\n\\n\\u202egnp.exe?`
      })
    )
  })

  test('a typed folder is written only after the user confirms main’s message box, which names it', async () => {
    const declined = setup({ confirm: false })
    expect(await dispatch(declined.handlers, 'dialog.allowWrite', { directory: declined.project }, 'owner')).toEqual({
      ok: true,
      value: { directory: declined.project, granted: false }
    })
    expect(declined.confirm).toHaveBeenCalledWith(
      expect.objectContaining({ message: `Allow Yield Lab to write into ${declined.project}?`, confirmLabel: 'Allow' })
    )
    expect(await declined.generate(declined.project)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })

    const allowed = setup({ confirm: true })
    const typed = join(allowed.project, 'new-folder')
    expect(await dispatch(allowed.handlers, 'dialog.allowWrite', { directory: typed }, 'owner')).toEqual({
      ok: true,
      value: { directory: typed, granted: true }
    })
    expect(await allowed.generate(typed)).toMatchObject({ ok: true, value: { done: true } })
    // Asked once per folder and session; the data folder is never asked about.
    await dispatch(allowed.handlers, 'dialog.allowWrite', { directory: typed }, 'owner')
    await dispatch(allowed.handlers, 'dialog.allowWrite', { directory: allowed.dataDirectory }, 'owner')
    expect(allowed.confirm).toHaveBeenCalledTimes(1)
    // The grant is for that folder, not its parent.
    expect(await allowed.generate(allowed.project)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  test.runIf(process.platform !== 'win32')(
    'a typed folder this account may not write into is refused, naming it, before any question',
    () => {
      const { base } = setup()
      const locked = join(base, 'locked')
      mkdirSync(locked)
      chmodSync(locked, 0o555)
      const script = `
        import { createHandlers, dispatch } from ${JSON.stringify(join(import.meta.dirname, '../../../src/main/lab/handlers'))}
        const asked = []
        const handlers = createHandlers({
          jobs: undefined,
          appInfo: () => ({ dataDirectory: ${JSON.stringify(join(base, 'data'))} }),
          choosePath: async () => null,
          confirm: async (question) => (asked.push(question.message), true),
          showItemInFolder: () => undefined
        })
        const reply = await dispatch(handlers, 'dialog.allowWrite', { directory: ${JSON.stringify(join(locked, 'new'))} }, 'owner')
        // Typed relative to the working folder: named as where it leads.
        process.chdir(${JSON.stringify(locked)})
        const relative = await dispatch(handlers, 'dialog.allowWrite', { directory: 'new' }, 'owner')
        process.stdout.write(JSON.stringify({ reply, relative, asked }))
      `
      const outcome = JSON.parse(runUnprivilegedScript(script, base)) as unknown
      chmodSync(locked, 0o755)
      // The same refusal, typed in full and relative to the working folder.
      const refusal = {
        ok: false,
        error: {
          code: 'PERMISSION_DENIED',
          message: `${join(locked, 'new')}: cannot be written: this account may not add files to its folder ${locked}`,
          path: join(locked, 'new')
        }
      }
      expect(outcome).toEqual({ reply: refusal, relative: refusal, asked: [] })
    }
  )

  test('a typed folder under a file is refused as not a folder, before any question', async () => {
    const { handlers, confirm, base } = setup({ confirm: true })
    const file = join(base, 'afile')
    writeFileSync(file, 'x')
    for (const directory of [file, join(file, 'sub')])
      expect(await dispatch(handlers, 'dialog.allowWrite', { directory }, 'owner')).toEqual({
        ok: false,
        error: {
          code: 'NOT_A_DIRECTORY',
          message: `${directory}: ${file} is not a folder, so nothing can be put in it`,
          path: directory
        }
      })
    expect(confirm).not.toHaveBeenCalled()
  })

  test('a link inside the data folder that leads elsewhere is judged by where it leads', async () => {
    const { generate, dataDirectory, project } = setup()
    mkdirSync(dataDirectory, { recursive: true })
    symlinkSync(project, join(dataDirectory, 'escape'))
    expect(await generate(join(dataDirectory, 'escape'))).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', path: project }
    })
    expect(await generate(join(dataDirectory, 'escape', 'sub'))).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' }
    })
    expect(readdirSync(project)).toEqual(['package.json'])
  })

  test('reading stays open: a read job anywhere is not refused by the policy', async () => {
    const { handlers, project } = setup()
    const opened = await dispatch(
      handlers,
      'job.open',
      { kind: 'read', args: { path: join(project, 'package.json'), mode: 'text' } },
      'owner'
    )
    expect(opened.ok).toBe(true)
  })
})
