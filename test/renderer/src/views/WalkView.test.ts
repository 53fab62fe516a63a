/**
 * The Browse tab against the real main-process handlers and a real job worker, in-process:
 * step, run, pause and resume, cancel, filters, inline errors, bad roots, the Python dialog,
 * the folder dialog, and keyboard use of the tree.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { watch } from 'vue'
import type { LabApi } from '@shared/contract'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import WalkView from '@renderer/views/WalkView.vue'
import { useWalkStore } from '@renderer/stores/walk'
import { useJobsStore } from '@renderer/stores/jobs'
import { installInProcessLab } from '../../../support/inProcessLab'
import { runPython } from '../../../support/python'
import { until as untilWithin } from '../../../support/until'

let jobs: JobHost
let api: LabApi
let base = ''
let wrapper: VueWrapper | undefined

// happy-dom has no layout: give the tree's scroll box a window's height so the virtualizer renders rows.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
beforeAll(() => {
  base = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'yield-lab-browse-'))
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset['testid'] === 'walk-tree' ? 600 : 0
    }
  })
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
  if (clientHeight === undefined) delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight
  else Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight)
})
beforeEach(() => {
  ;({ jobs, api } = installInProcessLab())
  setActivePinia(createPinia())
})
afterEach(async () => {
  wrapper?.unmount()
  wrapper = undefined
  await jobs.closeAll()
})

let counter = 0
/** top/{d0..d(dirs-1)}/{f0..f(files-1)}.txt (each file `size` bytes) plus top/readme.md. */
function makeTree(dirs: number, files: number, size = 3): string {
  const top = join(base, `tree-${++counter}`)
  for (let d = 0; d < dirs; d++) {
    mkdirSync(join(top, `d${d}`), { recursive: true })
    for (let f = 0; f < files; f++) writeFileSync(join(top, `d${d}`, `f${f}.txt`), 'x'.repeat(size))
  }
  writeFileSync(join(top, 'readme.md'), '# hi\n')
  return top
}

/** This file's patience: about 4 s, looking every 10 ms. */
function until(condition: () => boolean, what: string): Promise<void> {
  return untilWithin(condition, what, { timeoutMs: 4_000, pollMs: 10 })
}

function mountView(): VueWrapper {
  wrapper = mount(WalkView, { attachTo: document.body })
  return wrapper
}

const text = (w: VueWrapper, testId: string): string => {
  const found = w.find(`[data-testid=${testId}]`)
  return found.exists() ? found.text() : ''
}
const count = (w: VueWrapper, name: string): number =>
  Number(w.find(`[data-testid=count-${name}]`).attributes('data-value'))

async function typePath(w: VueWrapper, path: string): Promise<void> {
  await w.find('[data-testid=walk-path]').setValue(path)
}

