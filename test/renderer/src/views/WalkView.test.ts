/**
 * The Browse tab against the real main-process handlers and a real job worker, in-process:
 * step, run, pause and resume, cancel, filters, inline errors, bad roots, a generator that
 * cannot be opened, a saved scan that is not there, the Python dialog, the folder dialog, Export
 * for ncdu, and keyboard use of the tree.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { watch } from 'vue'
import type { Envelope, LabApi } from '@shared/contract'
import { decodeNcdu, ncduTotals } from '@shared/ncdu'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import WalkView from '@renderer/views/WalkView.vue'
import { useWalkStore } from '@renderer/stores/walk'
import { useJobsStore } from '@renderer/stores/jobs'
import { installInProcessLab } from '../../../support/inProcessLab'
import { shownWithNote } from '../../../support/notUtf8'
import { runPython } from '../../../support/python'
import { until as untilWithin } from '../../../support/until'

let jobs: JobHost
let api: LabApi
let revealed: string[] = []
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
  ;({ jobs, api, revealed } = installInProcessLab())
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

/** The native file or folder dialog (main's dialog.choosePath) answers with these paths, in turn. */
function answerDialogWith(...paths: string[]): void {
  const invoke = api.invoke
  api.invoke = ((channel, input) =>
    channel === 'dialog.choosePath'
      ? Promise.resolve({ ok: true, value: { path: paths.shift() } })
      : invoke(channel, input)) as LabApi['invoke']
}

async function typePath(w: VueWrapper, path: string): Promise<void> {
  await w.find('[data-testid=walk-path]').setValue(path)
}

/** Walk (Enter) on `path`, until the generator is exhausted. */
async function walkToTheEnd(w: VueWrapper, path: string): Promise<void> {
  await typePath(w, path)
  await w.find('form').trigger('submit')
  await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
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

  test('while the loop streams, the badge stays GEN_RUNNING between batches; it ends GEN_CLOSED', async () => {
    const top = makeTree(6, 2)
    const w = mountView()
    const walkStore = useWalkStore()
    await typePath(w, top)
    const states: (string | undefined)[] = []
    const pulls: string[] = []
    const stop = watch(
      () => walkStore.generatorState,
      (state) => states.push(state),
      { flush: 'sync' }
    )
    // The first pull asks for one triple and the second for the rest: between them the generator
    // is suspended, for as long as it takes to ask again.
    const stopPulls = watch(
      () => walkStore.session?.generator.state,
      (state) => state !== undefined && pulls.push(state),
      { flush: 'sync' }
    )
    await w.find('form').trigger('submit')
    await until(() => walkStore.phase === 'done', 'walked')
    stop()
    stopPulls()
    expect(pulls.filter((state) => state === 'running').length).toBeGreaterThanOrEqual(2)
    expect(states.at(-1)).toBe('closed')
    expect(states.slice(0, -1).filter((state) => state !== 'created')).toEqual(['running'])
    expect(text(w, 'walk-state')).toContain('GEN_CLOSED')
  })

  test('Enter in the path field walks it all; the tree sorts by name, size and os.walk order and expands with the keyboard', async () => {
    const top = makeTree(3, 2)
    writeFileSync(join(top, 'd1', 'big.bin'), 'b'.repeat(5000))
    const w = mountView()
    await walkToTheEnd(w, top)
    const rowNames = (): string[] => w.findAll('[role=treeitem] .name').map((row) => row.text())
    // By size (the default): d1 holds the big file.
    expect(rowNames()).toEqual([top, 'd1/', 'd0/', 'd2/', 'readme.md'])
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(rowNames()).toEqual([top, 'd0/', 'd1/', 'd2/', 'readme.md'])
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(rowNames()).toEqual([top, 'd2/', 'd1/', 'd0/', 'readme.md'])

    const tree = w.find('[data-testid=walk-tree]')
    // Focused with nothing selected, the first row is selected, so the focus shows on it.
    expect(w.find('[aria-selected=true]').exists()).toBe(false)
    await tree.trigger('focus')
    expect(w.find('[aria-selected=true] .name').text()).toBe(top)
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'ArrowRight' })
    expect(rowNames()).toEqual([top, 'd2/', 'd1/', 'f1.txt', 'f0.txt', 'big.bin', 'd0/', 'readme.md'])
    expect(w.find('[aria-selected=true]').text()).toContain('d1/')
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(rowNames()).toHaveLength(5)
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(w.find('[aria-selected=true]').text()).toContain(top)

    // A file of d1 selected, d1 collapsed with its chevron: d1 is selected (its file's row is hidden), and ↓ goes on from it.
    const rowNamed = (name: string) => w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === name)!
    await rowNamed('d1/').find('.chevron').trigger('click')
    await rowNamed('big.bin').trigger('click')
    await rowNamed('d1/').find('.chevron').trigger('click')
    expect(rowNames()).toHaveLength(5)
    expect(w.find('[aria-selected=true] .name').text()).toBe('d1/')
    await tree.trigger('keydown', { key: 'ArrowDown' })
    expect(w.find('[aria-selected=true] .name').text()).toBe('d0/')

    // Re-rooted on d1, its row's chevron hides nothing (the view's root always shows its rows): the selection stays.
    await rowNamed('d1/').trigger('click')
    await tree.trigger('keydown', { key: 'Enter' })
    await rowNamed('big.bin').trigger('click')
    const rootChevron = w.find('[role=treeitem] .chevron')
    await rootChevron.trigger('click')
    await rootChevron.trigger('click')
    expect(w.find('[aria-selected=true] .name').text()).toBe('big.bin')
  })

  test('after a walk ends, n s a sort in the tree and its sort bar in either case; N and R elsewhere keep the scan', async () => {
    const top = makeTree(3, 2)
    writeFileSync(join(top, 'd1', 'big.bin'), 'b'.repeat(5000))
    const w = mountView()
    const store = useWalkStore()
    await walkToTheEnd(w, top)
    const scan = store.session
    const rowNames = (): string[] => w.findAll('[role=treeitem] .name').map((row) => row.text())
    const bySize = [top, 'd1/', 'd0/', 'd2/', 'readme.md']
    const byName = [top, 'd0/', 'd1/', 'd2/', 'readme.md']
    expect(rowNames()).toEqual(bySize)

    // Focus stays on a sort button after a click: n there sorts by name, as in the tree.
    await w.find('[data-testid=walk-sort-size]').trigger('keydown', { key: 'n' })
    expect(rowNames()).toEqual(byName)
    const tree = w.find('[data-testid=walk-tree]')
    await tree.trigger('keydown', { key: 'S', shiftKey: true })
    expect(rowNames()).toEqual(bySize)
    await tree.trigger('keydown', { key: 'N', shiftKey: true })
    expect(rowNames()).toEqual(byName)
    await tree.trigger('keydown', { key: 'A' })
    expect(store.measure).toBe('disk')
    expect(store.session).toBe(scan)
    expect(store.transcript.some((line) => line.output.startsWith('StopIteration  # w is'))).toBe(false)

    // Outside the tree, N is next(w) and R the for loop: on the exhausted w, as Python says.
    const lines = store.transcript.length
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'N', shiftKey: true }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'r' }))
    await w.vm.$nextTick()
    expect(store.transcript.slice(lines).map((line) => [line.input, line.output])).toEqual([
      ['next(w)', 'StopIteration  # w is exhausted; Walk (Enter) starts a new walk'],
      [
        'for dirpath, dirnames, filenames in w: ...',
        '# the loop body never ran: w is exhausted; Walk (Enter) starts a new walk'
      ]
    ])
    expect(store.session).toBe(scan)
    expect(rowNames()).toEqual(byName)
    expect(count(w, 'dirs')).toBe(4)
    expect(text(w, 'walk-phase')).toContain('exhausted')
  })

  test('the selection follows its entry through sorting, streaming and cancel; os.walk order while live', async () => {
    const top = makeTree(3, 2)
    writeFileSync(join(top, 'd1', 'big.bin'), 'b'.repeat(5000))
    const w = mountView()
    await typePath(w, top)
    const rowNames = (): string[] => w.findAll('[role=treeitem] .name').map((row) => row.text())
    const selectedName = (): string => w.find('[aria-selected=true] .name').text()
    const store = useWalkStore()
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1 && store.phase === 'suspended', 'first triple')
    // While the walk is live, rows come in os.walk order (the directory's own order).
    const walkOrder = store.session!.tree.root.subdirs.map((node) => `${node.name}/`)
    expect(rowNames()).toEqual([top, ...walkOrder, 'readme.md'])
    expect(store.order).toEqual({ key: 'walk', descending: false })
    const rowOf = (name: string) => w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === name)!
    await rowOf('d1/').trigger('click')
    expect(selectedName()).toBe('d1/')
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(rowNames()).toEqual([top, 'd0/', 'd1/', 'd2/', 'readme.md'])
    expect(selectedName()).toBe('d1/')
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    expect(selectedName()).toBe('d1/')
    // Streaming the rest: sizes grow and rows move, the selection stays on d1.
    await w.find('[data-testid=walk-run]').trigger('click')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    expect(selectedName()).toBe('d1/')
    await w.find('[data-testid=walk-tree]').trigger('keydown', { key: 's' })
    expect(rowNames()[1]).toBe('d1/')
    expect(selectedName()).toBe('d1/')

    // A new walk starts in os.walk order again; the chosen sort (size) comes back when it ends.
    await w.find('[data-testid=walk-followlinks]').setValue(true)
    for (let i = 1; i <= 2; i++) {
      await w.find('[data-testid=walk-step]').trigger('click')
      await until(() => count(w, 'dirs') === i && store.phase === 'suspended', `step ${i}`)
    }
    expect(store.order.key).toBe('walk')
    await rowOf('d2/').trigger('click')
    await w.find('[data-testid=walk-cancel]').trigger('click')
    await until(() => store.phase === 'cancelled', 'cancelled')
    expect(store.order).toEqual({ key: 'size', descending: true })
    expect(selectedName()).toBe('d2/')
  })

  test('Enter or a double-click re-roots on a folder, the breadcrumb and Backspace lead back up', async () => {
    const top = makeTree(3, 2)
    mkdirSync(join(top, 'd1', 'inner'))
    writeFileSync(join(top, 'd1', 'inner', 'deep.txt'), 'deep')
    const w = mountView()
    await walkToTheEnd(w, top)
    const rowNames = (): string[] => w.findAll('[role=treeitem] .name').map((row) => row.text())
    const tree = w.find('[data-testid=walk-tree]')
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'ArrowDown' })
    expect(w.find('[aria-selected=true] .name').text()).toBe('d1/')
    await tree.trigger('keydown', { key: 'Enter' })
    expect(rowNames()).toEqual(['d1', 'inner/', 'f0.txt', 'f1.txt'])
    expect(text(w, 'walk-breadcrumb').replace(/\s+/g, '')).toBe(`${top}›d1`)
    const inner = w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === 'inner/')!
    await inner.trigger('dblclick')
    expect(rowNames()).toEqual(['inner', 'deep.txt'])
    await tree.trigger('keydown', { key: 'Backspace' })
    expect(rowNames()[0]).toBe('d1')
    expect(w.find('[aria-selected=true] .name').text()).toBe('inner/')
    await w.find('[data-testid=walk-breadcrumb] button').trigger('click')
    expect(rowNames()[0]).toBe(top)
    expect(w.find('[aria-selected=true] .name').text()).toBe('d1/')
  })

  test('with more matches than the search keeps, Shift+Enter from the first stays there and says why', async () => {
    const top = makeTree(2, 600)
    const w = mountView()
    await walkToTheEnd(w, top)
    const search = w.find('[data-testid=walk-search]')
    await search.setValue('.txt')
    expect(text(w, 'walk-search-matches')).toBe('1,000+ found')
    await search.trigger('keydown', { key: 'Enter' })
    await search.trigger('keydown', { key: 'Enter', shiftKey: true })
    expect(text(w, 'walk-search-matches')).toBe('1 of 1,000+')
    expect(text(w, 'walk-search-past-kept')).toBe(
      'Only the first 1,000 matches are kept, so the search does not wrap round: type more of the name to reach the others.'
    )
    await search.setValue('f1.txt')
    expect(w.find('[data-testid=walk-search-past-kept]').exists()).toBe(false)
  })

  test('spaces at either end of a name show as ␣, and the search marks them where it finds them', async () => {
    const top = makeTree(1, 0)
    writeFileSync(join(top, 'notes '), 'x')
    writeFileSync(join(top, '  lead.txt'), 'x')
    writeFileSync(join(top, 'in side'), 'x')
    const w = mountView()
    await walkToTheEnd(w, top)
    const names = (): string[] => w.findAll('[role=treeitem][data-depth="1"] .name').map((row) => row.text())
    expect(names().sort()).toEqual(['d0/', 'in side', 'notes␣', 'readme.md', '␣␣lead.txt'])
    // One byte is said in the singular.
    const notes = w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === 'notes␣')!
    expect(notes.find('.col-size').attributes('title')).toBe('1 byte (apparent size: st_size)')
    const search = w.find('[data-testid=walk-search]')
    const marks = (): string[] => w.findAll('[data-testid=walk-search-hit]').map((mark) => mark.text())
    await search.setValue('S ')
    expect(marks().sort()).toEqual(['s', '␣'])
    await search.setValue(' l')
    expect(marks()).toEqual(['␣', 'l'])
    // A name kept decomposed (e + U+0301, as macOS keeps it) is found and marked by é typed as one character.
    writeFileSync(join(top, 'cafe\u0301.txt'), 'x')
    await walkToTheEnd(w, top)
    await search.setValue('\u00e9')
    expect(text(w, 'walk-search-matches')).toBe('1 found')
    expect(marks()).toEqual(['e\u0301'])
  })

  test('re-rooted on a folder named by spaces, the breadcrumb, the search scope and the match path show them as ␣', async () => {
    const top = makeTree(1, 0)
    mkdirSync(join(top, '   '))
    writeFileSync(join(top, '   ', 'inner.txt'), 'x')
    const w = mountView()
    await walkToTheEnd(w, top)
    const tree = w.find('[data-testid=walk-tree]')
    await w
      .findAll('[role=treeitem]')
      .find((row) => row.find('.name').text() === '␣␣␣/')!
      .trigger('click')
    await tree.trigger('keydown', { key: 'Enter' })
    // Before, the crumb was blank, the scope read "searching in /" and the match path ".../   /inner.txt".
    const crumbs = w.findAll('[data-testid=walk-breadcrumb] .crumb').map((crumb) => crumb.text())
    expect(crumbs.at(-1)).toBe('␣␣␣')
    expect(w.find('[data-testid=walk-breadcrumb] .crumb.current .escape').text()).toBe('␣␣␣')
    const search = w.find('[data-testid=walk-search]')
    await search.setValue('inner')
    expect(text(w, 'walk-search-scope')).toBe('searching in ␣␣␣/')
    await search.trigger('keydown', { key: 'Enter' })
    expect(text(w, 'walk-search-path')).toBe(`match:${top}/␣␣␣/inner.txt`)
  })

  test('Enter on a folder the walk did not enter (a link not followed) stays put and says why, as ncdu does not enter it', async () => {
    const top = makeTree(1, 1)
    symlinkSync(join(top, 'd0'), join(top, 'shortcut'))
    const w = mountView()
    const enterOn = async (name: string): Promise<void> => {
      await w
        .findAll('[role=treeitem]')
        .find((row) => row.find('.name').text() === name)!
        .trigger('click')
      await w.find('[data-testid=walk-tree]').trigger('keydown', { key: 'Enter' })
    }
    // While the walk is suspended after its first triple, the link is not walked yet, but never will be.
    await typePath(w, top)
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1 && text(w, 'walk-state').includes('GEN_SUSPENDED'), 'one step')
    await enterOn('shortcut@/')
    expect(w.findAll('[data-testid=walk-breadcrumb] .crumb')).toHaveLength(1)
    expect(text(w, 'walk-notice')).toBe('Nothing to show inside shortcut: symlink, not followed.')
    await walkToTheEnd(w, top)
    await enterOn('shortcut@/')
    // Before, the tree re-rooted on it and showed an empty folder, with nothing said.
    expect(w.findAll('[data-testid=walk-breadcrumb] .crumb')).toHaveLength(1)
    expect(w.find('[aria-selected=true] .name').text()).toBe('shortcut@/')
    expect(text(w, 'walk-notice')).toBe('Nothing to show inside shortcut: symlink, not followed.')
    // A folder it entered still re-roots.
    await enterOn('d0/')
    expect(w.findAll('[data-testid=walk-breadcrumb] .crumb')).toHaveLength(2)
    expect(w.find('[data-testid=walk-notice]').exists()).toBe(false)
  })

  test('search finds names in the folder in view and below and jumps to each match, opening its folder', async () => {
    const top = makeTree(3, 2)
    const w = mountView()
    await walkToTheEnd(w, top)
    await w.find('[data-testid=walk-sort-name]').trigger('click')
    await w.find('[data-testid=walk-tree]').trigger('keydown', { key: '/' })
    const search = w.find('[data-testid=walk-search]')
    expect(document.activeElement).toBe(search.element)
    await search.setValue('F1')
    expect(text(w, 'walk-search-matches')).toBe('3 found')
    const selected = (): string =>
      w.find('[aria-selected=true]').attributes('data-depth') + ':' + w.find('[aria-selected=true] .name').text()
    await search.trigger('keydown', { key: 'Enter' })
    expect(text(w, 'walk-search-matches')).toBe('1 of 3')
    expect(selected()).toBe('2:f1.txt')
    // Where the match is, however deep its row.
    expect(text(w, 'walk-search-path')).toBe(`match:${join(top, 'd0', 'f1.txt')}`)
    expect(useWalkStore().session!.tree.pathOfKey(useWalkStore().selection!)).toBe(join(top, 'd0', 'f1.txt'))
    await search.trigger('keydown', { key: 'Enter' })
    expect(useWalkStore().session!.tree.pathOfKey(useWalkStore().selection!)).toBe(join(top, 'd1', 'f1.txt'))
    await search.trigger('keydown', { key: 'Enter', shiftKey: true })
    expect(useWalkStore().session!.tree.pathOfKey(useWalkStore().selection!)).toBe(join(top, 'd0', 'f1.txt'))
    // The query is marked in each name shown, in the name's own case; the rest of the name stays as it is.
    const marks = (): string[] => w.findAll('[data-testid=walk-search-hit]').map((mark) => mark.text())
    expect(marks().length).toBeGreaterThan(0)
    expect(new Set(marks())).toEqual(new Set(['f1']))
    expect(w.find('[aria-selected=true] .name').text()).toBe('f1.txt')
    await search.setValue('nothing-like-this')
    expect(text(w, 'walk-search-matches')).toBe('no match')
    expect(w.find('[data-testid=walk-search-path]').exists()).toBe(false)
    expect(marks()).toEqual([])
    // Re-rooted on d1 (Enter on its row), the search looks in d1 only and says so; Backspace widens it again.
    await search.setValue('F1')
    const tree = w.find('[data-testid=walk-tree]')
    await w
      .findAll('[role=treeitem]')
      .find((row) => row.find('.name').text() === 'd1/')!
      .trigger('click')
    await tree.trigger('keydown', { key: 'Enter' })
    expect(text(w, 'walk-search-scope')).toBe('searching in d1/')
    expect(search.attributes('title')).toContain('in d1/ and below')
    expect(text(w, 'walk-search-matches')).toBe('1 found')
    await search.trigger('keydown', { key: 'Enter' })
    expect(text(w, 'walk-search-matches')).toBe('1 of 1')
    expect(text(w, 'walk-search-path')).toBe(`match:${join(top, 'd1', 'f1.txt')}`)
    await tree.trigger('keydown', { key: 'Backspace' })
    expect(w.find('[data-testid=walk-search-scope]').exists()).toBe(false)
    expect(text(w, 'walk-search-matches')).toBe('2 of 3')
  })

  test('deep down, rows stop indenting and show their depth instead, their path in their title', async () => {
    const top = join(base, `deep-${++counter}`)
    const levels = Array.from({ length: 14 }, (_, i) => `l${i + 1}`)
    mkdirSync(join(top, ...levels), { recursive: true })
    writeFileSync(join(top, ...levels, 'bottom.txt'), 'deep')
    const w = mountView()
    await walkToTheEnd(w, top)
    await w.find('[data-testid=walk-search]').setValue('bottom.txt')
    await w.find('[data-testid=walk-search]').trigger('keydown', { key: 'Enter' })
    const indents = w
      .findAll('[role=treeitem]')
      .map((row) => [row.attributes('data-depth'), (row.find('.col-name').element as HTMLElement).style.paddingLeft])
    expect(indents.slice(0, 3)).toEqual([
      ['0', '4px'],
      ['1', '20px'],
      ['2', '36px']
    ])
    expect(indents.slice(-5)).toEqual([
      ['11', '164px'],
      ['12', '164px'],
      ['13', '164px'],
      ['14', '164px'],
      ['15', '164px']
    ])
    const bottom = w.find('[aria-selected=true]')
    expect(bottom.find('[data-testid=walk-row-depth]').text()).toBe('15')
    expect(bottom.find('.name').attributes('title')).toBe(`'${join(top, ...levels, 'bottom.txt')}'`)
    expect(w.find('[data-depth="10"] [data-testid=walk-row-depth]').exists()).toBe(false)
  })

  test('an empty folder says so under its row, as ncdu does; a folder with entries does not', async () => {
    const top = join(base, `empty-${++counter}`)
    mkdirSync(join(top, 'inside'), { recursive: true })
    const w = mountView()
    await walkToTheEnd(w, join(top, 'inside'))
    expect(text(w, 'walk-empty-folder')).toBe('Empty folder.')
    await typePath(w, top)
    await w.find('form').trigger('submit')
    await until(() => count(w, 'dirs') === 2 && text(w, 'walk-phase').includes('exhausted'), 'walked the parent')
    expect(w.find('[data-testid=walk-empty-folder]').exists()).toBe(false)
    // Re-rooted on the empty folder, the tree says so again.
    await w.find('[role=treeitem][data-depth="1"]').trigger('dblclick')
    expect(text(w, 'walk-empty-folder')).toBe('Empty folder.')
    // With a filename filter, an empty view may only mean the filters kept nothing.
    writeFileSync(join(top, 'inside', 'notes.txt'), 'n')
    await typePath(w, join(top, 'inside'))
    await w.find('[data-testid=walk-glob]').setValue('*.py')
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-phase').includes('exhausted') && count(w, 'files') === 1, 'walked, filtered')
    expect(text(w, 'walk-empty-folder')).toContain('no file here passes the filename filters')
  })

  test('exclude prunes folders as os.walk does, shows the Python line, and says why bottom-up cannot prune', async () => {
    const top = makeTree(3, 2)
    mkdirSync(join(top, 'd0', '.git'))
    writeFileSync(join(top, 'd0', '.git', 'HEAD'), 'ref')
    const w = mountView()
    await typePath(w, top)
    await w.find('[data-testid=walk-exclude]').setValue('.git, d2')
    expect(w.find('[data-testid=walk-exclude]').attributes('title')).toContain(
      "dirnames[:] = [d for d in dirnames if not fnmatch(d, '.git')]"
    )
    await w.find('form').trigger('submit')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'walked')
    expect(count(w, 'dirs')).toBe(3) // top, d0, d1: d2 and d0/.git were pruned
    const d2 = w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === 'd2/')!
    expect(d2.text()).toContain('excluded')
    const transcript = text(w, 'walk-transcript')
    expect(transcript).toContain("dirnames[:] = [d for d in dirnames if not fnmatch(d, '.git')]")
    expect(transcript).toContain("dirnames[:] = [d for d in dirnames if not fnmatch(d, 'd2')]")
    await w.find('[data-testid=walk-python]').trigger('click')
    expect(text(w, 'walk-python-code')).toContain("    dirnames[:] = [d for d in dirnames if not fnmatch(d, 'd2')]")

    await w.find('[data-testid=walk-topdown]').setValue(false)
    expect(text(w, 'walk-prune-bottom-up')).toContain('has no effect')
  })

  test('with an exclude, next(w) shows the triple as os.walk yields it (python3), then the prune', async () => {
    const top = join(base, `tree-${++counter}`)
    // Made in turns, so that in read order (creation order or its reverse on tmpfs) they are mixed.
    for (const name of ['d0', '.git', 'd1', 'node_modules', 'd2', '.cache'])
      mkdirSync(join(top, name), { recursive: true })
    writeFileSync(join(top, 'readme.md'), '# hi\n')
    const w = mountView()
    await typePath(w, top)
    await w.find('[data-testid=walk-exclude]').setValue('.*, node_modules')
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => count(w, 'dirs') === 1 && useWalkStore().phase === 'suspended', 'stepped')
    const lines = useWalkStore().transcript
    const at = lines.findIndex((line) => line.input === 'next(w)')
    const yielded = runPython('import os, sys\nprint(repr(next(os.walk(sys.argv[1]))))', [top]).trimEnd()
    expect(yielded).toContain("'.git'")
    expect(lines[at]!.output).toBe(yielded)
    expect(lines[at + 1]!.input).toBe(
      ['.*', 'node_modules']
        .map((pattern) => `dirnames[:] = [d for d in dirnames if not fnmatch(d, '${pattern}')]`)
        .join('\n')
    )
    expect(lines[at + 1]!.output).toMatch(/^# pruned \[.*\]: os\.walk will not go into them$/)
  })

  test('every field with a problem says it at once, beside the field, which it describes', async () => {
    const top = makeTree(1, 1)
    const w = mountView()
    const field = (name: string): DOMWrapper<Element> => w.find(`[data-testid=walk-${name}]`)
    /** The problem a field's aria-describedby names first (its own), or '' when it names none. */
    const problemOf = (name: string): string => {
      const id = field(name).attributes('aria-describedby')?.split(' ')[0]
      return id === undefined ? '' : w.find(`#${id}`).text()
    }
    await typePath(w, top)
    await field('exclude').setValue('.git proj/node_modules')
    await field('extensions').setValue('.log a/b')
    expect([field('exclude').attributes('aria-invalid'), field('extensions').attributes('aria-invalid')]).toEqual([
      'true',
      'true'
    ])
    expect(problemOf('exclude')).toMatch(/^Exclude folders: "proj\/node_modules" holds a "\/", so it matches nothing/)
    expect(problemOf('extensions')).toMatch(/^Extensions: ".a\/b" holds a "\/", so it matches nothing/)
    expect(field('glob').attributes('aria-invalid')).toBe('false')
    expect(field('glob').attributes('aria-describedby')).toBeUndefined()
    expect(field('start').attributes('disabled')).toBeDefined()

    // Fixing one field takes its problem away, and only its own.
    await field('exclude').setValue('.git node_modules')
    expect(field('exclude').attributes('aria-invalid')).toBe('false')
    expect(field('exclude').attributes('aria-describedby')).toBeUndefined()
    expect(problemOf('extensions')).toMatch(/^Extensions: ".a\/b" holds a "\/"/)

    // Walk (Enter) with no folder: its problem joins the other one, each under its own row.
    await typePath(w, '')
    await field('path').trigger('keydown', { key: 'Enter' })
    expect(problemOf('path')).toBe('Type a folder path or choose one with Browse…')
    expect(w.findAll('.toolbar [role=alert]').map((alert) => alert.text())).toEqual([
      'Type a folder path or choose one with Browse…',
      expect.stringMatching(/^Extensions: /) as unknown
    ])
  })

  test('a toggles apparent size and disk usage; hard links count once and are marked; reveal asks main', async () => {
    const top = makeTree(1, 1)
    writeFileSync(join(top, 'd0', 'data.bin'), 'd'.repeat(10_000))
    linkSync(join(top, 'd0', 'data.bin'), join(top, 'data-link.bin'))
    const w = mountView()
    await walkToTheEnd(w, top)
    const store = useWalkStore()
    const root = store.session!.tree.root
    expect(root.totalBytes).toBe(Number(execFileSync('du', ['-sb', top], { encoding: 'utf8' }).split('\t')[0]))
    expect(w.findAll('[data-testid=walk-hard-link]').length).toBeGreaterThanOrEqual(1)
    // The bytes counter is the loop's sum (the linked file once per name, no folders), and says how it differs from the tree's.
    const files = 3 + 10_000 + 10_000 + '# hi\n'.length
    expect(count(w, 'bytes')).toBe(files)
    // On screen too, the counter's label says it sums files, next to a tree total that holds the folders as well.
    expect(w.find('[data-testid=count-bytes]').element.parentElement!.querySelector('dt')!.textContent).toBe(
      'file bytes'
    )
    expect(w.find('[data-testid=count-bytes]').element.parentElement!.getAttribute('title')).toBe(
      `${files.toLocaleString('en-US')} bytes: the st_size of each regular file in the filenames yielded, summed as a ` +
        'loop over os.walk sums them (a hard-linked file once per name). The tree counts as du -b and ncdu do: each ' +
        'folder’s own size (an unreadable one’s too), and a hard-linked file once in each folder holding one of its ' +
        'names, so every folder shows what du -sb of that folder alone prints.'
    )
    const tree = w.find('[data-testid=walk-tree]')
    expect(w.find('.header .col-size').text()).toBe('size')
    // Each size to the byte in its tooltip, as ncdu's item info gives it.
    const du = (flag: string): number => Number(execFileSync('du', [flag, top], { encoding: 'utf8' }).split('\t')[0])
    const rootSizeTitle = (): string | undefined => w.find('[role=treeitem] .col-size').attributes('title')
    expect(rootSizeTitle()).toBe(`${du('-sb').toLocaleString('en-US')} bytes (apparent size: st_size)`)
    await tree.trigger('keydown', { key: 'a' })
    expect(store.measure).toBe('disk')
    expect(w.find('.header .col-size').text()).toBe('disk usage')
    expect(rootSizeTitle()).toBe(`${du('-sB1').toLocaleString('en-US')} bytes (disk usage: st_blocks × 512)`)
    expect(w.find('[data-testid=walk-measure-disk]').attributes('aria-pressed')).toBe('true')
    expect(w.findAll('[data-testid=walk-percent]')[0]!.text()).toBe('100%')
    expect(w.findAll('[data-testid=walk-share-bar]')[1]!.attributes('title')).toContain('disk usage')
    await tree.trigger('keydown', { key: 'a' })
    expect(store.measure).toBe('apparent')

    await tree.trigger('keydown', { key: 'ArrowDown' })
    await w.find('[data-testid=walk-reveal]').trigger('click')
    await until(() => revealed.length === 1, 'revealed')
    expect(revealed[0]).toBe(store.session!.tree.pathOfKey(store.selection!))
    expect(text(w, 'walk-notice')).toContain('Shown in the file manager')
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

    // While the form is invalid the pipeline it shows never ran: the last walk's counts leave it
    // (the counters keep them, as the walk's), and come back with a form that describes that walk.
    await w.find('[data-testid=walk-extensions]').setValue('gz a/b')
    expect(text(w, 'walk-pipeline').replace(/\s+/g, '')).toBe(
      "filenames→filter(fnmatch'*.log*')→filterfalse(endswith'.gz''.a/b')→shown"
    )
    expect([count(w, 'files'), count(w, 'kept')]).toEqual([9, 1])
    await w.find('[data-testid=walk-extensions]').setValue('gz')
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
      await walkToTheEnd(w, top)
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
    await walkToTheEnd(w, top)
    expect([count(w, 'dirs'), count(w, 'errors')]).toEqual([3, 0])
    const rows = w.findAll('[role=treeitem]').filter((row) => row.text().includes('bad-\uFFFD-dir/'))
    expect(rows).toHaveLength(2)
    const titles = rows.map((row) => row.find('.name').attributes('title'))
    expect(titles.filter((title) => title?.includes('not valid UTF-8'))).toEqual([
      `'${top}/bad-\\udcff-dir' — not valid UTF-8 on disk (shown with U+FFFD)`
    ])
    // The search's match line and the share's tooltip show such a name as messages do: U+FFFD, then the note.
    await w.find('[data-testid=walk-search]').setValue('inside')
    await w.find('[data-testid=walk-search]').trigger('keydown', { key: 'Enter' })
    expect(text(w, 'walk-search-path')).toBe(`match:${shownWithNote(`${top}/bad-\udcff-dir/inside.txt`)}`)
    const inside = w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === 'inside.txt')!
    expect(inside.find('[data-testid=walk-share-bar]').attributes('title')).toContain(
      `of ${shownWithNote('bad-\udcff-dir')} (`
    )

    // The search selected inside.txt. The file manager is given text: it shows the nearest folder
    // whose name is, and says so. The clipboard gets a shell string that gives the bytes back.
    const path = `${top}/bad-\udcff-dir/inside.txt`
    await w.find('[data-testid=walk-reveal]').trigger('click')
    await until(() => revealed.length === 1, 'revealed')
    expect(revealed).toEqual([top])
    expect(text(w, 'walk-notice')).toBe(
      `Shown in the file manager: ${top}, the nearest folder above it that the file manager can be given (${shownWithNote(path)})`
    )
    const copied: string[] = []
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: (text: string) => Promise.resolve(void copied.push(text)) },
      configurable: true
    })
    await w.find('[data-testid=walk-copy-path]').trigger('click')
    await until(() => copied.length === 1, 'copied')
    expect(copied).toEqual([`$'${top}/bad-\\xff-dir/inside.txt'`])
    expect(execFileSync('bash', ['-c', `test -f ${copied[0]} && echo found`], { encoding: 'utf8' })).toBe('found\n')
    expect(text(w, 'walk-notice')).toContain(`Copied as a shell string, ${copied[0]}: the name is not UTF-8`)
    // The notice speaks of the selected entry: another selection, and it goes.
    await w.find('[data-testid=walk-tree]').trigger('keydown', { key: 'Home' })
    expect(w.find('[data-testid=walk-notice]').exists()).toBe(false)
  })

  test('a walk over before it has a rate keeps no hidden slot for one, so the counters stay on one line', async () => {
    const w = mountView()
    await walkToTheEnd(w, makeTree(1, 1))
    useWalkStore().elapsedMs = 150 // under the 0.2 s a rate needs
    await w.vm.$nextTick()
    expect(w.find('[data-testid=walk-counters]').text()).not.toContain('rate')
    expect(w.find('[data-testid=walk-counters]').findAll('.reserved')).toHaveLength(0)
  })

  test('a path typed with a blank around it is walked as typed, and the card says the blank is part of it', async () => {
    const top = makeTree(1, 1)
    const w = mountView()
    await typePath(w, ` ${top} `)
    await w.find('form').trigger('submit')
    await until(() => w.find('[data-testid=walk-failure]').exists(), 'failure shown')
    expect(w.find('[data-testid=walk-failure] h2').text()).toBe(`Cannot walk ${JSON.stringify(` ${top} `)}`)
    expect(text(w, 'walk-failure')).toContain('starts or ends with a space or another blank')
    expect(text(w, 'walk-failure')).not.toContain('~ is not expanded')
  })

  test('a top that cannot be walked is os.walk’s onerror, counted, and the generator ends; the card explains it', async () => {
    const top = makeTree(1, 1)
    const w = mountView()
    const missing = join(top, 'nope')
    await typePath(w, missing)
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => w.find('[data-testid=walk-failure]').exists(), 'failure shown')
    expect(text(w, 'walk-failure')).toContain(`Cannot walk "${missing}"`)
    expect(text(w, 'walk-failure')).toContain(`NOT_FOUND ${missing}: does not exist`)
    expect(text(w, 'walk-failure-onerror')).toContain('onerror')
    expect(text(w, 'walk-failure')).toContain('used exactly as typed')
    // As list(os.walk(missing, onerror=errors.append)): one error, no triple, StopIteration.
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'exhausted')
    expect(text(w, 'walk-state')).toContain('GEN_CLOSED')
    expect([count(w, 'dirs'), count(w, 'errors')]).toEqual([0, 1])
    const lines = useWalkStore().transcript.slice(1)
    expect(lines.map(({ input, output }) => [input, output])).toEqual([
      ['next(w)', ''],
      [undefined, `onerror(NOT_FOUND): ${missing}: does not exist`],
      [undefined, 'StopIteration'],
      [undefined, 'StopIteration  # 0 dirs, 0 files, 0 B, 1 error']
    ])
    expect(text(w, 'walk-transcript')).not.toContain('LabError')
    // Nothing to export, as ncdu -o writes no file for a top it cannot walk.
    expect(w.find('[data-testid=walk-export-ncdu]').attributes('disabled')).toBeDefined()

    // next(w) again on the exhausted generator: StopIteration, as in Python; the card stays.
    await w.find('[data-testid=walk-step]').trigger('click')
    expect(useWalkStore().transcript.at(-1)!.output).toBe(
      'StopIteration  # w is exhausted; Walk (Enter) starts a new walk'
    )
    expect(text(w, 'walk-failure')).toContain(`Cannot walk "${join(top, 'nope')}"`)

    await typePath(w, join(top, 'readme.md'))
    await w.find('[data-testid=walk-path]').trigger('keydown', { key: 'Enter' })
    await until(() => text(w, 'walk-failure').includes('NOT_A_DIRECTORY'), 'file refused')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'exhausted')
    expect(count(w, 'errors')).toBe(1)
    expect(text(w, 'walk-transcript')).toContain(
      `onerror(NOT_A_DIRECTORY): ${join(top, 'readme.md')}: is not a directory`
    )

    // Enter on an empty field starts nothing: it says why, and the failed walk's card goes.
    await typePath(w, '')
    expect(w.find('[data-testid=walk-start]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid=walk-step]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid=walk-failure]').exists()).toBe(true)
    expect(w.find('#walk-form-problem-top').exists()).toBe(false)
    await w.find('[data-testid=walk-path]').trigger('keydown', { key: 'Enter' })
    await until(() => !w.find('[data-testid=walk-failure]').exists(), 'the failed walk put away')
    expect(w.find('[data-testid=walk-empty]').exists()).toBe(true)
    expect(w.find('#walk-form-problem-top').text()).toBe('Type a folder path or choose one with Browse…')
    expect(w.find('[data-testid=walk-path]').attributes('aria-invalid')).toBe('true')
    await typePath(w, top)
    expect(w.find('#walk-form-problem-top').exists()).toBe(false)
    expect(jobs.openJobs()).toEqual([])
  })

  test('a folder that could not be read still shows its own size, as ncdu does; re-rooted on it, 100%', async () => {
    const scan = join(base, `unread-${++counter}.ncdu.json`)
    writeFileSync(
      scan,
      '[1,2,{"progname":"ncdu"},[{"name":"/r","asize":4096},[{"name":"locked","asize":60,"read_error":true}],{"name":"f","asize":40}]]'
    )
    answerDialogWith(scan)
    const w = mountView()
    await w.find('[data-testid=walk-open-ncdu]').trigger('click')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'opened')
    const locked = (): DOMWrapper<Element> =>
      w.findAll('[role=treeitem]').find((row) => row.find('.name').text() === 'locked/')!
    expect(locked().find('.col-size').text()).toBe('60 B')
    expect(locked().find('[data-testid=walk-row-error]').exists()).toBe(true)
    expect(w.find('[role=treeitem] .col-size').text()).toBe('4.10 KiB') // 4096 + 60 + 40
    await locked().trigger('dblclick')
    expect(w.find('[role=treeitem] .name').text()).toBe('locked')
    expect(w.findAll('[data-testid=walk-percent]')[0]!.text()).toBe('100%')
  })

  test('a saved scan opens from its file whatever walk options the form holds, and no stage claims its files', async () => {
    const scan = join(base, `options-${++counter}.ncdu.json`)
    writeFileSync(scan, '[1,2,{"progname":"ncdu"},[{"name":"/nowhere/here","asize":4096},{"name":"a.txt","asize":40}]]')
    answerDialogWith(scan)
    const w = mountView()
    await w.find('[data-testid=walk-glob]').setValue('*.log')
    await w.find('[data-testid=walk-exclude]').setValue('.git')
    await w.find('[data-testid=walk-open-ncdu]').trigger('click')
    await until(() => text(w, 'walk-phase').includes('exhausted'), 'opened')
    // Read from the file: /nowhere/here is not on this machine, so a walk would have failed.
    expect(w.find('[data-testid=walk-failure]').exists()).toBe(false)
    expect(w.find('[role=treeitem] .col-size').text()).toBe('4.04 KiB') // 4096 + 40
    expect(w.find('#walk-form-problem').exists()).toBe(false) // no "options changed" hint
    expect(text(w, 'walk-pipeline')).not.toMatch(/\d/) // the glob stage never ran on it
    expect(jobs.openJobs()).toEqual([])
  })

  test('a saved scan that is not there cannot be opened: the hint is about the file, not os.walk', async () => {
    const gone = join(base, 'gone.ncdu.json')
    answerDialogWith(gone, '~/scans/usr.ncdu.json')
    const w = mountView()

    await w.find('[data-testid=walk-open-ncdu]').trigger('click')
    await until(() => w.find('[data-testid=walk-failure]').exists(), 'failure shown')
    expect(w.find('[data-testid=walk-failure] h2').text()).toBe(`Cannot open ${JSON.stringify(gone)}`)
    expect(text(w, 'walk-failure')).toContain('NOT_FOUND')
    expect(text(w, 'walk-failure')).toContain('moved or deleted since it was chosen')
    expect(text(w, 'walk-failure')).not.toContain('os.walk')
    expect(text(w, 'walk-failure')).not.toContain('expand ~')
    // No generator came of it: the status says what failed, not that a generator raised.
    expect(text(w, 'walk-state')).toContain('no generator')
    expect(text(w, 'walk-state')).not.toContain('no generator yet')
    expect(text(w, 'walk-phase')).toBe('the file could not be opened')

    await w.find('[data-testid=walk-open-ncdu]').trigger('click')
    await until(() => text(w, 'walk-failure').includes('~/scans'), 'second failure shown')
    expect(text(w, 'walk-failure')).toContain('NOT_FOUND')
    // main's message says why a ~ path is not found (openRegularFile); the box says it once
    expect(text(w, 'walk-failure').match(/expand/g)).toEqual(['expand'])
    expect(text(w, 'walk-failure')).toContain('~ is not expanded to the home folder here')
    expect(text(w, 'walk-failure')).not.toContain('os.walk')
    expect(jobs.openJobs()).toEqual([])
  })

  test('a walk main opens no generator for says it could not start, not that a generator raised', async () => {
    const top = makeTree(1, 1)
    const invoke = api.invoke
    api.invoke = ((channel, input) =>
      channel === 'job.open'
        ? Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Too many open generators (64).' } })
        : invoke(channel, input)) as LabApi['invoke']
    const w = mountView()
    await typePath(w, top)
    await w.find('form').trigger('submit')
    await until(() => w.find('[data-testid=walk-failure]').exists(), 'failure shown')
    expect(text(w, 'walk-failure')).toContain('UNAVAILABLE')
    expect(text(w, 'walk-state')).toContain('no generator')
    expect(text(w, 'walk-state')).not.toContain('no generator yet')
    expect(text(w, 'walk-phase')).toBe('the walk could not start')
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

    // Cancel in the status bar (the jobs store) while suspended is the tab's Cancel: w.close().
    // On the exhausted w, next(w) is StopIteration; with other options it is a fresh walk.
    await w.find('[data-testid=walk-step]').trigger('click')
    expect(walkStore.transcript.at(-1)!.output).toBe('StopIteration  # w is exhausted; Walk (Enter) starts a new walk')
    expect(count(w, 'dirs')).toBe(41)
    await typePath(w, top)
    await w.find('[data-testid=walk-step]').trigger('click')
    await until(() => walkStore.phase === 'suspended', 'a fresh walk stepped')
    const closes = (): number => walkStore.transcript.filter((line) => line.input === 'w.close()').length
    const closedBefore = closes()
    await useJobsStore().cancel(walkStore.session!.generator.id)
    expect(walkStore.phase).toBe('cancelled')
    expect(closes()).toBe(closedBefore + 1)
    expect(jobs.openJobs()).toEqual([])
  })

  test('Export for ncdu says the export is being prepared and ignores clicks until main has saved it', async () => {
    const top = makeTree(3, 2)
    const saved: Uint8Array[] = []
    let answer: (reply: Envelope<{ path: string | null }>) => void = () => undefined
    const invoke = api.invoke
    api.invoke = ((channel, input) => {
      if (channel !== 'walk.saveNcdu') return invoke(channel, input)
      saved.push((input as { bytes: Uint8Array }).bytes)
      return new Promise<Envelope<{ path: string | null }>>((resolve) => (answer = resolve))
    }) as LabApi['invoke']
    const w = mountView()
    await walkToTheEnd(w, top)
    const button = (): DOMWrapper<Element> => w.find('[data-testid=walk-export-ncdu]')
    expect(button().text()).toBe('Export for ncdu…')

    await button().trigger('click')
    expect(button().text()).toBe('Preparing export…')
    expect(button().attributes('disabled')).toBeDefined()
    expect(button().attributes('aria-busy')).toBe('true')
    // Asked again meanwhile (a second click on its way), nothing more happens.
    expect(await useWalkStore().exportNcdu()).toBeNull()
    await until(() => saved.length === 1, 'main asked to save')
    answer({ ok: true, value: { path: join(base, 'scan.ncdu.json') } })
    await until(() => text(w, 'walk-transcript').includes('saved for ncdu'), 'saved')
    expect(saved).toHaveLength(1)
    expect(button().text()).toBe('Export for ncdu…')
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().attributes('aria-busy')).toBe('false')
    // top, its 3 folders, their 6 files and readme.md.
    const scan = decodeNcdu(saved[0]!, 'saved')
    expect([scan.root.name, ncduTotals(scan.root).entries]).toEqual([top, 11])
  })

  test('Browse… asks main for a folder (the native dialog) and opens a generator on it without reading', async () => {
    const top = makeTree(1, 1)
    answerDialogWith(top)
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