describe('Browse tab', () => {
  test('starts empty, explaining os.walk; step shows one triple per next(w), then run streams the rest', async () => {
    const top = makeTree(5, 4)
    const w = mountView()
    expect(w.find('[data-testid=walk-empty]').text()).toContain('os.walk')
    expect(text(w, 'walk-state')).toContain('no generator yet')
    expect(w.find('[data-testid=walk-step]').attributes('disabled')).toBeDefined()

    await typePath(w, top)
    for (let i = 1; i <= 3; i++) {
      await w.find('[data-testid=walk-step]').trigger('click')
      await until(() => count(w, 'dirs') === i && text(w, 'walk-state').includes('GEN_SUSPENDED'), `step ${i}`)
    }
    const transcript = text(w, 'walk-transcript')
    expect(transcript).toContain(
      `>>> w = os.walk(${JSON.stringify(top).replaceAll('"', "'")}, topdown=True, onerror=errors.append, followlinks=False)`
    )
    expect(transcript.match(/>>> next\(w\)/g)).toHaveLength(3)
    expect(transcript).toContain(`('${top}', [`)
    expect(w.find('[data-testid=walk-empty]').exists()).toBe(false)
    // The tree shows top with its five subdirectories, two of them walked so far.
    expect(w.findAll('[role=treeitem]').length).toBeGreaterThanOrEqual(7)
    expect(w.find('[data-testid=walk-run]').text()).toBe('Resume')

    await w.find('[data-testid=walk-run]').trigger('click')
    await until(() => text(w, 'walk-state').includes('GEN_CLOSED'), 'run to the end')
    expect([count(w, 'dirs'), count(w, 'files'), count(w, 'bytes'), count(w, 'errors')]).toEqual([
      6,
      21,
      5 * 4 * 3 + 5,
      0
    ])
    expect(text(w, 'walk-transcript')).toContain('StopIteration  # 6 dirs, 21 files, 65 B, 0 errors')
    expect(text(w, 'walk-phase')).toContain('exhausted')
    expect(useWalkStore().summary).toEqual({ dirs: 6, files: 21, bytes: 65, errors: 0, keptFiles: 21, keptBytes: 65 })
    expect(jobs.openJobs()).toEqual([])
  })

  test('Enter in the path field walks it all; the tree sorts by name, size and os.walk order and expands with the keyboard', async () => {
    const top = makeTree(3, 2)
    writeFileSync(join(top, 'd1', 'big.bin'), 'b'.repeat(5000))
    const w = mountView()
    await typePath(w, top)
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    const rowNames = (): string[] => w.findAll('[role=treeitem] .name').map((row) => row.text())
    // By size (the default): d1 holds the big file.
    expect(rowNames()).toEqual([top, 'd1/', 'd0/', 'd2/', 'readme.md'])
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(rowNames()).toEqual([top, 'd0/', 'd1/', 'd2/', 'readme.md'])
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(rowNames()).toEqual([top, 'd2/', 'd1/', 'd0/', 'readme.md'])

    const tree = w.find('[data-testid=walk-tree]')
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'ArrowRight' })
    expect(rowNames()).toEqual([top, 'd2/', 'd1/', 'f1.txt', 'f0.txt', 'big.bin', 'd0/', 'readme.md'])
    expect(w.find('[aria-selected=true]').text()).toContain('d1/')
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(rowNames()).toHaveLength(5)
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(w.find('[aria-selected=true]').text()).toContain(top)
  })

  test('filters run as a filter / filterfalse pipeline in the walk, and the Python button shows it', async () => {
    const top = makeTree(2, 3)
    writeFileSync(join(top, 'd0', 'keep.log'), 'log')
    writeFileSync(join(top, 'd0', 'skip.log.gz'), 'gz')
    const w = mountView()
    await typePath(w, top)
    await w.find('[data-testid=walk-glob]').setValue('*.log*')
    await w.find('[data-testid=walk-extensions]').setValue('gz')
    await w.find('[data-testid=walk-extension-mode]').setValue('drop')
    expect(text(w, 'walk-pipeline').replace(/\s+/g, '')).toBe(
      "filenames→filter(fnmatch'*.log*')→filterfalse(endswith'.gz')→shown"
    )
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    expect(count(w, 'files')).toBe(9)
    expect(count(w, 'kept')).toBe(1)
    expect(text(w, 'walk-pipeline')).toMatch(/filenames\s*9\b/)
    expect(text(w, 'walk-pipeline')).toMatch(/shown\s*1$/)

    await w.find('[data-testid=walk-python]').trigger('click')
    const code = text(w, 'walk-python-code')
    expect(code).toContain(`top = '${top}'`)
    expect(code).toContain("files = filter(lambda name: fnmatch(name, '*.log*'), filenames)")
    expect(code).toContain("files = filterfalse(lambda name: name.endswith('.gz'), files)")

    // Changing an option says a new walk will start, and next(w) starts it.
    await w.find('[data-testid=walk-topdown]').setValue(false)
    expect(w.text()).toContain('The options changed since this walk started')
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1, 'a new walk, bottom-up')
    expect(text(w, 'walk-transcript')).toContain('topdown=False')
  })

  test('a directory deleted while being walked shows as an inline error row, and the walk goes on to the end', async () => {
    const top = makeTree(4, 2)
    const w = mountView()
    await typePath(w, top)
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1, 'first triple')
    rmSync(join(top, 'd2'), { recursive: true })
    await w.find('[data-testid=walk-run]').trigger('click')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    expect([count(w, 'dirs'), count(w, 'errors')]).toEqual([4, 1])
    const errorRow = w.find('[data-testid=walk-row-error]')
    expect(errorRow.text()).toBe('⚠ NOT_FOUND: does not exist')
    expect(errorRow.element.closest('[role=treeitem]')!.textContent).toContain('d2/')
    expect(text(w, 'walk-transcript')).toContain(`onerror(NOT_FOUND): ${join(top, 'd2')}: does not exist`)
  })

  test('a run writes at most 50 onerror lines to the transcript; the tree shows every error', async () => {
    const top = makeTree(1, 1)
    // 60 folders whose paths are longer than PATH_MAX (ENAMETOOLONG, which even root gets), made
    // relative to directory descriptors so no full path is ever needed.
    runPython(
      String.raw`
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for level in range(16):
    name = ('%02d' % level) + 'x' * 240
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
for i in range(60):
    os.mkdir(('long-%02d-' % i) + 'y' * 200, dir_fd=fd)
os.close(fd)
`,
      [top]
    )
    try {
      const w = mountView()
      await typePath(w, top)
      await w.find('form').trigger('submit')
      await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
      expect(count(w, 'errors')).toBe(60)
      const transcript = text(w, 'walk-transcript')
      expect(transcript.match(/onerror\(INVALID_ARGUMENT\)/g)).toHaveLength(50)
      expect(transcript).toContain('# … and 10 more onerror calls, all shown in the tree')
      expect(useWalkStore().session!.tree.root.totalErrors).toBe(60)
    } finally {
      // Node's rmSync needs full paths, which are too long here; rm works down from descriptors.
      execFileSync('rm', ['-rf', top])
    }
  })

  test('a folder whose name is not valid UTF-8 is walked by its bytes, shown with U+FFFD, marked, and kept apart from its look-alike', async () => {
    const top = join(base, `utf8-${++counter}`)
    mkdirSync(top)
    mkdirSync(Buffer.from(`${top}/bad-\xff-dir`, 'latin1'))
    writeFileSync(Buffer.from(`${top}/bad-\xff-dir/inside.txt`, 'latin1'), 'in')
    mkdirSync(join(top, 'bad-\uFFFD-dir'))
    writeFileSync(join(top, 'bad-\uFFFD-dir', 'other.txt'), 'other')
    const w = mountView()
    await typePath(w, top)
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    expect([count(w, 'dirs'), count(w, 'errors')]).toEqual([3, 0])
    const rows = w.findAll('[role=treeitem]').filter((row) => row.text().includes('bad-\uFFFD-dir/'))
    expect(rows).toHaveLength(2)
    const titles = rows.map((row) => row.find('.name').attributes('title'))
    expect(titles.filter((title) => title?.includes('not valid UTF-8'))).toEqual([
      `'bad-\\udcff-dir' — not valid UTF-8 on disk (shown with U+FFFD)`
    ])
  })

  test('bad roots are clear errors: a missing path, a file, an empty field', async () => {
    const top = makeTree(1, 1)
    const w = mountView()
    await typePath(w, join(top, 'nope'))
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => w.find('[data-testid=walk-failure]').exists(), 'failure shown')
    expect(text(w, 'walk-failure')).toContain(`Cannot walk "${join(top, 'nope')}"`)
    expect(text(w, 'walk-failure')).toContain('NOT_FOUND')
    expect(text(w, 'walk-failure')).toContain('used exactly as typed')
    expect(text(w, 'walk-state')).toContain('GEN_CLOSED')

    await typePath(w, join(top, 'readme.md'))
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-failure').includes('NOT_A_DIRECTORY'), 'file refused')

    await typePath(w, '')
    expect(w.find('[data-testid=walk-start]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid=walk-step]').attributes('disabled')).toBeDefined()
    expect(jobs.openJobs()).toEqual([])
  })

  test('pause keeps the generator suspended, resume goes on, cancel closes it in main', async () => {
    const top = makeTree(40, 30, 1)
    const w = mountView()
    const walkStore = useWalkStore()
    await typePath(w, top)
    // Pause the moment the loop starts: it stops after the batch in flight (the first: one triple).
    const stop = watch(
      () => walkStore.phase,
      (phase) => phase === 'running' && walkStore.pause(),
      { flush: 'sync' }
    )
    await w.find('[data-testid=walk-run]').trigger('click')
    await until(() => walkStore.phase === 'suspended', 'paused')
    stop()
    {
      expect(text(w, 'walk-state')).toContain('GEN_SUSPENDED')
      expect(text(w, 'walk-transcript')).toContain('# paused')
      const paused = count(w, 'dirs')
      expect(paused).toBe(1)
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(count(w, 'dirs')).toBe(paused)
      await w.find('[data-testid=walk-cancel]').trigger('click')
      await until(() => walkStore.phase === 'cancelled', 'cancelled')
      expect(text(w, 'walk-state')).toContain('GEN_CLOSED')
      expect(text(w, 'walk-transcript')).toContain('>>> w.close()')
    }
    // A new walk (the form changed): step, then resume to the end.
    await typePath(w, `${top}/`)
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1, 'new walk stepped')
    expect(w.find('[data-testid=walk-run]').text()).toBe('Resume')
    await w.find('[data-testid=walk-run]').trigger('click')
    await until(() => walkStore.phase === 'done', 'resumed to the end')
    expect(count(w, 'dirs')).toBe(41)
    expect(w.findAll('[role=treeitem]')[1]!.text()).toContain('d')

    // Closed from the status bar (the jobs store) while suspended: the tab says so.
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => walkStore.phase === 'suspended', 'a fresh walk stepped')
    await useJobsStore().cancel(walkStore.session!.generator.id)
    await until(() => walkStore.phase === 'cancelled', 'closed from outside')
    expect(text(w, 'walk-transcript')).toContain('# closed from outside')
    expect(jobs.openJobs()).toEqual([])
  })

  test('Browse… asks main for a folder (the native dialog) and opens a generator on it without reading', async () => {
    const top = makeTree(1, 1)
    const invoke = api.invoke
    api.invoke = ((channel, input) =>
      channel === 'dialog.choosePath'
        ? Promise.resolve({ ok: true, value: { path: top } })
        : invoke(channel, input)) as LabApi['invoke']
    const w = mountView()
    await w.find('[data-testid=walk-choose]').trigger('click')
    await until(() => text(w, 'walk-state').includes('GEN_CREATED'), 'created')
    expect((w.find('[data-testid=walk-path]').element as HTMLInputElement).value).toBe(top)
    expect(text(w, 'walk-transcript')).toContain('# created: nothing read yet')
    expect(count(w, 'dirs')).toBe(0)
    // Keyboard: N steps (focus is not in a field).
    ;(document.activeElement as HTMLElement | null)?.blur()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n' }))
    await until(() => count(w, 'dirs') === 1, 'N stepped')
  })
})
